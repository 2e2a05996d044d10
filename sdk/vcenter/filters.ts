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

/** Jinja's str() of a value as templates see it: undefined renders empty, booleans as Python does. */
export function pyStr(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (v === true) return "True";
  if (v === false) return "False";
  return String(v);
}

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
  return pyStr(fmt).replace(/%([-+ 0#]*)(\d+|\*)?(?:\.(\d+|\*))?([sridufFxXoceE%])/g, (_m, flags: string, w, p, conv) => {
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
  });
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
  if (typeof u !== "string" || u === "") throw new Error("derive_password: no user given and the context has no username");
  if (typeof h !== "string" || h === "") throw new Error("derive_password: no host given and the context has no host");
  return new MasterPassword(u, mp).derive("long", h);
}
