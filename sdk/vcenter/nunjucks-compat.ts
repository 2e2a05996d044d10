// What nunjucks needs to render sapcc's Jinja templates safely: Python semantics it lacks, and Jinja2's sandbox
// rules (jinja2.sandbox.SandboxedEnvironment) so a template reaches nothing but its render context. nunjucks'
// runtime and compiler are process-wide objects, so this is installed once, explicitly, by TemplateSet (not on import).
import * as nunjucks from "nunjucks";
import { pyStr, PY_STR_METHODS } from "./filters";

/** A template tried to reach something outside its context (Jinja2's SecurityError). */
export class TemplateSecurityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecurityError";
  }
}

/** A render exceeded its time or output bound. */
export class RenderLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderLimitError";
  }
}

/** jinja2.sandbox.MAX_RANGE: the most items `range()` may produce in a template. */
export const MAX_RANGE = 100_000;

const hasOwn = (o: object, k: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Why reading `obj[key]` is refused, or undefined when it is allowed. Jinja2's SandboxedEnvironment.is_safe_attribute
 * refuses attributes starting with `_` and the internals of functions and methods (func_*, im_*, __*); the JS
 * equivalents of Python's `__class__`/`__mro__` walk are `constructor` and `prototype` (they lead to Function, which
 * compiles code), and every member of a function (call, apply, bind, caller, arguments, constructor).
 */
export function unsafeMember(obj: unknown, key: unknown): string | undefined {
  // A computed key may be any value of the context, a password included: only fixed words are quoted back.
  if (typeof obj === "function") return `access to an attribute of a function is unsafe`;
  if (typeof key !== "string") return undefined;
  if (key === "constructor" || key === "prototype") return `access to attribute '${key}' of ${describe(obj)} is unsafe`;
  if (key.startsWith("_")) return `access to an attribute starting with '_' of ${describe(obj)} is unsafe`;
  return undefined;
}

function describe(obj: unknown): string {
  if (obj === null) return "None";
  if (Array.isArray(obj)) return "a list";
  if (typeof obj === "string") return "a string";
  if (typeof obj === "object") return "an object";
  return `a ${typeof obj}`;
}

/** Jinja2's `safe_range`: Python range() semantics, refusing more than MAX_RANGE items before allocating any. */
export function safeRange(start: unknown, stop?: unknown, step?: unknown): number[] {
  const args = stop === undefined || stop === null ? [0, start, step] : [start, stop, step];
  if (args[2] === undefined || args[2] === null) args[2] = 1;
  // Python's range takes integers only (Jinja: "'float' object cannot be interpreted as an integer").
  const at = args.findIndex((v) => typeof v !== "number" || !Number.isInteger(v));
  const bad = args[at];
  if (at >= 0)
    throw new TypeError(
      `range() arguments must be integers, got ${bad === undefined || bad === null ? "None" : typeof bad === "number" ? bad : typeof bad}`,
    );
  const [a, b, s] = args as number[];
  if (s === 0) throw new RangeError("range() arg 3 must not be zero");
  const n = Math.max(0, Math.ceil((b - a) / s));
  if (n > MAX_RANGE)
    throw new RenderLimitError(
      `range too big: ${n} items; the sandbox allows at most ${MAX_RANGE} (jinja2.sandbox.MAX_RANGE)`,
    );
  return Array.from({ length: n }, (_, i) => a + i * s);
}

// ---- bounds of the render in progress (time, output) and where it is ----

export interface RenderBudget {
  /** Wall-clock deadline, Date.now() milliseconds. */
  deadline: number;
  timeoutMs: number;
  /** Characters `{{ … }}` may output over the whole render (nested `render` calls included). */
  maxOutput: number;
  output: number;
}

let budget: RenderBudget | undefined;
let ticks = 0;

/** Runs `fn` under `b` unless a render is already in progress (a nested `render` shares the outer budget). */
export function withBudget<T>(b: RenderBudget, fn: () => T): T {
  if (budget) return fn();
  budget = b;
  try {
    return fn();
  } finally {
    budget = undefined;
  }
}

function checkTime(): void {
  // Date.now() only every 256 steps: this sits on every loop iteration, lookup and output.
  if (budget && (++ticks & 255) === 0 && Date.now() > budget.deadline) {
    throw new RenderLimitError(`rendering took longer than ${budget.timeoutMs} ms`);
  }
}

