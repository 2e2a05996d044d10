// `pulumi up` of examples/vmgroup (20 VMs at maxConcurrency 10; vcsim with a 300 ms CloneVM_Task delay) with the
// real pulumi CLI, in projects laid out as `pulumi new typescript` does with the kit installed from `npm pack`
// (test/helpers/userproject.ts): where the time and memory of an `up` go besides the group's own work.
// Variants, run interleaved (each round starting with the next one), RUNS times each (median; default 3):
//   today               the kit at $PVK_BENCH_BASE (a git ref; left out when unset), the template's project as
//                       it is: ts-node type-checks the program
//   today noCheck       ... with PULUMI_NODEJS_TRANSPILE_ONLY=true: ts-node transpiles only
//   kit                 this checkout's kit, in the same project as "today"
//   kit/vmgroup         ... the program imports VmGroup from `pulumi-vmware-kit/vmgroup` (README's skeleton):
//                       only VmGroup's declarations are type-checked
//   kit/vmgroup noCheck ... with PULUMI_NODEJS_TRANSPILE_ONLY=true (README "Start-up cost")
//   kit/vmgroup js      ... precompiled by `npx tsc`, run from Pulumi.yaml `main: bin/index.js`
// Every `up` starts with an empty ts-node cache (the first `up` after an edit of the program); type-checking
// variants are also measured with the cache of the previous `up` (program unchanged). Phases come from
// bench/up-probe.js, preloaded into every Node.js process (NODE_OPTIONS); peak RSS is /proc/<pid>/status VmHWM of
// each process under the CLI, sampled every 100 ms. Figures are printed; nothing asserts on time.
// The toolchain's language host (v3.68) reads Pulumi.yaml's runtime options as flags, which the 3.274 CLI no
// longer passes: `typescript: false` and `tsconfig:` are not applied here, hence the environment variable.
import { ChildProcess, execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startVcsim, Vcsim } from "../simulators/vcsim";
import { toolchainPath } from "../simulators/toolchain";
import { PASSPHRASE } from "../test/helpers/pulumi";
import { kitTarball, npmInstall, projectDependencies, REPO, sh, TEMPLATE } from "../test/helpers/userproject";
import { median, tree } from "./proc";

const RUNS = Number(process.env.PVK_BENCH_UP_RUNS ?? 3);
const BASE = process.env.PVK_BENCH_BASE;
const REPLICAS = 20;
const MAX_CONCURRENCY = 10;
const CLONE_DELAY_MS = 300;
const PROBE = path.join(__dirname, "up-probe.js");
const SUBPATH = "pulumi-vmware-kit/vmgroup";
const kit = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));

interface Variant {
  name: string;
  tarball: Promise<string>;
  typeCheck: boolean;
  precompiled?: boolean;
  /** The program imports VmGroup from this entry point instead of the root (examples/vmgroup). */
  entry?: string;
}

interface ProbeEvent {
  pid: number;
  role: "program" | "provider" | "other";
  ev: string;
  t: number;
  modules?: number;
  kubernetes?: boolean;
}

/** One `pulumi up` or `destroy`: wall time, probe events, and peak RSS (MB) by role. */
interface Sample {
  wall: number;
  t0: number;
  events: ProbeEvent[];
  peakMB: Record<"program" | "provider" | "cli" | "tree", number>;
}

/** `npm pack` of the kit at a git ref: its files (git archive), built with this checkout's node_modules. */
async function tarballAt(ref: string, scratch: string): Promise<string> {
  const dir = path.join(scratch, "base");
  fs.mkdirSync(dir);
  execFileSync("sh", ["-c", `git -C "$0" archive --format=tar "$1" | tar -x -C "$2"`, REPO, ref, dir]);
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  await sh(process.execPath, [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], dir);
  const out = await sh("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", scratch], dir);
  return path.join(scratch, out.trim().split("\n").pop()!);
}

