// The render process (isolate.ts): started with an empty environment under Node's permission model, it renders
// each job in its worker thread and answers over IPC. It holds nothing but the jobs it is given.
import { RenderAllResult, syntaxErrors } from "./render";
import { IsolateLimits, ProcessReply, renderInWorker } from "./isolate";
import { TemplateRenderError, VCenterTemplateSource } from "./templates";
import type { GlobalOptions } from "./conventions";
import type { RenderedVCenter } from "./render";

interface Job {
  id: number;
  kind: "render" | "compile";
  templates: VCenterTemplateSource[];
  vcenters: RenderedVCenter[];
  globals: GlobalOptions;
  opts: IsolateLimits;
}

const reply = (r: ProcessReply) => process.send?.(r);

process.on("message", (job: Job) => {
  if (job.kind === "compile") {
    // Compiling runs no template code (only nunjucks' generated module wrapper), so it needs no worker.
    const errors = syntaxErrors(job.templates).map((e) => ({
      template: e.template,
      detail: e.detail,
      line: e.line,
      column: e.column,
    }));
    reply({ id: job.id, syntax: errors });
    return;
  }
  renderInWorker(job.templates, job.vcenters, job.globals, job.opts).then(
    (r: RenderAllResult) =>
      reply({
        id: job.id,
        manifests: r.manifests,
        duplicates: r.duplicates,
        errors: r.errors.map((e) => ({ template: e.template, detail: e.detail, line: e.line, column: e.column })),
      }),
    (err: Error) =>
      reply(
        err instanceof TemplateRenderError
          ? { id: job.id, stopped: { template: err.template, detail: err.detail, line: err.line } }
          : { id: job.id, failure: err.message },
      ),
  );
});
// The provider went away: so does this process.
process.on("disconnect", () => process.exit(0));