/**
 * [template index, line] of the render in progress, written as it goes, so that a host that had to stop a render
 * from outside (a worker terminated on its wall clock) can still say where it was. Shared memory when given.
 */
let position: Int32Array<ArrayBufferLike> = new Int32Array(2);
export function usePositionBuffer(buffer: SharedArrayBuffer): void {
  position = new Int32Array(buffer, 0, 2);
}
export function setPositionTemplate(index: number): number {
  const previous = position[0];
  position[0] = index;
  return previous;
}

// ---- installation ----

type Runtime = Record<string | symbol, unknown> & {
  memberLookup: (...a: unknown[]) => unknown;
  suppressValue: (v: unknown, autoescape: boolean) => unknown;
  contextOrFrameLookup: (context: unknown, frame: unknown, name: string) => unknown;
  callWrap: (obj: unknown, name: string, context: unknown, args: unknown[]) => unknown;
  Frame: { prototype: { set: (...a: unknown[]) => unknown } };
};
type CompilerProto = Record<string, (...a: any[]) => unknown>;

const INSTALLED = Symbol.for("pulumi-vmware-kit.vcenter.nunjucks-compat");

/**
 * Installs, once per process (idempotent):
 * - Python semantics: nunjucks' installJinjaCompat (True/False/None, dict .items()/.keys()/.values()/.get(), list
 *   methods, slices); Python str methods (PY_STR_METHODS); True/False/None printed as Jinja's str() does; tuples
 *   (nunjucks compiles `(a, b)` to JS's comma operator); negative indexes and string slices.
 * - Jinja2 sandbox rules: unsafeMember on every `.attr`/`[key]` (checked at compile time for literal names, so check()
 *   reports them, and at run time for computed keys); names resolve to the context's and globals' own entries only
 *   (not Object.prototype's); dict .get/.pop/.setdefault read own keys only; `__proto__` as a dict literal key refused;
 *   names must be identifiers and call-site text is sanitized (nunjucks pastes both into the code it generates).
 * - Python's `*` for strings and lists (pyMul), and JS string methods that grow a string, judged against the output
 *   bound before allocating; `range` is replaced by safeRange where TemplateSet builds its environments.
 * - Bounds and position: every loop step, lookup, call and output checks the render's deadline; output counts
 *   against its bound; each lookup, call, filter and name records its line (lineno for errors, the position above).
 */
