// Renders templates written by many teams away from the process that holds the stack's secrets, in two layers:
// - A child process (node:child_process fork) with an empty environment (no PULUMI_CONFIG_PASSPHRASE, no cloud
//   credentials) under Node's permission model (--permission; --experimental-permission on Node 20): it may read the
//   kit's own files and node_modules, and nothing else; it may not write files or start processes. The OS keeps it
//   apart from the provider's memory. This is the boundary that holds even if a template found a way to run code.
// - Inside it, a worker thread (node:worker_threads) with its V8 heap capped by resourceLimits and a wall clock after
//   which it is terminated: the backstop for what the in-render bounds cannot stop (a regular expression
//   backtracking inside one native call, a string that fills the heap). The worker reports where it is through
//   shared memory, so even a stopped render names its template and line.
// Inside the worker, the TemplateSet applies Jinja2's sandbox rules and bounds each render (time, output) with
// errors that name the line. Process and worker are kept between renders: starting them costs a few hundred ms.
import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import type { GlobalOptions } from "./conventions";
import type { DuplicateManifest, Manifest } from "./manifests";
import type { RenderAllResult, RenderedVCenter } from "./render";
import {
  DEFAULT_RENDER_LIMITS,
  RenderLimits,
  templateKey,
  TemplateRenderError,
  VCenterTemplateSource,
} from "./templates";

export interface IsolateLimits extends RenderLimits {
  /** Wall clock for the whole job (every template over every context), milliseconds. Default 120000. */
  totalTimeoutMs?: number;
  /** The worker's old-generation heap, MiB (Worker resourceLimits.maxOldGenerationSizeMb). Default 512. */
  maxHeapMb?: number;
}

export const DEFAULT_ISOLATE_LIMITS: Required<IsolateLimits> = {
  ...DEFAULT_RENDER_LIMITS,
  totalTimeoutMs: 120_000,
  maxHeapMb: 512,
};

/** @internal The message to the worker. */
export interface RenderJob {
  id: number;
  templates: VCenterTemplateSource[];
  vcenters: RenderedVCenter[];
  globals: GlobalOptions;
  limits: RenderLimits;
}

/** @internal The worker's answer. */
export type RenderReply =
  | {
      id: number;
      manifests: Manifest[];
      duplicates: DuplicateManifest[];
      errors: { template: string; detail: string; line?: number; column?: number }[];
    }
  | { id: number; failure: string };

interface Host {
  worker: Worker;
  heapMb: number;
  /** [template index, line] of the render in progress, written by the worker (nunjucks-compat's position). */
  position: Int32Array;
}

let host: Host | undefined;
let queue: Promise<unknown> = Promise.resolve();
let nextId = 1;

function startHost(heapMb: number): Host {
  const position = new SharedArrayBuffer(8);
  const ts = path.extname(__filename) === ".ts";
  const file = path.join(__dirname, `render-worker${ts ? ".ts" : ".js"}`);
  // From sources (tests, ts-node) the worker needs ts-node too; from dist/ it is plain JS.
  const worker = ts
    ? new Worker(`require("ts-node/register/transpile-only"); require(${JSON.stringify(file)});`, {
        eval: true,
        workerData: { position },
        env: {},
        resourceLimits: limits(heapMb),
      })
    : new Worker(file, { workerData: { position }, env: {}, resourceLimits: limits(heapMb) });
  worker.unref();
  return { worker, heapMb, position: new Int32Array(position) };
}