/** node_modules of a template project with `tarball` installed (as userproject.ts installedNodeModules does). */
async function installed(tarball: string, dir: string): Promise<string> {
  fs.mkdirSync(dir);
  const { deps, devDeps } = projectDependencies();
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(TEMPLATE.packageJson("bench", deps, devDeps)));
  await npmInstall(dir, [tarball, `@pulumi/kubernetes@${kit.devDependencies["@pulumi/kubernetes"]}`]);
  return path.join(dir, "node_modules");
}

class Project {
  /** Whether the stack may hold resources (an `up` ran since the last `destroy`). */
  live = false;

  private constructor(
    readonly variant: Variant,
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(variant: Variant, nodeModules: string, root: string, sim: Vcsim): Promise<Project> {
    const base = path.join(root, variant.name.replace(/\W+/g, "-"));
    const dir = path.join(base, "project");
    fs.mkdirSync(dir, { recursive: true });
    const src = path.join(REPO, "examples", "vmgroup");
    fs.copyFileSync(path.join(src, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const program = fs.readFileSync(path.join(src, "index.ts"), "utf8");
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      variant.entry ? program.replace('from "pulumi-vmware-kit";', `from "${variant.entry}";`) : program,
    );
    const { deps, devDeps } = projectDependencies();
    const pkg = TEMPLATE.packageJson(
      variant.name,
      { ...deps, "pulumi-vmware-kit": `file:${await variant.tarball}` },
      devDeps,
    );
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE.tsconfig, null, 2));
    fs.symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
    if (variant.precompiled) {
      await sh("npx", ["tsc"], dir);
      const yaml = fs
        .readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")
        .replace("typescript: true", "typescript: false");
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `${yaml}main: bin/index.js\n`);
    }
    fs.mkdirSync(path.join(base, "state"));
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("TS_NODE_") && k !== "NODE_OPTIONS"),
    );
    Object.assign(env, {
      PATH: toolchainPath(),
      PULUMI_HOME: path.join(root, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(base, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NO_COLOR: "1",
      NODE_OPTIONS: `--require ${PROBE}`,
      ...(!variant.typeCheck && !variant.precompiled && { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }),
    });
    const p = new Project(variant, dir, env);
    await p.run(["stack", "init", "bench"]);
    const caFile = path.join(base, "vcsim-ca.pem");
    fs.writeFileSync(caFile, sim.ca!);
    const config: Record<string, string | number> = {
      "vmware:vcenterUrl": sim.url,
      "vmware:vcenterUser": sim.username,
      "vmware:vcenterCaFile": caFile,
      folder: `bench-${path.basename(base)}`,
      replicas: REPLICAS,
      maxConcurrency: MAX_CONCURRENCY,
      cpu: 1,
      memoryMB: 256,
    };
    for (const [k, v] of Object.entries(config)) await p.run(["config", "set", k, "--", String(v)]);
    await p.run(["config", "set", "--secret", "vmware:vcenterPassword", "--", sim.password]);
    return p;
  }

  /** Runs the CLI, sampling the RSS of its process tree; `cache` is ts-node's cache directory for this run. */
  async run(args: string[], cache?: string): Promise<Sample> {
    const probe = path.join(this.dir, "..", `probe-${Date.now()}.jsonl`);
    const env = { ...this.env, PVK_UP_PROBE_OUT: probe, ...(cache && { TS_NODE_CACHE_DIRECTORY: cache }) };
    const peak = new Map<number, number>();
    let treePeak = 0;
    const t0 = performance.timeOrigin + performance.now();
    let child: ChildProcess | undefined;
    const sample = () => {
      if (!child?.pid) return;
      let rss = 0;
      for (const [pid, m] of tree(child.pid)) {
        peak.set(pid, Math.max(peak.get(pid) ?? 0, m.hwm));
        rss += m.rss;
      }
      treePeak = Math.max(treePeak, rss);
    };
    const timer = setInterval(sample, 100);
    try {
      await new Promise<void>((resolve, reject) => {
        child = execFile(
          "pulumi",
          ["--non-interactive", "--color", "never", ...args],
          { cwd: this.dir, env, maxBuffer: 64 << 20 },
          (err, stdout, stderr) =>
            err
              ? reject(new Error(`pulumi ${args.join(" ")} failed:\n${stdout}\n${stderr}`, { cause: err }))
              : resolve(),
        );
      });
    } finally {
      clearInterval(timer);
    }
    const wall = performance.timeOrigin + performance.now() - t0;
    const events: ProbeEvent[] = fs.existsSync(probe)
      ? fs
          .readFileSync(probe, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l))
      : [];
    fs.rmSync(probe, { force: true });
    const rolePeak = (role: string) =>
      Math.max(0, ...events.filter((e) => e.role === role && e.ev === "start").map((e) => peak.get(e.pid) ?? 0));
    return {
      wall,
      t0,
      events,
      peakMB: {
        program: rolePeak("program") / 1024,
        provider: rolePeak("provider") / 1024,
        cli: (peak.get(child!.pid!) ?? 0) / 1024,
        tree: treePeak / 1024,
      },
    };
  }

  up = (cache: string) => ((this.live = true), this.run(["up", "--yes", "--skip-preview"], cache));
  destroy = async () => {
    const s = await this.run(["destroy", "--yes", "--skip-preview"]);
    this.live = false;
    return s;
  };
}

