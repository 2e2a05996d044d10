// Preloaded by bench/up.ts into every Node.js process of a `pulumi up` (NODE_OPTIONS=--require): appends JSON lines
// { pid, role, ev, t } (t: epoch ms) to $PVK_UP_PROBE_OUT when the process started, when the program file starts
// loading and reaches Node (after ts-node compiled it), when the kit loads, and the provider's create()/delete()
// spans. Bench-only: it wraps Node's module loader, which the kit never does.
const fs = require("fs");
const Module = require("module");
const { performance } = require("perf_hooks");

const out = process.env.PVK_UP_PROBE_OUT;
const script = process.argv[1] ?? "";
const role = /dynamic-provider/.test(script) ? "provider" : /cmd[\\/]run([\\/]|$)/.test(script) ? "program" : "other";
const now = () => performance.timeOrigin + performance.now();
const emit = (ev, extra = {}) =>
  out && fs.appendFileSync(out, JSON.stringify({ pid: process.pid, role, ev, t: now(), ...extra }) + "\n");

emit("start", { t: performance.timeOrigin });
const load = Module._load;
const compile = Module.prototype._compile;
let programFile;
let compiled = false;
let kitLoaded = false;

if (role === "program") {
  Module._load = function (request) {
    // The language host requires the program by absolute path (a directory, or package.json `main`).
    const isProgram = !programFile && request.startsWith("/") && !request.includes("node_modules");
    const isKit = !kitLoaded && /^pulumi-vmware-kit(\/|$)/.test(request);
    if (isProgram) programFile = request;
    if (isKit) kitLoaded = true;
    if (isProgram || isKit) emit(isKit ? "kit:begin" : "program:begin", { modules: Object.keys(require.cache).length });
    const m = load.apply(this, arguments);
    if (isKit) emit("kit:end", { modules: Object.keys(require.cache).length });
    return m;
  };
  Module.prototype._compile = function (content, filename) {
    // First user file handed to Node: what ts-node compiled (and type-checked) has just been produced.
    if (programFile && !compiled && !filename.includes("node_modules")) {
      compiled = true;
      emit("program:compiled", { filename });
    }
    return compile.apply(this, arguments);
  };
  process.once("exit", () => {
    const files = Object.keys(require.cache);
    emit("exit", { modules: files.length, kubernetes: files.some((f) => f.includes("/@pulumi/kubernetes/")) });
  });
}

if (role === "provider") {
  let wrapped = false;
  Module._load = function (request) {
    const first = !wrapped && /pulumi-vmware-kit\/dist\/providers\/common\/runtime$/.test(request);
    if (first) emit("runtime:begin");
    const m = load.apply(this, arguments);
    if (first) {
      wrapped = true;
      emit("runtime:end");
      const handlersFor = m.handlersFor;
      let firstCall = true;
      m.handlersFor = (kind) => {
        if (firstCall) emit("handlers:begin");
        const h = handlersFor(kind);
        if (firstCall) emit("handlers:end");
        firstCall = false;
        const timed =
          (name, fn) =>
          async (...args) => {
            emit(`${name}:begin`);
            try {
              return await fn(...args);
            } finally {
              emit(`${name}:end`);
            }
          };
        return { ...h, create: timed("create", h.create), remove: timed("delete", h.remove) };
      };
    }
    return m;
  };
}