function limits(heapMb: number) {
  return { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
}

/** @internal Stops this process's render worker (it is started again on the next render). */
export async function stopWorker(): Promise<void> {
  const h = host;
  host = undefined;
  await h?.worker.terminate();
}

/**
 * @internal renderAll (render.ts) in a worker of this process (the render process calls it). Resolves like
 * renderAll (template errors are returned, as there); rejects with a TemplateRenderError naming the template (and the
 * line reached) when the worker had to be stopped: past `totalTimeoutMs`, or out of its heap.
 */
export function renderInWorker(
  templates: VCenterTemplateSource[],
  vcenters: RenderedVCenter[],
  globals: GlobalOptions,
  opts: IsolateLimits = {},
): Promise<RenderAllResult> {
  const lim = { ...DEFAULT_ISOLATE_LIMITS, ...opts };
  const job: RenderJob = {
    id: nextId++,
    templates,
    vcenters,
    globals,
    limits: { timeoutMs: lim.timeoutMs, maxOutputChars: lim.maxOutputChars },
  };
  // One job at a time: the position the worker reports belongs to that job, and a job that had to stop the worker
  // leaves the next one a fresh worker.
  const run = queue.then(async () => {
    if (host && host.heapMb !== lim.maxHeapMb) await stopWorker();
    return runJob((host ??= startHost(lim.maxHeapMb)), job, lim);
  });
  queue = run.catch(() => undefined);
  return run;
}

function runJob(h: Host, job: RenderJob, lim: Required<IsolateLimits>): Promise<RenderAllResult> {
  return new Promise((resolve, reject) => {
    const where = (): { key: string; line?: number } => {
      const t = job.templates[Atomics.load(h.position, 0)];
      const line = Atomics.load(h.position, 1);
      return {
        key: t ? templateKey(t.scope, t.namespace, t.name) : "(unknown template)",
        line: line > 0 ? line : undefined,
      };
    };
    const stop = (detail: string) => {
      const w = where();
      if (host === h) host = undefined;
      void h.worker.terminate();
      reject(new TemplateRenderError(w.key, detail, w.line));
    };
    const cleanup = () => {
      clearTimeout(timer);
      h.worker.off("message", onMessage);
      h.worker.off("error", onError);
      h.worker.off("exit", onExit);
      h.worker.unref();
    };
    const onMessage = (reply: RenderReply) => {
      if (reply.id !== job.id) return;
      cleanup();
      if ("failure" in reply) return reject(new Error(reply.failure));
      resolve({
        manifests: reply.manifests,
        duplicates: reply.duplicates,
        errors: reply.errors.map((e) => new TemplateRenderError(e.template, e.detail, e.line, e.column)),
      });
    };
    const onError = (err: Error & { code?: string }) => {
      cleanup();
      stop(
        err.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? `rendering ran out of memory (the renderer's heap is limited to ${lim.maxHeapMb} MiB); stopped`
          : `the renderer failed: ${err.message}`,
      );
    };
    const onExit = (code: number) => {
      cleanup();
      if (host === h) host = undefined;
      reject(new Error(`the template renderer stopped unexpectedly (exit code ${code})`));
    };
    const timer = setTimeout(() => {
      cleanup();
      stop(`rendering did not finish within ${lim.totalTimeoutMs} ms; stopped`);
    }, lim.totalTimeoutMs);
    h.worker.on("message", onMessage);
    h.worker.on("error", onError);
    h.worker.on("exit", onExit);
    h.worker.ref();
    Atomics.store(h.position, 0, -1);
    Atomics.store(h.position, 1, 0);
    h.worker.postMessage(job);
  });
}

// ---- the render process ----

/** @internal What the render process answers: renderInWorker's result, why it rejected, or a compile job's errors. */
export type ProcessReply =
  | (RenderReply & { stopped?: undefined; syntax?: undefined })
  | { id: number; stopped: { template: string; detail: string; line?: number }; syntax?: undefined }
  | { id: number; syntax: PlainError[]; stopped?: undefined };

type PlainError = { template: string; detail: string; line?: number; column?: number };

interface Renderer {
  child: ChildProcess;
  pending: Map<number, (reply: ProcessReply | Error) => void>;
}

let renderer: Renderer | undefined;

/** The command-line flag of Node's permission model: stable `--permission` from Node 23.5, experimental before. */
function permissionFlag(): string {
  return process.allowedNodeEnvironmentFlags.has("--permission") ? "--permission" : "--experimental-permission";
}

/** What the render process may read: the kit's own files and the node_modules its dependencies come from. */
function readablePaths(): string[] {
  const kit = path.resolve(
    __dirname,
    "..",
    "..",
    path.basename(path.resolve(__dirname, "..", "..")) === "dist" ? ".." : ".",
  );
  const modules = path.dirname(path.dirname(require.resolve("nunjucks/package.json")));
  return [...new Set([kit, modules].map((p) => fs.realpathSync(p)))];
}

/**
 * @internal How the render process is started: no environment; under the permission model, reading only the kit
 * and its node_modules, starting workers (its own render worker) but no processes, writing nothing.
 */
export function renderProcessOptions(): { env: Record<string, string>; execArgv: string[] } {
  const ts = path.extname(__filename) === ".ts";
  return {
    env: {},
    execArgv: [
      ...(ts ? ["-r", "ts-node/register/transpile-only"] : []),
      "--no-warnings",
      permissionFlag(),
      ...readablePaths().map((p) => `--allow-fs-read=${p}`),
      "--allow-worker",
    ],
  };
}

function startRenderer(): Renderer {
  const ts = path.extname(__filename) === ".ts";
  const file = path.join(__dirname, `render-process${ts ? ".ts" : ".js"}`);
  const child = fork(file, [], {
    ...renderProcessOptions(),
    serialization: "advanced",
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const r: Renderer = { child, pending: new Map() };
  child.on("message", (reply: ProcessReply) => {
    const done = r.pending.get(reply.id);
    r.pending.delete(reply.id);
    done?.(reply);
  });
  child.on("exit", (code, signal) => {
    if (renderer === r) renderer = undefined;
    for (const done of r.pending.values())
      done(new Error(`the template render process stopped (${signal ?? `exit code ${code}`})`));
    r.pending.clear();
  });
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
  return r;
}

/** Stops the render process and its worker (started again on the next render). For tests and clean shutdowns. */
export async function stopRenderWorker(): Promise<void> {
  const r = renderer;
  renderer = undefined;
  if (!r || r.child.exitCode !== null || r.child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    r.child.once("exit", () => resolve());
    r.child.ref(); // an idle render process is unref'd: keep the loop alive until it is gone
    r.child.kill("SIGKILL");
  });
}

/**
 * renderAll (render.ts) in the isolated render process (see the top of this file). Resolves like renderAll (template
 * errors are returned, as there); rejects with a TemplateRenderError naming the template (and the line reached) when
 * the render had to be stopped: past `totalTimeoutMs`, or out of the worker's heap.
 */
export function renderAllIsolated(
  templates: VCenterTemplateSource[],
  vcenters: RenderedVCenter[],
  globals: GlobalOptions,
  opts: IsolateLimits = {},
): Promise<RenderAllResult> {
  return ask({ kind: "render", templates, vcenters, globals, opts }, opts).then((reply) => {
    if ("failure" in reply) throw new Error(reply.failure);
    if (reply.stopped) throw new TemplateRenderError(reply.stopped.template, reply.stopped.detail, reply.stopped.line);
    if (reply.syntax) throw new Error("unexpected reply from the render process");
    return {
      manifests: reply.manifests,
      duplicates: reply.duplicates,
      errors: reply.errors.map((e) => new TemplateRenderError(e.template, e.detail, e.line, e.column)),
    };
  });
}

/**
 * syntaxErrors (render.ts) in the render process: compiling a template generates and evaluates JavaScript, so
 * check() does that away from the provider too. Resolves with the errors (template and line), none when all compile.
 */
export function syntaxErrorsIsolated(templates: VCenterTemplateSource[]): Promise<TemplateRenderError[]> {
  return ask({ kind: "compile", templates }, {}).then((reply) => {
    if ("failure" in reply) throw new Error(reply.failure);
    if (!reply.syntax) throw new Error("unexpected reply from the render process");
    return reply.syntax.map((e) => new TemplateRenderError(e.template, e.detail, e.line, e.column));
  });
}

function ask(job: Record<string, unknown>, opts: IsolateLimits): Promise<ProcessReply> {
  const lim = { ...DEFAULT_ISOLATE_LIMITS, ...opts };
  const r = (renderer ??= startRenderer());
  const id = nextId++;
  return new Promise<ProcessReply>((resolve, reject) => {
    // The worker's wall clock answers first; this one only catches a render process that stopped answering.
    const timer = setTimeout(() => {
      r.pending.delete(id);
      if (renderer === r) renderer = undefined;
      r.child.kill("SIGKILL");
      reject(new Error(`the template render process did not answer within ${lim.totalTimeoutMs + 30_000} ms; stopped`));
    }, lim.totalTimeoutMs + 30_000);
    r.child.ref();
    r.pending.set(id, (reply) => {
      clearTimeout(timer);
      if (r.pending.size === 0) r.child.unref();
      if (reply instanceof Error) reject(reply);
      else resolve(reply);
    });
    r.child.send({ ...job, id });
  });
}
