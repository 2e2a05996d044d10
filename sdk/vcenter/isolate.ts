// Renders templates written by many teams away from the process that holds the stack's secrets: in a worker thread
// (node:worker_threads) with its own V8 heap capped by resourceLimits, an empty process.env, and a wall clock after
// which it is terminated. Inside, the TemplateSet applies Jinja2's sandbox rules and bounds each render (time, output)
// with errors that name the line; the worker's limits are the backstop for what those cannot stop (a regular
// expression backtracking inside one native call, a string that fills the heap). One worker is kept and reused:
// starting one costs tens of milliseconds, a render of a whole region a few.
import * as path from "path";
import { Worker } from "worker_threads";
import type { GlobalOptions } from "./conventions";
import type { DuplicateManifest, Manifest } from "./manifests";
import type { RenderAllResult, RenderedVCenter } from "./render";
import { DEFAULT_RENDER_LIMITS, RenderLimits, templateKey, TemplateRenderError, VCenterTemplateSource } from "./templates";

export interface IsolateLimits extends RenderLimits {
  /** Wall clock for the whole job (every template over every context), milliseconds. Default 120000. */
  totalTimeoutMs?: number;
  /** The worker's old-generation heap, MiB (Worker resourceLimits.maxOldGenerationSizeMb). Default 512. */
  maxHeapMb?: number;
}

export const DEFAULT_ISOLATE_LIMITS: Required<IsolateLimits> = { ...DEFAULT_RENDER_LIMITS, totalTimeoutMs: 120_000, maxHeapMb: 512 };

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
  | { id: number; manifests: Manifest[]; duplicates: DuplicateManifest[]; errors: { template: string; detail: string; line?: number; column?: number }[] }
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
    ? new Worker(`require("ts-node/register/transpile-only"); require(${JSON.stringify(file)});`, { eval: true, workerData: { position }, env: {}, resourceLimits: limits(heapMb) })
    : new Worker(file, { workerData: { position }, env: {}, resourceLimits: limits(heapMb) });
  worker.unref();
  return { worker, heapMb, position: new Int32Array(position) };
}

function limits(heapMb: number) {
  return { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
}

/** Stops the shared worker (it is started again on the next render). For tests and clean shutdowns. */
export async function stopRenderWorker(): Promise<void> {
  const h = host;
  host = undefined;
  await h?.worker.terminate();
}

/**
 * renderAll (render.ts) in the isolated worker. Resolves like renderAll (template errors are returned, as there);
 * rejects with a TemplateRenderError naming the template (and the line reached) when the worker had to be stopped:
 * past `totalTimeoutMs`, or out of its heap.
 */
export function renderAllIsolated(
  templates: VCenterTemplateSource[],
  vcenters: RenderedVCenter[],
  globals: GlobalOptions,
  opts: IsolateLimits = {},
): Promise<RenderAllResult> {
  const lim = { ...DEFAULT_ISOLATE_LIMITS, ...opts };
  const job: RenderJob = { id: nextId++, templates, vcenters, globals, limits: { timeoutMs: lim.timeoutMs, maxOutputChars: lim.maxOutputChars } };
  // One job at a time: the position the worker reports belongs to that job, and a job that had to stop the worker
  // leaves the next one a fresh worker.
  const run = queue.then(async () => {
    if (host && host.heapMb !== lim.maxHeapMb) await stopRenderWorker();
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
      return { key: t ? templateKey(t.scope, t.namespace, t.name) : "(unknown template)", line: line > 0 ? line : undefined };
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
      stop(err.code === "ERR_WORKER_OUT_OF_MEMORY" ? `rendering ran out of memory (the renderer's heap is limited to ${lim.maxHeapMb} MiB); stopped` : `the renderer failed: ${err.message}`);
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
