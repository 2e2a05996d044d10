// Renders VCenterTemplate sources the way sapcc's Jinja environment does, on nunjucks. Nunjucks fixes delimiters per
// Environment, so there is one Environment per distinct jinja2_options set, and `render` looks up the target's env.
import * as nunjucks from "nunjucks";
import { b64enc, derivePasswordFilter, iniEscape, iniQuote, PY_STR_METHODS, pyFloat, pyFormat, pyInt, pyStr, sha256sum, zfill } from "./filters";

// Python semantics nunjucks lacks, installed once into its (process-wide) runtime; only this module renders with it.
// - installJinjaCompat: True/False/None (otherwise undefined, so `x == True` is silently false), dict
//   .items()/.keys()/.values()/.get(), list methods, slices.
// - Python str methods (split with maxsplit, replace-all, lower, upper, startswith, strip, join).
// - Output like Jinja's str(): True/False/None instead of true/false/"".
// - Tuples: nunjucks compiles `(a, b)` to JS's comma operator (= b), so `x in ("a", "b")` tested a substring of "b".
// - Negative indexes and string slices (`cells[-1]`, `name[2:]`) as in Python.
const PATCHED = Symbol.for("pulumi-vmware-kit.vcenter.nunjucks-python");
function installPythonSemantics(): void {
  const rt = nunjucks.runtime as unknown as Record<string | symbol, unknown> & {
    memberLookup: (...a: unknown[]) => unknown;
    suppressValue: (v: unknown, autoescape: boolean) => unknown;
  };
  if (rt[PATCHED]) return;
  rt[PATCHED] = true;
  nunjucks.installJinjaCompat();
  const memberLookup = rt.memberLookup;
  // Fixed parameters rather than rest/spread: this runs for every `.attr` and `[i]` of every render.
  rt.memberLookup = function (this: unknown, obj: unknown, key: unknown, a?: unknown, b?: unknown) {
    // Four arguments is the compat layer's slice lookup, which returns an array even for a string.
    if (arguments.length === 4) {
      const r = memberLookup.call(this, obj, key, a, b);
      return typeof obj === "string" && Array.isArray(r) ? r.join("") : r;
    }
    if (typeof obj === "string" && typeof key === "string" && Object.prototype.hasOwnProperty.call(PY_STR_METHODS, key)) {
      const method = PY_STR_METHODS[key];
      return (...args: unknown[]) => method(obj, ...args);
    }
    if ((typeof obj === "string" || Array.isArray(obj)) && typeof key === "number" && Number.isInteger(key) && key < 0) {
      key = obj.length + key;
    }
    return memberLookup.call(this, obj, key);
  };
  const Compiler = (nunjucks as unknown as { compiler: { Compiler: { prototype: Record<string, (...a: unknown[]) => unknown> } } }).compiler.Compiler;
  const compileGroup = Compiler.prototype.compileGroup;
  Compiler.prototype.compileGroup = function (this: Record<string, (...a: unknown[]) => unknown>, node: unknown, frame: unknown) {
    if ((node as { children: unknown[] }).children.length > 1) return this._compileAggregate(node, frame, "[", "]");
    return compileGroup.call(this, node, frame);
  };
  const suppressValue = rt.suppressValue;
  rt.suppressValue = function (this: unknown, v: unknown, autoescape: boolean) {
    return suppressValue.call(this, typeof v === "boolean" || v === null ? pyStr(v) : v, autoescape);
  };
}
installPythonSemantics();

export type Scope = "cluster" | "datacenter";

/** A VCenterTemplate custom resource, reduced to what rendering needs. */
export interface VCenterTemplateSource {
  /** metadata.namespace of the VCT; rendered objects belong there. */
  namespace: string;
  /** metadata.name of the VCT. */
  name: string;
  scope: Scope;
  template: string;
  /** `options.jinja2_options`: Environment attributes such as variable_start_string. Other keys are ignored. */
  jinja2Options?: Record<string, unknown>;
}

