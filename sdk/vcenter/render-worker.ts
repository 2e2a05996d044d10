// The worker side of isolate.ts: renders jobs with a TemplateSet in this thread's own heap and empty environment.
// Holds no state but the compiled templates of the last job (the next job usually brings the same ones).
import { parentPort, workerData } from "worker_threads";
import { usePositionBuffer } from "./nunjucks-compat";
import { renderAll } from "./render";
import { TemplateSet } from "./templates";
import type { RenderJob, RenderReply } from "./isolate";

usePositionBuffer((workerData as { position: SharedArrayBuffer }).position);

let cached: { id: string; set: TemplateSet } | undefined;

parentPort!.on("message", (job: RenderJob) => {
  let reply: RenderReply;
  try {
    const id = JSON.stringify([job.templates, job.limits]);
    if (cached?.id !== id) cached = { id, set: new TemplateSet(job.templates, job.limits) };
    const r = renderAll(cached.set, job.vcenters, job.globals);
    reply = {
      id: job.id,
      manifests: r.manifests,
      duplicates: r.duplicates,
      errors: r.errors.map((e) => ({ template: e.template, detail: e.detail, line: e.line, column: e.column })),
    };
  } catch (err) {
    reply = { id: job.id, failure: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
