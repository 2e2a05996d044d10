// One render over every discovered vCenter: contexts from the conventions, every template of each scope, one merged
// and ordered manifest list. Pure (no network), so the provider and the bench share it and unit tests call it.
import { clusterContexts, datacenterContexts, GlobalOptions, Inventory, VCenterOptions } from "./conventions";
import { DuplicateManifest, Manifest, orderManifests, renderScope } from "./manifests";
import { TemplateRenderError, TemplateSet, VCenterTemplateSource } from "./templates";

export interface RenderedVCenter {
  inventory: Inventory;
  /** How templates log on to this vCenter (username, password, host, name). */
  options: VCenterOptions;
}

export interface RenderAllResult {
  manifests: Manifest[];
  duplicates: DuplicateManifest[];
  errors: TemplateRenderError[];
}

/**
 * Renders cluster-scoped templates once per production cluster and datacenter-scoped ones once per availability
 * zone, across all vCenters. sapcc kept one state per vCenter, so two vCenters rendering the same object id fought
 * over it unnoticed; here they show up as duplicates (the later one wins, as within one vCenter).
 */
export function renderAll(set: TemplateSet, vcenters: RenderedVCenter[], globals: GlobalOptions): RenderAllResult {
  // Every template sees the same values (cells, variables…): frozen, so one team's template cannot change what the
  // next one renders (`{% set _ = cells.append("x") %}` fails with its line). Lists a template makes stay mutable,
  // unlike Jinja2's ImmutableSandboxedEnvironment. The caller's globals are copied first, not frozen.
  const shared = deepFreeze(structuredClone(globals));
  const clusters = vcenters.flatMap((v) => clusterContexts(v.inventory, shared, v.options)).map(deepFreeze);
  const zones = vcenters.flatMap((v) => datacenterContexts(v.inventory, shared, v.options)).map(deepFreeze);
  const parts = [renderScope(set, "cluster", clusters), renderScope(set, "datacenter", zones)];

  const byKey = new Map<string, Manifest>();
  const producers = new Map<string, string[]>();
  for (const part of parts) {
    for (const d of part.duplicates)
      producers.set(d.key, [...(producers.get(d.key) ?? []), ...d.templates.slice(0, -1)]);
    for (const m of part.manifests) {
      byKey.delete(m.key);
      byKey.set(m.key, m);
      producers.set(m.key, [...(producers.get(m.key) ?? []), m.template]);
    }
  }
  const duplicates = [...producers].filter(([, t]) => t.length > 1).map(([key, templates]) => ({ key, templates }));
  return { manifests: orderManifests([...byKey.values()]), duplicates, errors: parts.flatMap((p) => p.errors) };
}

/** Compiles every template without rendering: syntax errors (with template and line) before any network call. */
export function syntaxErrors(templates: VCenterTemplateSource[]): TemplateRenderError[] {
  const errors: TemplateRenderError[] = [];
  const set = new TemplateSet();
  for (const t of templates) {
    try {
      set.add(t);
    } catch (err) {
      errors.push(
        new TemplateRenderError(
          `vcenter_${t.scope}/${t.namespace}/${t.name}.yaml.j2`,
          (err as Error).message,
          undefined,
          undefined,
          err,
        ),
      );
    }
  }
  for (const key of set.keys()) {
    const err = set.compileError(key);
    if (err) errors.push(err);
  }
  return errors;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}
