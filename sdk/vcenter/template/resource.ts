// The VCenterTemplate custom resource (sapcc/helm-charts) read into a render source.
import type { VCenterTemplateSource } from "../templates";

/**
 * Reads a VCenterTemplate custom resource (top-level `options`/`template`, or the legacy form with `scope` and
 * `jinja2_options` under metadata).
 */
export function templateFromResource(cr: unknown): VCenterTemplateSource {
  const o = (cr ?? {}) as Record<string, unknown>;
  const meta = (o.metadata ?? {}) as Record<string, unknown>;
  const options = (o.options ?? {}) as Record<string, unknown>;
  const name = meta.name;
  const namespace = meta.namespace;
  const scope = options.scope ?? meta.scope;
  const jinja2 = options.jinja2_options ?? meta.jinja2_options;
  const where = `VCenterTemplate ${typeof namespace === "string" ? namespace : "?"}/${typeof name === "string" ? name : "?"}`;
  if (typeof name !== "string" || !name) throw new Error(`${where}: metadata.name is missing`);
  if (typeof namespace !== "string" || !namespace) throw new Error(`${where}: metadata.namespace is missing`);
  if (scope !== "cluster" && scope !== "datacenter")
    throw new Error(`${where}: options.scope must be "cluster" or "datacenter", got ${JSON.stringify(scope)}`);
  if (typeof o.template !== "string") throw new Error(`${where}: template must be a string`);
  if (jinja2 !== undefined && (typeof jinja2 !== "object" || jinja2 === null || Array.isArray(jinja2))) {
    throw new Error(`${where}: options.jinja2_options must be a mapping`);
  }
  return { name, namespace, scope, template: o.template, jinja2Options: jinja2 as Record<string, unknown> | undefined };
}