/** sapcc's loader key: `vcenter_<scope>/<namespace>/<name>.yaml.j2`. */
export function templateKey(scope: Scope, namespace: string, name: string): string {
  return `vcenter_${scope}/${namespace}/${name}.yaml.j2`;
}

/** A template failed to compile or render; names the template and (when known) the line. */
export class TemplateRenderError extends Error {
  constructor(
    readonly template: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`template ${template}${line !== undefined ? ` line ${line}${column !== undefined ? `, column ${column}` : ""}` : ""}: ${detail}`);
    this.name = "TemplateRenderError";
  }
}

// Jinja Environment attribute → nunjucks option. Only these change how a template is read.
const TAG_OPTIONS: Record<string, string> = {
  block_start_string: "blockStart",
  block_end_string: "blockEnd",
  variable_start_string: "variableStart",
  variable_end_string: "variableEnd",
  comment_start_string: "commentStart",
  comment_end_string: "commentEnd",
};
const FLAG_OPTIONS: Record<string, string> = { trim_blocks: "trimBlocks", lstrip_blocks: "lstripBlocks", autoescape: "autoescape" };
const DEFAULT_TAGS = { blockStart: "{%", blockEnd: "%}", variableStart: "{{", variableEnd: "}}", commentStart: "{#", commentEnd: "#}" };
type Tags = typeof DEFAULT_TAGS;

interface EnvOptions {
  tags: Tags;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  autoescape: boolean;
  keepTrailingNewline: boolean;
}

function envOptions(jinja2Options: Record<string, unknown> = {}): EnvOptions {
  const tags: Tags = { ...DEFAULT_TAGS };
  const flags: Record<string, boolean> = { trimBlocks: false, lstripBlocks: false, autoescape: false };
  for (const [k, v] of Object.entries(jinja2Options)) {
    if (k in TAG_OPTIONS) {
      if (typeof v !== "string" || v === "") throw new Error(`jinja2_options.${k} must be a non-empty string`);
      tags[TAG_OPTIONS[k] as keyof Tags] = v;
    } else if (k in FLAG_OPTIONS) {
      flags[FLAG_OPTIONS[k]] = v === true || v === "true" || v === "True";
    }
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

/**
 * Rewrites Python `%` string formatting inside tags into the `format` filter:
 * `('%03d' % bb)` → `('%03d' | format(bb))`, `'%s-%s' % (a, b|int)` → `('%s-%s' | format(a, b|int))`.
 * Only a string literal directly before `%` is rewritten, so numeric modulo keeps working. The right operand is what
 * Jinja binds tighter than `%`: an optional sign, a primary (name, literal, bracketed group), then attribute,
 * subscript and call postfixes and filters (`'%s' % host.split(".")[0]`, `'%03d' % name|replace("bb","")|int`).
 */
export function rewritePythonFormat(src: string, tags: Tags = DEFAULT_TAGS): string {
  let out = "";
  let pos = 0;
  const opens: [string, string, boolean][] = [
    [tags.commentStart, tags.commentEnd, false],
    [tags.blockStart, tags.blockEnd, true],
    [tags.variableStart, tags.variableEnd, true],
  ];
  for (;;) {
    let best: [number, string, string, boolean] | undefined;
    for (const [open, close, code] of opens) {
      const at = src.indexOf(open, pos);
      // Longer delimiters win a tie (e.g. "{%" vs a "{" based custom one).
      if (at >= 0 && (!best || at < best[0] || (at === best[0] && open.length > best[1].length))) best = [at, open, close, code];
    }
    if (!best) break;
    const [at, open, close, code] = best;
    const end = src.indexOf(close, at + open.length);
    if (end < 0) break;
    const inner = src.slice(at + open.length, end);
    out += src.slice(pos, at + open.length) + (code ? rewriteFormatIn(inner) : inner) + close;
    pos = end + close.length;
  }
  return out + src.slice(pos);
}

/** Index after the string literal starting at `i` (a quote), or -1 when it is not closed. */
function literalEnd(code: string, i: number): number {
  const q = code[i];
  for (let j = i + 1; j < code.length; j++) {
    if (code[j] === "\\") j++;
    else if (code[j] === q) return j + 1;
  }
  return -1;
}

/** Index after the bracketed group opening at `i`, quotes respected, or -1. */
function groupEnd(code: string, i: number): number {
  const closing: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  const stack: string[] = [];
  for (let j = i; j < code.length; j++) {
    const c = code[j];
    if (c === '"' || c === "'") {
      const e = literalEnd(code, j);
      if (e < 0) return -1;
      j = e - 1;
    } else if (closing[c]) stack.push(closing[c]);
    else if (c === ")" || c === "]" || c === "}") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return j + 1;
    }
  }
  return -1;
}

/** End of the operand Jinja binds to the right of `%` (see rewritePythonFormat), or `i` when there is none. */
function operandEnd(code: string, i: number): number {
  let j = i;
  if (code[j] === "-" || code[j] === "+") j++;
  const c = code[j];
  if (c === '"' || c === "'") j = literalEnd(code, j);
  else if (c === "(" || c === "[" || c === "{") j = groupEnd(code, j);
  else {
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9_]*(?:\.[0-9_]+)?)/.exec(code.slice(j));
    j = m ? j + m[0].length : -1;
  }
  if (j < 0) return i;
  for (;;) {
    const attr = /^\s*\.\s*[A-Za-z_][A-Za-z0-9_]*/.exec(code.slice(j));
    const filter = /^\s*\|\s*[A-Za-z_][A-Za-z0-9_.]*/.exec(code.slice(j));
    if (code[j] === "(" || code[j] === "[") {
      const e = groupEnd(code, j);
      if (e < 0) return j;
      j = e;
    } else if (attr) j += attr[0].length;
    else if (filter) {
      j += filter[0].length;
      const call = /^\s*\(/.exec(code.slice(j));
      if (call) {
        const e = groupEnd(code, j + call[0].length - 1);
        if (e < 0) return j;
        j = e;
      }
    } else return j;
  }
}

