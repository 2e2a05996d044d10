// Renders VCenterTemplate sources the way sapcc's Jinja environment does, on nunjucks, with Jinja2's sandbox rules
// and a time and output bound per render (nunjucks-compat.ts). Nunjucks fixes delimiters per Environment, so there is
// one Environment per distinct jinja2_options set, and `render` looks up the target's env. Hard isolation (own heap,
// empty environment, a wall clock that can stop native code) is isolate.ts's job: a TemplateSet in a worker of a
// separate process.
import * as nunjucks from "nunjucks";
import {
  b64enc,
  derivePasswordFilter,
  iniEscape,
  iniQuote,
  pyFloat,
  pyFormat,
  pyInt,
  sha256sum,
  zfill,
} from "./filters";
import { installNunjucksCompat, safeRange, setPositionTemplate, withBudget } from "./nunjucks-compat";
import { FLAG_OPTIONS, jinja2OptionErrors, TAG_OPTIONS } from "./jinja2-options";
import { DEFAULT_TAGS, rewritePythonFormat, Tags } from "./pyformat";
import { unclosedBlock } from "./unclosed-block";

export type Scope = "cluster" | "datacenter";

/** A VCenterTemplate custom resource, reduced to what rendering needs. */
export interface VCenterTemplateSource {
  /** metadata.namespace of the VCT; rendered objects belong there. */
  namespace: string;
  /** metadata.name of the VCT. */
  name: string;
  scope: Scope;
  template: string;
  /** `options.jinja2_options`: Environment attributes such as variable_start_string (see jinja2OptionErrors). */
  jinja2Options?: Record<string, unknown>;
}

/** sapcc's loader key: `vcenter_<scope>/<namespace>/<name>.yaml.j2`. */
export function templateKey(scope: Scope, namespace: string, name: string): string {
  return `vcenter_${scope}/${namespace}/${name}.yaml.j2`;
}

/**
 * A template failed to compile or render; names the template and (when known) the line. `cause`: the nunjucks error,
 * or the sandbox's TemplateSecurityError / RenderLimitError (nunjucks-compat.ts), when rendered in this process.
 */
export class TemplateRenderError extends Error {
  constructor(
    readonly template: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
    cause?: unknown,
  ) {
    super(
      `template ${template}${line !== undefined ? ` line ${line}${column !== undefined ? `, column ${column}` : ""}` : ""}: ${detail}`,
      cause !== undefined ? { cause } : undefined,
    );
    this.name = "TemplateRenderError";
  }
}

/** Bounds of one render (one template, one context, nested `render` calls included). */
export interface RenderLimits {
  /** Wall-clock time, milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Characters written by `{{ … }}` expressions and in the result. Default 4 MiB (a Kubernetes object is ≤ 1.5 MiB). */
  maxOutputChars?: number;
}

export const DEFAULT_RENDER_LIMITS: Required<RenderLimits> = { timeoutMs: 5_000, maxOutputChars: 4 * 1024 * 1024 };

interface EnvOptions {
  tags: Tags;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  autoescape: boolean;
  keepTrailingNewline: boolean;
}

function envOptions(jinja2Options: Record<string, unknown> = {}): EnvOptions {
  const bad = jinja2OptionErrors(jinja2Options);
  if (bad.length) throw new Error(bad.map(([k, r]) => `jinja2_options.${k} ${r}`).join("; "));
  const tags: Tags = { ...DEFAULT_TAGS };
  const flags: Record<string, boolean> = { trimBlocks: false, lstripBlocks: false, autoescape: false };
  for (const [k, v] of Object.entries(jinja2Options)) {
    if (k in TAG_OPTIONS) tags[TAG_OPTIONS[k]] = v as string;
    else if (k in FLAG_OPTIONS) flags[FLAG_OPTIONS[k]] = v === true || v === "true" || v === "True";
  }
  const keep = jinja2Options.keep_trailing_newline;
  return {
    tags,
    trimBlocks: flags.trimBlocks,
    lstripBlocks: flags.lstripBlocks,
    autoescape: flags.autoescape,
    keepTrailingNewline: keep === true || keep === "true" || keep === "True",
  };
}