/** Milliseconds between two probe events (or from the CLI start when `from` is "cli"), NaN when one is missing. */
function span(s: Sample, role: ProbeEvent["role"], from: string, to: string): number {
  const at = (ev: string) =>
    ev === "cli" ? s.t0 : ev === "exit" ? s.t0 + s.wall : s.events.find((e) => e.role === role && e.ev === ev)?.t;
  const [a, b] = [at(from), at(to)];
  return a === undefined || b === undefined ? NaN : b - a;
}

export async function benchUp(): Promise<Record<string, number>> {
  const load = os.loadavg()[0];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pvk-bench-up-"));
  const sim = await startVcsim({ methodDelay: { CloneVM_Task: CLONE_DELAY_MS } });
  const projects: Project[] = [];
  try {
    const head = kitTarball();
    const base = BASE ? tarballAt(BASE, root) : head;
    const variants: Variant[] = [
      ...(BASE ? [{ name: "today", tarball: base, typeCheck: true }] : []),
      ...(BASE ? [{ name: "today noCheck", tarball: base, typeCheck: false }] : []),
      { name: "kit", tarball: head, typeCheck: true },
      { name: "kit/vmgroup", tarball: head, typeCheck: true, entry: SUBPATH },
      { name: "kit/vmgroup noCheck", tarball: head, typeCheck: false, entry: SUBPATH },
      { name: "kit/vmgroup js", tarball: head, typeCheck: false, precompiled: true, entry: SUBPATH },
    ];
    const installs = new Map<Promise<string>, Promise<string>>();
    for (const v of variants) {
      if (!installs.has(v.tarball))
        installs.set(
          v.tarball,
          v.tarball.then((t) => installed(t, path.join(root, `install-${installs.size}`))),
        );
      projects.push(await Project.create(v, await installs.get(v.tarball)!, root, sim));
    }
    const tscMs = await (async () => {
      const dir = projects.find((p) => p.variant.precompiled)!.dir;
      const t = performance.now();
      await sh("npx", ["tsc"], dir);
      return performance.now() - t;
    })();

    const ups = new Map<string, Sample[]>();
    const warm = new Map<string, Sample[]>();
    const downs = new Map<string, Sample[]>();
    const push = (m: Map<string, Sample[]>, k: string, s: Sample) => m.set(k, [...(m.get(k) ?? []), s]);
    for (let i = 0; i < RUNS; i++) {
      // Each round starts with another variant, so none is always the one after the slowest.
      for (const p of projects.map((_, j) => projects[(i + j) % projects.length])) {
        const cache = fs.mkdtempSync(path.join(root, "ts-node-cache-"));
        push(ups, p.variant.name, await p.up(cache));
        push(downs, p.variant.name, await p.destroy());
        if (p.variant.typeCheck) {
          push(warm, p.variant.name, await p.up(cache));
          push(downs, p.variant.name, await p.destroy());
        }
      }
    }

    const figures: Record<string, number> = {
      "load average (1 min) at start": +load.toFixed(2),
      "load average (1 min) at end": +os.loadavg()[0].toFixed(2),
      [`runs per variant (median taken); VMs ${REPLICAS} at maxConcurrency ${MAX_CONCURRENCY}`]: RUNS,
      "kit/vmgroup js: `npx tsc` of the program before the up (ms)": Math.round(tscMs),
    };
    const ms = (xs: number[]) => Math.round(median(xs));
    const mb = (xs: number[]) => Math.round(median(xs));
    const ref = BASE ? "today" : "kit";
    for (const { name, typeCheck } of variants) {
      const s = ups.get(name)!;
      const f = (label: string, v: number) => (figures[`${name}: ${label}`] = v);
      f("up wall, first up after an edit (ms)", ms(s.map((x) => x.wall)));
      if (typeCheck) f("up wall, program unchanged (ts-node cache) (ms)", ms(warm.get(name)!.map((x) => x.wall)));
      f("  CLI start → program process start (ms)", ms(s.map((x) => span(x, "program", "cli", "start"))));
      f(
        "  program process → its file loading: Node, SDK, ts-node (ms)",
        ms(s.map((x) => span(x, "program", "start", "program:begin"))),
      );
      f("  program compile (ms)", ms(s.map((x) => span(x, "program", "program:begin", "program:compiled"))));
      f('  import "pulumi-vmware-kit" (ms)', ms(s.map((x) => span(x, "program", "kit:begin", "kit:end"))));
      f('  modules loaded by import "pulumi-vmware-kit"', median(s.map((x) => moduleCount(x))));
      f("  modules loaded by the program in all", median(s.map((x) => programExit(x)?.modules ?? NaN)));
      f("  program loaded @pulumi/kubernetes (1 yes, 0 no)", Number(s.some((x) => programExit(x)?.kubernetes)));
      f("  CLI start → provider process start (ms)", ms(s.map((x) => span(x, "provider", "cli", "start"))));
      f(
        "  provider process → kit runtime required (ms)",
        ms(s.map((x) => span(x, "provider", "start", "runtime:begin"))),
      );
      f(
        "  kit runtime + handlers load in the provider (ms)",
        ms(
          s.map(
            (x) =>
              span(x, "provider", "runtime:begin", "runtime:end") +
              span(x, "provider", "handlers:begin", "handlers:end"),
          ),
        ),
      );
      f("  the group's own work: create() (ms)", ms(s.map((x) => span(x, "provider", "create:begin", "create:end"))));
      f("  create() end → CLI exit (ms)", ms(s.map((x) => span(x, "provider", "create:end", "exit"))));
      f("  peak RSS: program (MB)", mb(s.map((x) => x.peakMB.program)));
      f("  peak RSS: provider process (MB)", mb(s.map((x) => x.peakMB.provider)));
      f("  peak RSS: pulumi CLI (MB)", mb(s.map((x) => x.peakMB.cli)));
      f("  peak RSS: all processes at once (MB)", mb(s.map((x) => x.peakMB.tree)));
      f("destroy wall (ms)", ms(downs.get(name)!.map((x) => x.wall)));
      if (name !== ref) {
        const r = (get: (x: Sample) => number) => +(median(s.map(get)) / median(ups.get(ref)!.map(get))).toFixed(2);
        f(
          `up wall / ${ref}`,
          r((x) => x.wall),
        );
        f(
          `program peak RSS / ${ref}`,
          r((x) => x.peakMB.program),
        );
      }
    }
    return figures;
  } finally {
    for (const p of projects.filter((p) => p.live)) await p.destroy().catch(() => undefined);
    await sim.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function programExit(s: Sample): ProbeEvent | undefined {
  return s.events.find((e) => e.role === "program" && e.ev === "exit");
}

function moduleCount(s: Sample): number {
  const [a, b] = ["kit:begin", "kit:end"].map((ev) => s.events.find((e) => e.role === "program" && e.ev === ev));
  return a?.modules !== undefined && b?.modules !== undefined ? b.modules - a.modules : NaN;
}
