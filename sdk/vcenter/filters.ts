// Jinja filters sapcc registers (templates.py), plus the Python `%` formatting nunjucks lacks.
import * as crypto from "crypto";
import { MasterPassword } from "./masterpassword";

/** `str(v).replace('$','$$')`: oslo.config treats `$` as interpolation. */
export function iniEscape(v: unknown): string {
  return pyStr(v).replace(/\$/g, "$$$$");
}

/** `'"' + ini_escape(v).replace('"','\\"') + '"'`. */
export function iniQuote(v: unknown): string {
  return '"' + iniEscape(v).replace(/"/g, '\\"') + '"';
}

export function sha256sum(v: unknown): string {
  return crypto.createHash("sha256").update(pyStr(v), "utf8").digest("hex");
}

export function b64enc(v: unknown): string {
  return Buffer.from(pyStr(v), "utf8").toString("base64");
}

/** Jinja's str() of a value as templates see it: undefined renders empty, None/booleans as Python does. */
export function pyStr(v: unknown): string {
  if (v === undefined) return "";
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  return String(v);
}

/**
 * Jinja's `int` filter: int(value), else int(float(value)), else `def` (0). nunjucks' own returns undefined for
 * "abc" and 1 for "1e3", which then formats or compares differently from sapcc.
 */
export function pyInt(v: unknown, def: unknown = 0, base: unknown = 10): unknown {
  if (typeof v === "boolean") return Number(v);
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : def;
  if (typeof v !== "string") return def;
  const s = v.trim().replace(/([0-9a-fA-F])_(?=[0-9a-fA-F])/g, "$1");
  const b = Number(base);
  const digits =
    b === 16
      ? /^[-+]?(0x)?[0-9a-f]+$/i
      : b === 8
        ? /^[-+]?(0o)?[0-7]+$/i
        : b === 2
          ? /^[-+]?(0b)?[01]+$/i
          : /^[-+]?[0-9]+$/;
  if (digits.test(s)) {
    const neg = s[0] === "-";
    const body = s.replace(/^[-+]/, "").replace(/^0[xob]/i, "");
    const n = parseInt(body, b === 16 || b === 8 || b === 2 ? b : 10);
    return neg ? -n : n;
  }
  const f = pyFloat(s, NaN);
  return typeof f === "number" && Number.isFinite(f) ? Math.trunc(f) : def;
}

/** Jinja's `float` filter: float(value), else `def` (0.0). */
export function pyFloat(v: unknown, def: unknown = 0): unknown {
  if (typeof v === "boolean") return Number(v);
  if (typeof v === "number") return v;
  if (typeof v !== "string") return def;
  const s = v.trim().replace(/([0-9])_(?=[0-9])/g, "$1");
  if (/^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/i.test(s)) return Number(s);
  if (/^[-+]?(?:inf|infinity)$/i.test(s)) return s[0] === "-" ? -Infinity : Infinity;
  if (/^[-+]?nan$/i.test(s)) return NaN;
  return def;
}

function pySplit(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : Number(maxsplit);
  if (sep === undefined || sep === null) {
    // No separator: runs of whitespace, leading/trailing ignored.
    const out: string[] = [];
    let rest = s.replace(/^\s+/, "");
    while (rest !== "" && (max < 0 || out.length < max)) {
      const m = /\s+/.exec(rest);
      if (!m) break;
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    if (rest !== "") out.push(rest);
    return out;
  }
  const d = String(sep);
  if (d === "") throw new Error("empty separator");
  const parts = s.split(d);
  return max < 0 || parts.length <= max + 1 ? parts : [...parts.slice(0, max), parts.slice(max).join(d)];
}

function pyStrip(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? undefined : String(chars);
  const strip = (c: string) => (set === undefined ? /\s/.test(c) : set.includes(c));
  let a = 0;
  let b = s.length;
  while (left && a < b && strip(s[a])) a++;
  while (right && b > a && strip(s[b - 1])) b--;
  return s.slice(a, b);
}

const affix = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);

/**
 * Python str methods templates call on strings (`host.split(".", 1)`, `name.replace("-", "_")`, `az.upper()`), with
 * Python semantics: JS `split(sep, n)` truncates instead of keeping the rest, JS `replace` replaces only the first
 * occurrence, and lower/upper/startswith/strip/join don't exist on JS strings.
 */
export const PY_STR_METHODS: Record<string, (s: string, ...args: unknown[]) => unknown> = {
  split: (s, sep, max) => pySplit(s, sep, max),
  replace: (s, old, rep, count) => {
    const o = pyStr(old);
    const parts = s.split(o);
    const n = count === undefined || count === null || Number(count) < 0 ? parts.length : Number(count) + 1;
    return [parts.slice(0, n).join(pyStr(rep)), ...parts.slice(n)].join(o);
  },
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  strip: (s, c) => pyStrip(s, c, true, true),
  lstrip: (s, c) => pyStrip(s, c, true, false),
  rstrip: (s, c) => pyStrip(s, c, false, true),
  startswith: (s, p) => affix(p).some((x) => s.startsWith(x)),
  endswith: (s, p) => affix(p).some((x) => s.endsWith(x)),
  join: (s, items) => [...((items ?? []) as Iterable<unknown>)].map(pyStr).join(s),
};

/** `str.zfill(width)`, sign-aware like Python. */
export function zfill(v: unknown, width: number): string {
  const s = pyStr(v);
  const sign = s[0] === "-" || s[0] === "+" ? s[0] : "";
  const body = sign ? s.slice(1) : s;
  return sign + body.padStart(Math.max(0, width - sign.length), "0");
}

/**
 * Python printf-style formatting (`'%03d' % bb`), which Jinja's `format` filter also uses:
 * conversions s r d i u f F x X o c e E %, flags `-+ 0#`, width and precision.
 */
export function pyFormat(fmt: unknown, ...args: unknown[]): string {
  let i = 0;
  const next = (): unknown => {
    if (i >= args.length) throw new Error("not enough arguments for format string");
    return args[i++];
  };
  return pyStr(fmt).replace(
    /%([-+ 0#]*)(\d+|\*)?(?:\.(\d+|\*))?([sridufFxXoceE%])/g,
    (_m, flags: string, w, p, conv) => {
      if (conv === "%") return "%";
      const width = w === "*" ? Number(next()) : w === undefined ? 0 : Number(w);
      const prec = p === "*" ? Number(next()) : p === undefined ? undefined : Number(p);
      const v = next();
      let body: string;
      let sign = "";
      const num = (): number => {
        const n = typeof v === "boolean" ? Number(v) : Number(v);
        if (typeof v === "string" || Number.isNaN(n)) throw new TypeError(`%${conv} format: a number is required`);
        return n;
      };
      switch (conv) {
        case "s":
        case "r":
          body = pyStr(v);
          if (prec !== undefined) body = body.slice(0, prec);
          break;
        case "c":
          body = typeof v === "number" ? String.fromCodePoint(v) : pyStr(v);
          break;
        case "d":
        case "i":
        case "u": {
          const n = Math.trunc(num());
          body = String(Math.abs(n));
          if (n < 0) sign = "-";
          break;
        }
        case "x":
        case "X":
        case "o": {
          const n = Math.trunc(num());
          body = Math.abs(n).toString(conv === "o" ? 8 : 16);
          if (conv === "X") body = body.toUpperCase();
          if (flags.includes("#")) body = (conv === "o" ? "0o" : conv === "x" ? "0x" : "0X") + body;
          if (n < 0) sign = "-";
          break;
        }
        default: {
          const n = num();
          const digits = prec ?? 6;
          body = conv === "e" || conv === "E" ? Math.abs(n).toExponential(digits) : Math.abs(n).toFixed(digits);
          if (conv === "e" || conv === "E") body = body.replace(/e([+-])(\d)$/, "e$10$2");
          if (conv === "E" || conv === "F") body = body.toUpperCase();
          if (n < 0 || Object.is(n, -0)) sign = "-";
        }
      }
      if (!sign && "diufFxXoeE".includes(conv)) sign = flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
      const pad = width - sign.length - body.length;
      if (pad <= 0) return sign + body;
      if (flags.includes("-")) return sign + body + " ".repeat(pad);
      if (flags.includes("0") && conv !== "s" && conv !== "r" && conv !== "c") return sign + "0".repeat(pad) + body;
      return " ".repeat(pad) + sign + body;
    },
  );
}

/** What a nunjucks context filter sees as `this`. */
export interface FilterThis {
  ctx: Record<string, unknown>;
}

/**
 * `derive_password(user=ctx.username, host=ctx.host)`: the Long password for another user or host, derived from the
 * context's `master_password`. Errors never include the password.
 */
export function derivePasswordFilter(this: FilterThis, user?: unknown, host?: unknown): string {
  const ctx = this.ctx;
  const u = user === undefined || user === null || user === "" ? ctx.username : user;
  const h = host === undefined || host === null || host === "" ? ctx.host : host;
  const mp = ctx.master_password;
  if (typeof mp !== "string" || mp === "") throw new Error("derive_password: the context has no master_password");
  if (typeof u !== "string" || u === "")
    throw new Error("derive_password: no user given and the context has no username");
  if (typeof h !== "string" || h === "") throw new Error("derive_password: no host given and the context has no host");
  return new MasterPassword(u, mp).derive("long", h);
}