interface Entry {
  source: VCenterTemplateSource;
  key: string;
  /** Insertion order: how a worker names the template it is rendering (nunjucks-compat's position). */
  index: number;
  env: nunjucks.Environment;
  tags: Tags;
  compiled?: nunjucks.Template;
  text: string;
}

export type RenderContext = Record<string, unknown>;

const MAX_RENDER_DEPTH = 16;

/** The loaded templates plus one nunjucks Environment per distinct jinja2_options set. */
export class TemplateSet {
  private readonly entries = new Map<string, Entry>();
  private readonly envs = new Map<string, nunjucks.Environment>();
  private readonly limits: Required<RenderLimits>;
  private depth = 0;

  constructor(templates: Iterable<VCenterTemplateSource> = [], limits: RenderLimits = {}) {
    installNunjucksCompat();
    this.limits = { ...DEFAULT_RENDER_LIMITS, ...limits };
    for (const t of templates) this.add(t);
  }

  /** Adds or replaces a template; returns its key. */
  add(source: VCenterTemplateSource): string {
    const key = templateKey(source.scope, source.namespace, source.name);
    const opts = envOptions(source.jinja2Options);
    let text = rewritePythonFormat(source.template, opts.tags);
    // Jinja drops one trailing newline of the source unless keep_trailing_newline; nunjucks never does.
    if (!opts.keepTrailingNewline) text = text.replace(/\r?\n$/, "");
    const index = this.entries.get(key)?.index ?? this.entries.size;
    this.entries.set(key, { source, key, index, env: this.envFor(opts), tags: opts.tags, text });
    return key;
  }

  remove(key: string): boolean {
    return this.entries.delete(key);
  }