/** True when `group` (e.g. "(a, b)") has a comma outside nested brackets and strings, i.e. is a tuple. */
function isTuple(group: string): boolean {
  let depth = 0;
  for (let j = 0; j < group.length; j++) {
    const c = group[j];
    if (c === '"' || c === "'") j = literalEnd(group, j) - 1;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 1) return true;
  }
  return false;
}

function rewriteFormatIn(code: string): string {
  let out = "";
  for (let i = 0; i < code.length; ) {
    const c = code[i];
    if (c !== '"' && c !== "'") {
      out += c;
      i++;
      continue;
    }
    const end = literalEnd(code, i);
    if (end < 0) return out + code.slice(i);
    const literal = code.slice(i, end);
    const op = /^\s*%\s*/.exec(code.slice(end));
    const start = end + (op ? op[0].length : 0);
    const stop = op && literal.includes("%") ? operandEnd(code, start) : start;
    if (stop === start) {
      out += literal;
      i = end;
      continue;
    }
    const operand = rewriteFormatIn(code.slice(start, stop));
    const whole = operand[0] === "(" && groupEnd(operand, 0) === operand.length;
    const args = whole && isTuple(operand) ? operand.slice(1, -1).trim().replace(/,\s*$/, "") : operand;
    out += `(${literal} | format(${args}))`;
    i = stop;
  }
  return out;
}

interface Entry {
  source: VCenterTemplateSource;
  key: string;
  env: nunjucks.Environment;
  compiled?: nunjucks.Template;
  text: string;
}

export type RenderContext = Record<string, unknown>;

const MAX_RENDER_DEPTH = 16;