export function installNunjucksCompat(): void {
  const rt = nunjucks.runtime as unknown as Runtime;
  if (rt[INSTALLED]) return;
  rt[INSTALLED] = true;
  nunjucks.installJinjaCompat();

  const compatLookup = rt.memberLookup;
  // Fixed parameters rather than rest/spread: this runs for every `.attr` and `[i]` of every render.
  rt.memberLookup = function (this: unknown, obj: unknown, key: unknown, a?: unknown, b?: unknown) {
    // Four arguments is the compat layer's slice lookup, which returns an array even for a string.
    if (arguments.length === 4) {
      const r = compatLookup.call(this, obj, key, a, b);
      return typeof obj === "string" && Array.isArray(r) ? r.join("") : r;
    }
    checkTime();
    // A key that is neither string nor number is converted by JS anyway (x[["constructor"]]): judge what it becomes.
    if (typeof key !== "string" && typeof key !== "number") key = String(key);
    const unsafe = unsafeMember(obj, key);
    if (unsafe) throw new TemplateSecurityError(unsafe);
    if (typeof obj === "string" && typeof key === "string" && hasOwn(PY_STR_METHODS, key)) {
      const method = PY_STR_METHODS[key];
      return (...args: unknown[]) => method(obj, ...args);
    }
    if (typeof obj === "string" && typeof key === "string" && hasOwn(GROWING_STR_METHODS, key)) {
      const size = GROWING_STR_METHODS[key];
      return (...args: unknown[]) => {
        const n = size(obj, args[0]);
        const limit = budget?.maxOutput ?? DEFAULT_MAX_OUTPUT;
        if (n > limit)
          throw new RenderLimitError(
            `${key}() would make a string of ${n} characters, over the output bound of ${limit}`,
          );
        return (String.prototype[key as "repeat"] as (...a: unknown[]) => string).apply(obj, args);
      };
    }
    if (
      (typeof obj === "string" || Array.isArray(obj)) &&
      typeof key === "number" &&
      Number.isInteger(key) &&
      key < 0
    ) {
      key = obj.length + key;
    }
    if (isPlainObject(obj) && typeof key === "string" && hasOwn(DICT_METHODS, key) && !hasOwn(obj, key)) {
      const method = DICT_METHODS[key];
      return (...args: unknown[]) => method(obj, ...args);
    }
    return compatLookup.call(this, obj, key);
  };

  rt.contextOrFrameLookup = function (context: unknown, frame: unknown, name: string) {
    checkTime();
    const val = (frame as { lookup(n: string): unknown }).lookup(name);
    if (val !== undefined) return val;
    const c = context as { ctx: Record<string, unknown>; env: { globals: Record<string, unknown> } };
    if (hasOwn(c.ctx, name) && c.ctx[name] !== undefined) return c.ctx[name];
    if (hasOwn(c.env.globals, name)) return c.env.globals[name];
    return hasOwn(PY_CONSTANTS, name) ? PY_CONSTANTS[name] : undefined;
  };

  const callWrap = rt.callWrap;
  rt.callWrap = function (this: unknown, obj: unknown, name: string, context: unknown, args: unknown[]) {
    checkTime();
    return callWrap.call(this, obj, name, context, args);
  };

  const frameSet = rt.Frame.prototype.set;
  rt.Frame.prototype.set = function (this: unknown, ...args: unknown[]) {
    checkTime(); // every loop iteration sets its loop variables
    return frameSet.apply(this, args);
  };

  const suppressValue = rt.suppressValue;
  rt.suppressValue = function (this: unknown, v: unknown, autoescape: boolean) {
    const out = suppressValue.call(this, typeof v === "boolean" || v === null ? pyStr(v) : v, autoescape);
    if (budget) {
      checkTime();
      budget.output += String(out).length;
      if (budget.output > budget.maxOutput)
        throw new RenderLimitError(`output larger than ${budget.maxOutput} characters`);
    }
    return out;
  };

  (rt as Record<string, unknown>).mul = pyMul;
  (rt as Record<string, unknown>).at = (line: number): number => ((position[1] = line + 1), line);

  // nunjucks' compiler pastes names into the JavaScript it generates without escaping them, and its lexer takes any
  // run of characters other than whitespace and operators as a name: `{{ a"&&Function`…```&&" }}` ran arbitrary code
  // past every check above. Names are therefore held to Jinja's identifier rule as they are read (Jinja's lexer does
  // the same: a name is `[a-zA-Z_][a-zA-Z0-9_]*`, Unicode letters included), and the call-site text nunjucks pastes
  // into its "Unable to call …" messages is reduced to harmless characters.
  const lexer = (nunjucks as unknown as { lexer: { lex(src: string, opts: unknown): object; TOKEN_SYMBOL: string } })
    .lexer;
  const Tokenizer = Object.getPrototypeOf(lexer.lex("", {})) as {
    nextToken(this: unknown): { type: string; value: unknown; lineno: number; colno: number } | null;
  };
  const nextToken = Tokenizer.nextToken;
  const TemplateError = (
    nunjucks as unknown as { lib: { TemplateError: new (msg: string, lineno: number, colno: number) => Error } }
  ).lib.TemplateError;
  Tokenizer.nextToken = function (this: unknown) {
    const tok = nextToken.call(this);
    if (tok && tok.type === lexer.TOKEN_SYMBOL && !IDENTIFIER.test(String(tok.value))) {
      const shown = JSON.stringify(String(tok.value).slice(0, 40));
      throw new TemplateError(
        `${shown} is not a valid name (letters, digits and _; numbers are written without exponent)`,
        tok.lineno + 1,
        tok.colno + 1,
      );
    }
    return tok;
  };
  const Compiler = (nunjucks as unknown as { compiler: { Compiler: { prototype: CompilerProto } } }).compiler.Compiler;
  const proto = Compiler.prototype;
  // The same paste happens where the parser accepts any expression but the compiler assumes a name: `{% set "…" = 1 %}`,
  // `x is "…"`, `{% macro m("…"=1) %}` ran code through a quoted string. Such places must hold names (Symbols).
  const compileRoot = proto.compileRoot;
  proto.compileRoot = function (this: CompilerProto, node: AstNode, frame: unknown) {
    const bad = misplacedName(node);
    if (bad)
      this.fail(
        `expected a name here, not ${bad.typename === "Literal" ? "a quoted string" : "an expression"}`,
        bad.lineno,
        bad.colno,
      );
    return compileRoot.call(this, node, frame);
  };
  const getNodeName = proto._getNodeName;
  proto._getNodeName = function (this: CompilerProto, node: unknown) {
    return String(getNodeName.call(this, node)).replace(/[^\p{L}\p{N}_ .()'-]/gu, "?");
  };
  const compileGroup = proto.compileGroup;
  proto.compileGroup = function (this: CompilerProto, node: { children: unknown[] }, frame: unknown) {
    if (node.children.length > 1) return this._compileAggregate(node, frame, "[", "]");
    return compileGroup.call(this, node, frame);
  };
  const compileLookupVal = proto.compileLookupVal;
  proto.compileLookupVal = function (this: CompilerProto, node: LookupNode, frame: unknown) {
    // Judged after the target is compiled, so that in `x.__class__.__mro__` the first unsafe name is reported.
    positioned(this, node, () => compileLookupVal.call(this, node, frame));
    if (node.val?.typename === "Literal" && typeof node.val.value === "string") {
      const unsafe = unsafeMember(undefined, node.val.value);
      if (unsafe)
        this.fail(`access to attribute '${node.val.value}' is unsafe (a Jinja2 sandbox rule)`, node.lineno, node.colno);
    }
  };
  proto.compileMul = function (
    this: CompilerProto,
    node: LookupNode & { left: unknown; right: unknown },
    frame: unknown,
  ) {
    positioned(this, node, () => {
      this._emit("runtime.mul(");
      this.compile(node.left, frame);
      this._emit(", ");
      this.compile(node.right, frame);
      this._emit(")");
    });
  };
  const compilePair = proto.compilePair;
  proto.compilePair = function (
    this: CompilerProto,
    node: { key: { value?: unknown; lineno: number; colno: number } },
    frame: unknown,
  ) {
    // {"__proto__": x} in the compiled JS object literal would set the prototype instead of a key.
    if (node.key.value === "__proto__") this.fail("'__proto__' cannot be a dict key", node.key.lineno, node.key.colno);
    return compilePair.call(this, node, frame);
  };
  for (const name of ["compileSymbol", "compileFilter", "compileFunCall"]) {
    const orig = proto[name];
    proto[name] = function (this: CompilerProto, node: LookupNode, frame: unknown) {
      return positioned(this, node, () => orig.call(this, node, frame));
    };
  }
}

const DEFAULT_MAX_OUTPUT = 4 * 1024 * 1024;

// JS string methods whose result can be far larger than their input: judged against the output bound beforehand.
const GROWING_STR_METHODS: Record<string, (s: string, n: unknown) => number> = {
  repeat: (s, n) => s.length * Math.max(0, Number(n) || 0),
  padStart: (s, n) => Math.max(s.length, Number(n) || 0),
  padEnd: (s, n) => Math.max(s.length, Number(n) || 0),
};

/**
 * Python's `*`: a string or list times an integer repeats it (`'-' * 40`), refused before allocating when the result
 * would exceed the render's output bound; numbers multiply. nunjucks alone gives NaN for a string.
 */
export function pyMul(a: unknown, b: unknown): unknown {
  const seq = typeof a === "string" || Array.isArray(a) ? a : typeof b === "string" || Array.isArray(b) ? b : undefined;
  if (seq === undefined) return (a as number) * (b as number);
  const n = seq === a ? b : a;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new TypeError("can't multiply a sequence by a non-integer");
  const count = Math.max(0, n);
  const limit = budget?.maxOutput ?? DEFAULT_MAX_OUTPUT;
  if (seq.length * count > limit)
    throw new RenderLimitError(
      `${typeof seq === "string" ? "string" : "list"} repetition of ${seq.length * count} items exceeds the output bound of ${limit}`,
    );
  if (typeof seq === "string") return seq.repeat(count);
  return Array.from({ length: count }, () => seq).flat(1);
}

interface AstNode {
  typename: string;
  lineno: number;
  colno: number;
  fields?: string[];
  children?: AstNode[];
  [field: string]: unknown;
}

const isSymbol = (n: unknown): boolean => (n as AstNode | undefined)?.typename === "Symbol";

/** The first node the compiler would paste as a name that is not a Symbol (see compileRoot above), if any. */
function misplacedName(root: AstNode): AstNode | undefined {
  const bad: AstNode[] = [];
  const need = (n: unknown, ok: boolean) => {
    if (!ok && n) bad.push(n as AstNode);
  };
  const visit = (n: AstNode | undefined): void => {
    if (!n || typeof n !== "object" || !n.typename) return;
    switch (n.typename) {
      case "Set":
        for (const t of (n.targets as AstNode[]) ?? []) need(t, isSymbol(t));
        break;
      case "For":
      case "AsyncEach":
      case "AsyncAll": {
        const name = n.name as AstNode;
        if (name?.typename === "Array") for (const c of name.children ?? []) need(c, isSymbol(c));
        else need(name, isSymbol(name));
        break;
      }
      case "Macro":
      case "Caller": {
        need(n.name, n.name === undefined || n.name === null || isSymbol(n.name));
        for (const a of (n.args as AstNode)?.children ?? []) {
          if (a.typename === "KeywordArgs" || a.typename === "Dict")
            for (const pair of a.children ?? []) need(pair.key, isSymbol(pair.key));
          else need(a, isSymbol(a));
        }
        break;
      }
      case "Is": {
        const right = n.right as AstNode;
        // `x is none`/`is true` parse the test name as a non-string Literal: its text is harmless.
        const plain = right?.typename === "Literal" && typeof right.value !== "string";
        need(right, plain || isSymbol(right) || (right?.typename === "FunCall" && isSymbol(right.name)));
        break;
      }
      case "Import":
        need(n.target, isSymbol(n.target));
        break;
      case "FromImport":
        for (const c of (n.names as AstNode)?.children ?? [])
          need(c, isSymbol(c) || (c.typename === "Pair" && isSymbol(c.key) && isSymbol(c.value)));
        break;
      case "Block":
        need(n.name, isSymbol(n.name));
        break;
    }
    for (const c of n.children ?? []) visit(c);
    for (const f of n.fields ?? []) {
      const v = n[f];
      if (Array.isArray(v)) v.forEach((x) => visit(x as AstNode));
      else visit(v as AstNode);
    }
  };
  visit(root);
  return bad[0];
}

interface LookupNode {
  lineno: number;
  colno: number;
  val?: { typename: string; value: unknown };
}

/** Emits `(lineno = runtime.at(N), colno = M, <expr>)`: nunjucks itself updates lineno only at function calls. */
function positioned(c: CompilerProto, node: LookupNode, emit: () => unknown): void {
  c._emit(`(lineno = runtime.at(${node.lineno}), colno = ${node.colno}, `);
  emit();
  c._emit(")");
}

/** A name in a template: Jinja's identifier rule (Unicode letters allowed, as in Jinja on Python 3). */
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

// What installJinjaCompat's own name lookup (replaced above) adds: Python's constants.
const PY_CONSTANTS: Record<string, unknown> = { True: true, False: false, None: null };

const isPlainObject = (o: unknown): o is Record<string, unknown> =>
  Object.prototype.toString.call(o) === "[object Object]";

function checkedKey(key: unknown): string {
  const k = String(key);
  const unsafe = unsafeMember(undefined, k);
  if (unsafe) throw new TemplateSecurityError(unsafe);
  return k;
}

// Python dict methods that read a key: own keys only (the compat layer's versions also read inherited ones).
const DICT_METHODS: Record<string, (d: Record<string, unknown>, ...a: unknown[]) => unknown> = {
  get: (d, key, def = null) => {
    const k = checkedKey(key);
    return hasOwn(d, k) && d[k] !== undefined ? d[k] : def;
  },
  pop: (d, key, def) => {
    const k = checkedKey(key);
    if (!hasOwn(d, k)) {
      if (def === undefined) throw new Error("KeyError: pop() of a key the dict does not have, without a default");
      return def;
    }
    const v = d[k];
    delete d[k];
    return v;
  },
  setdefault: (d, key, def = null) => {
    const k = checkedKey(key);
    if (!hasOwn(d, k)) d[k] = def;
    return d[k];
  },
  has_key: (d, key) => hasOwn(d, String(key)),
};