  keys(scope?: Scope): string[] {
    const prefix = scope ? `vcenter_${scope}/` : "";
    return [...this.entries.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  get(key: string): VCenterTemplateSource | undefined {
    return this.entries.get(key)?.source;
  }

  /** Number of distinct Environments (one per jinja2_options set). */
  get environmentCount(): number {
    return this.envs.size;
  }

  /** Compiles a template (cached) without rendering it; the syntax error, if any. */
  compileError(key: string): TemplateRenderError | undefined {
    const entry = this.entries.get(key);
    if (!entry) return new TemplateRenderError(key, "no such template is loaded");
    try {
      this.compile(entry);
      return undefined;
    } catch (err) {
      return err as TemplateRenderError;
    }
  }

  /**
   * Renders one template to text. Throws TemplateRenderError naming the template and line: for syntax and runtime
   * errors, sandbox refusals (SecurityError) and the time and output bounds (RenderLimitError).
   */
  renderText(key: string, context: RenderContext): string {
    const entry = this.entries.get(key);
    if (!entry) throw new TemplateRenderError(key, "no such template is loaded");
    if (this.depth >= MAX_RENDER_DEPTH)
      throw new TemplateRenderError(key, `render nesting deeper than ${MAX_RENDER_DEPTH} (a template renders itself?)`);
    const compiled = this.compile(entry);
    const { timeoutMs, maxOutputChars } = this.limits;
    const outer = setPositionTemplate(entry.index);
    this.depth++;
    try {
      const text = withBudget(
        { deadline: Date.now() + timeoutMs, timeoutMs, maxOutput: maxOutputChars, output: 0 },
        () => compiled.render(withArrays(context)),
      );
      if (text.length > maxOutputChars)
        throw new TemplateRenderError(key, `output larger than ${maxOutputChars} characters`);
      return text;
    } catch (err) {
      // nunjucks reports runtime positions 0-based and parse positions 1-based.
      throw toRenderError(key, err, 1);
    } finally {
      this.depth--;
      setPositionTemplate(outer);
    }
  }

  private compile(entry: Entry): nunjucks.Template {
    if (entry.compiled) return entry.compiled;
    try {
      entry.compiled = new nunjucks.Template(entry.text, entry.env, entry.key, true);
      return entry.compiled;
    } catch (err) {
      const e = toRenderError(entry.key, err, 0);
      if (e.line !== undefined) throw e;
      // nunjucks gives no position when the template ends inside a block: name the block's opening line.
      const open = unclosedBlock(entry.text, entry.tags);
      const line = open?.line ?? entry.text.split("\n").length;
      throw new TemplateRenderError(
        entry.key,
        open ? `{% ${open.tag} %} opened here is not closed: ${e.detail}` : `at the end of the template: ${e.detail}`,
        line,
        undefined,
        err,
      );
    }
  }

  private envFor(opts: EnvOptions): nunjucks.Environment {
    const id = JSON.stringify([opts.tags, opts.trimBlocks, opts.lstripBlocks, opts.autoescape]);
    let env = this.envs.get(id);
    if (env) return env;
    const loader = { getSource: (name: string) => this.loaderSource(name) };
    env = new nunjucks.Environment(loader, {
      autoescape: opts.autoescape,
      trimBlocks: opts.trimBlocks,
      lstripBlocks: opts.lstripBlocks,
      throwOnUndefined: false,
      tags: opts.tags,
      // Keeps nunjucks' TemplateError (with lineno/colno) instead of a plain Error holding only the message.
      dev: true,
    });
    this.addFilters(env);
    this.envs.set(id, env);
    return env;
  }

  // For {% include %}/{% import %}: only the loaded templates, never files. The included template is read with the
  // including env's delimiters.
  private loaderSource(name: string): nunjucks.LoaderSource {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`template ${JSON.stringify(name)} is not one of the loaded templates`);
    return { src: entry.text, path: name, noCache: true };
  }

  private addFilters(env: nunjucks.Environment): void {
    const set = this;
    env.addFilter("ini_escape", iniEscape);
    env.addFilter("ini_quote", iniQuote);
    env.addFilter("quote", iniQuote);
    env.addFilter("sha256sum", sha256sum);
    env.addFilter("b64enc", b64enc);
    env.addFilter("format", pyFormat);
    env.addFilter("int", pyInt);
    env.addFilter("float", pyFloat);
    env.addFilter("zfill", zfill);
    env.addFilter("derive_password", derivePasswordFilter);
    // Renders another loaded template (in its own env) with the current context.
    env.addFilter("render", function (this: { ctx: RenderContext }, name: unknown) {
      return set.renderText(String(name), this.ctx);
    });
    env.addGlobal("context", function (this: { ctx: RenderContext }) {
      return this.ctx;
    });
    env.addGlobal("callable", (v: unknown) => typeof v === "function");
    env.addGlobal("range", safeRange);
  }
}

// nunjucks' `in` works on arrays and strings only; sapcc passes `cells` as a Python set.
function withArrays(context: RenderContext): RenderContext {
  if (!Object.values(context).some((v) => v instanceof Set)) return context;
  const out: RenderContext = {};
  for (const [k, v] of Object.entries(context)) out[k] = v instanceof Set ? [...v] : v;
  return out;
}

// nunjucks prefixes some parser messages with its own function names ("parseIf: expected elif…"); users never wrote
// those, so they are dropped.
const ENGINE_NAMES =
  /\b(?:parse[A-Z]\w*|compile[A-Z]\w*|compile|advanceAfterBlockEnd|assertType|Template render error):\s*/g;

function toRenderError(key: string, err: unknown, base: number): TemplateRenderError {
  if (err instanceof TemplateRenderError) return err;
  const raw = String((err as { message?: string })?.message ?? err);
  // nunjucks only keeps the position in its message: "(path) [Line N, Column M]\n  Error: detail".
  const m = /^\([^)]*\)(?: \[Line (\d+)(?:, Column (\d+))?\])?\s*(?:Error: )?([\s\S]*)$/.exec(raw);
  const detail = (m ? m[3] : raw)
    .replace(/\s*\n\s*/g, " ")
    .replace(ENGINE_NAMES, "")
    .trim();
  // The message drops the position on line 1 (nunjucks tests `if (lineno && colno)`); the error's fields keep it.
  const e = err as { lineno?: unknown; colno?: unknown };
  const at = (field: unknown, text: string | undefined): number | undefined =>
    typeof field === "number" ? field + base : text !== undefined ? Number(text) + base : undefined;
  const line = at(e?.lineno, m?.[1]);
  const column = at(e?.colno, m?.[2]);
  return new TemplateRenderError(key, detail || "render failed", line, column, err);
}
