// Reads VCenterTemplate custom resources (as in sapcc/helm-charts) into the `templates` input.
import { parseAllDocuments } from "yaml";
import type { VCenterTemplateItem } from "./args";
import { templateFromResource } from "../../sdk/vcenter/template/resource";

/**
 * Multi-document YAML of VCenterTemplate CRs → `templates` items. Accepts the top-level form and the legacy one
 * (scope/jinja2_options under metadata); metadata.namespace may be missing (the resource's `namespace` applies).
 */
export function vcenterTemplatesFromYaml(text: string): VCenterTemplateItem[] {
  const out: VCenterTemplateItem[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`VCenterTemplate YAML: ${doc.errors[0].message}`);
    const cr = doc.toJS() as Record<string, unknown> | null;
    if (!cr) continue;
    const meta = { namespace: "_", ...((cr.metadata ?? {}) as Record<string, unknown>) };
    const t = templateFromResource({ ...cr, metadata: meta });
    out.push({
      name: t.name,
      options: { scope: t.scope, ...(t.jinja2Options ? { jinja2_options: t.jinja2Options } : {}) },
      template: t.template,
    });
  }
  return out;
}