/** The loaded templates plus one nunjucks Environment per distinct jinja2_options set. */
export class TemplateSet {
  private readonly entries = new Map<string, Entry>();
  private readonly envs = new Map<string, nunjucks.Environment>();
  private depth = 0;

  constructor(templates: Iterable<VCenterTemplateSource> = []) {
    for (const t of templates) this.add(t);
  }

  /** Adds or replaces a template; returns its key. */
  add(source: VCenterTemplateSource): string {
    const key = templateKey(source.scope, source.namespace, source.name);
    const opts = envOptions(source.jinja2Options);
    let text = rewritePythonFormat(source.template, opts.tags);
    // Jinja drops one trailing newline of the source unless keep_trailing_newline; nunjucks never does.
    if (!opts.keepTrailingNewline) text = text.replace(/\r?\n$/, "");
    this.entries.set(key, { source, key, env: this.envFor(opts), text });
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
      entry.compiled ??= new nunjucks.Template(entry.text, entry.env, key, true);
      return undefined;
    } catch (err) {
      return toRenderError(key, err, 0);
    }
  }

  /** Renders one template to text. Throws TemplateRenderError naming the template and line. */
  renderText(key: string, context: RenderContext): string {
    const entry = this.entries.get(key);
    if (!entry) throw new TemplateRenderError(key, "no such template is loaded");
    if (this.depth >= MAX_RENDER_DEPTH) throw new TemplateRenderError(key, `render nesting deeper than ${MAX_RENDER_DEPTH} (a template renders itself?)`);
    if (!entry.compiled) {
      try {
        entry.compiled = new nunjucks.Template(entry.text, entry.env, key, true);
      } catch (err) {
        throw toRenderError(key, err, 0);
      }
    }
    this.depth++;
    try {
      return entry.compiled.render(withArrays(context));
    } catch (err) {
      // nunjucks reports runtime positions 0-based and parse positions 1-based.
      throw toRenderError(key, err, 1);
    } finally {
      this.depth--;
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
    });
    this.addFilters(env);
    this.envs.set(id, env);
    return env;
  }

  // For {% include %}/{% import %}; the included template is read with the including env's delimiters.
  private loaderSource(name: string): nunjucks.LoaderSource {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`template ${name} not found`);
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
  }
}

// nunjucks' `in` works on arrays and strings only; sapcc passes `cells` as a Python set.
function withArrays(context: RenderContext): RenderContext {
  if (!Object.values(context).some((v) => v instanceof Set)) return context;
  const out: RenderContext = {};
  for (const [k, v] of Object.entries(context)) out[k] = v instanceof Set ? [...v] : v;
  return out;
}

function toRenderError(key: string, err: unknown, base: number): TemplateRenderError {
  if (err instanceof TemplateRenderError) return err;
  const raw = String((err as { message?: string })?.message ?? err);
  // nunjucks only keeps the position in its message: "(path) [Line N, Column M]\n  Error: detail".
  const m = /^\([^)]*\)(?: \[Line (\d+)(?:, Column (\d+))?\])?\s*(?:Error: )?([\s\S]*)$/.exec(raw);
  const detail = (m ? m[3] : raw).replace(/\s*\n\s*/g, " ").trim();
  const line = m?.[1] !== undefined ? Number(m[1]) + base : undefined;
  const column = m?.[2] !== undefined ? Number(m[2]) + base : undefined;
  return new TemplateRenderError(key, detail || "render failed", line, column);
}

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
  if (scope !== "cluster" && scope !== "datacenter") throw new Error(`${where}: options.scope must be "cluster" or "datacenter", got ${JSON.stringify(scope)}`);
  if (typeof o.template !== "string") throw new Error(`${where}: template must be a string`);
  if (jinja2 !== undefined && (typeof jinja2 !== "object" || jinja2 === null || Array.isArray(jinja2))) {
    throw new Error(`${where}: options.jinja2_options must be a mapping`);
  }
  return { name, namespace, scope, template: o.template, jinja2Options: jinja2 as Record<string, unknown> | undefined };
}
