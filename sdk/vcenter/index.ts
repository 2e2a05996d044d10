// sapcc vcenter-operator's core as a library: discovery, conventions, master password, template rendering.
export * from "./masterpassword";
export * from "./filters";
export * from "./templates";
export * from "./pyformat";
export { MAX_RANGE, RenderLimitError, TemplateSecurityError, unsafeMember } from "./nunjucks-compat";
export * from "./manifests";
export * from "./conventions";
export * from "./discovery";
export * from "./inventory";
export * from "./render";
export * from "./prune-guard";
export { renderAllIsolated, stopRenderWorker, IsolateLimits, DEFAULT_ISOLATE_LIMITS } from "./isolate";
export * from "./dns/tsig";
export * from "./dns/axfr";
