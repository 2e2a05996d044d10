// Turns rendered template text into Kubernetes objects: YAML 1.1 (as PyYAML safe_load_all), ids, duplicates, order.
import { parseAllDocuments, ScalarTag, Tags } from "yaml";
import { RenderContext, Scope, TemplateRenderError, TemplateSet } from "./templates";

export interface ManifestId {
  apiVersion: string;
  kind: string;
  name: string;
  /** The VCenterTemplate's namespace (sapcc applies every rendered object there). */
  namespace: string;
}

export interface Manifest {
  id: ManifestId;
  /** `apiVersion/kind/namespace/name`, unique within one render. */
  key: string;
  /** The template key that produced the object. */
  template: string;
  object: Record<string, unknown>;
}

export interface DuplicateManifest {
  key: string;
  /** Every template that produced this id, in render order (the last one wins, as in sapcc). */
  templates: string[];
}

export interface RenderResult {
  /** Secret → ConfigMap → Deployment → others; render order within a kind. */
  manifests: Manifest[];
  duplicates: DuplicateManifest[];
  /** Templates that failed to render or parse; sapcc skips such a template and keeps the rest. */
  errors: TemplateRenderError[];
}

export function manifestKey(id: ManifestId): string {
  return `${id.apiVersion}/${id.kind}/${id.namespace}/${id.name}`;
}

// PyYAML's (SafeLoader) implicit resolvers where yaml@2's YAML 1.1 schema is wider: y/n and Y/N stay strings, a float
// needs a dot and a signed exponent (so "1e3" or a hash like "3e45678" stays a string), "08" is no integer, a
// sexagesimal integer starts with 1-9. Timestamps stay strings: PyYAML's date objects reach Kubernetes as isoformat
// text, while yaml@2 would hand over JS Dates.
const PY_BOOL_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_BOOL_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const PY_INT_DEC = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const PY_INT_SEXAGESIMAL = /^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/;
const PY_FLOAT = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$/;

function pyYamlTags(tags: Tags): Tags {
  const out: Tags = [];
  for (const t of tags) {
    const tag = t as ScalarTag;
    const id = `${tag.tag}#${tag.format ?? ""}`;
    if (tag.tag === "tag:yaml.org,2002:timestamp" || id === "tag:yaml.org,2002:float#EXP") continue;
    if (tag.tag === "tag:yaml.org,2002:bool" && tag.test) {
      out.push({ ...tag, test: tag.test.test("true") ? PY_BOOL_TRUE : PY_BOOL_FALSE });
    } else if (id === "tag:yaml.org,2002:int#") {
      out.push({ ...tag, test: PY_INT_DEC });
    } else if (id === "tag:yaml.org,2002:int#TIME") {
      out.push({ ...tag, test: PY_INT_SEXAGESIMAL });
    } else if (id === "tag:yaml.org,2002:float#" && tag.test?.test("1.5")) {
      // yaml@2's float and floatExp, as one tag with PyYAML's pattern.
      out.push({ ...tag, test: PY_FLOAT, resolve: (str: string) => parseFloat(str.replace(/_/g, "")) });
    } else {
      out.push(t);
    }
  }
  return out;
}

/**
 * Parses one template's output. Empty documents (e.g. a trailing `---`) are skipped. Errors carry the template and line
 * but never a source excerpt: rendered Secrets hold passwords.
 */
export function parseManifests(text: string, template: string, namespace: string): Manifest[] {
  const docs = parseAllDocuments(text, { version: "1.1", prettyErrors: false, customTags: pyYamlTags });
  const list = Array.isArray(docs) ? docs : [];
  const out: Manifest[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const detail = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      throw new TemplateRenderError(template, `invalid YAML in the output: ${detail}`, lineOf(text, err.pos[0]));
    }
    const obj: unknown = doc.toJS({ maxAliasCount: 100 });
    if (obj === null || obj === undefined) continue;
    const line = doc.range ? lineOf(text, doc.range[0]) : undefined;
    if (typeof obj !== "object" || Array.isArray(obj)) {
      throw new TemplateRenderError(template, "a YAML document is not a mapping", line);
    }
    const o = obj as Record<string, unknown>;
    const meta = (o.metadata ?? {}) as Record<string, unknown>;
    const apiVersion = o.apiVersion,
      kind = o.kind,
      name = meta.name;
    if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof name !== "string" || !name) {
      throw new TemplateRenderError(template, "a document lacks apiVersion, kind or metadata.name", line);
    }
    if (meta.namespace !== undefined && meta.namespace !== namespace) {
      throw new TemplateRenderError(
        template,
        `metadata.namespace "${String(meta.namespace)}" differs from the template's namespace "${namespace}"`,
        line,
      );
    }
    o.metadata = { ...meta, namespace };
    const id = { apiVersion, kind, name, namespace };
    out.push({ id, key: manifestKey(id), template, object: o });
  }
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const KIND_ORDER: Record<string, number> = { Secret: 0, ConfigMap: 1, Deployment: 2 };

/** Stable sort Secret → ConfigMap → Deployment → other kinds, so config exists before the pods that mount it. */
export function orderManifests(manifests: Manifest[]): Manifest[] {
  return manifests
    .map((m, i) => ({ m, i, r: KIND_ORDER[m.id.kind] ?? 3 }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.m);
}

/** Renders every template of `scope` once per context (a cluster or an availability zone). */
export function renderScope(set: TemplateSet, scope: Scope, contexts: RenderContext[]): RenderResult {
  const byKey = new Map<string, Manifest>();
  const producers = new Map<string, string[]>();
  const errors: TemplateRenderError[] = [];
  for (const context of contexts) {
    for (const key of set.keys(scope)) {
      const source = set.get(key)!;
      let parsed: Manifest[];
      try {
        parsed = parseManifests(set.renderText(key, context), key, source.namespace);
      } catch (err) {
        if (err instanceof TemplateRenderError) {
          errors.push(err);
          continue;
        }
        throw err;
      }
      for (const m of parsed) {
        byKey.delete(m.key); // a later duplicate takes the later position
        byKey.set(m.key, m);
        producers.set(m.key, [...(producers.get(m.key) ?? []), key]);
      }
    }
  }
  const duplicates = [...producers].filter(([, t]) => t.length > 1).map(([key, templates]) => ({ key, templates }));
  return { manifests: orderManifests([...byKey.values()]), duplicates, errors };
}
