// Helpers shared by the resource schemas: connection shapes, check() failures from zod issues, and CRD rendering.
import { X509Certificate } from "crypto";
import { z } from "zod";

/** The value Pulumi puts in place of an input that is not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Why an endpoint URL is refused, or undefined. Never quotes the URL: it is part of a secret input and could carry
 * credentials. http: is accepted here; `transportRules` refuses it unless the user opts in with `allowHttp`.
 */
export function endpointUrlProblem(s: string, what: string): string | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return `must be an https:// URL of the ${what}`;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    return `must be an https:// URL of the ${what} (the scheme is ${u.protocol.replace(/:$/, "")})`;
  if (u.hostname === "") return `must be an https:// URL of the ${what}, with a host`;
  // RFC 3986 §3.2.1 userinfo: credentials in a URL end up in logs, shell history and error messages.
  if (u.username !== "" || u.password !== "")
    return "must not carry a user name or password (user:password@host): give them as username and password";
  return undefined;
}

/** An endpoint URL: https:// (http:// only with allowHttp, see transportRules), no userinfo; messages never quote it. */
export const endpointUrl = (what: string) =>
  z.string({ error: `must be the ${what} URL` }).superRefine((s, ctx) => {
    const problem = endpointUrlProblem(s, what);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** @deprecated the old name of endpointUrl. */
export const httpUrl = endpointUrl;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * Why a CA bundle is refused, or undefined: it must hold one or more PEM (RFC 7468) CERTIFICATE blocks that each
 * parse as X.509 (Node's crypto.X509Certificate). Text between blocks is allowed (RFC 7468 §5.2); other block
 * types (a private key pasted by mistake) are not. Never quotes the input.
 */
export function pemBundleProblem(s: string): string | undefined {
  const blocks = [...s.matchAll(PEM_BLOCK)];
  if (!blocks.length) return "must hold PEM certificates (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)";
  for (const [i, b] of blocks.entries()) {
    if (b[1] !== "CERTIFICATE")
      return `PEM block ${i + 1} is a ${b[1]}, not a CERTIFICATE: \`ca\` takes CA certificates only`;
    try {
      new X509Certificate(b[0]);
    } catch {
      return `PEM block ${i + 1} is not a valid X.509 certificate`;
    }
  }
  return undefined;
}

/** TLS settings shared by every connection: verification is on unless the user opts out; http only by opt-in. */
export const tlsFields = {
  insecure: z
    .boolean({ error: "must be true or false" })
    .optional()
    .describe("Skip TLS certificate verification (labs and simulators only); not together with `ca`."),
  ca: z
    .string({ error: "must be a PEM CA bundle" })
    .superRefine((s, ctx) => {
      const problem = pemBundleProblem(s);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional()
    .describe("PEM CA bundle to trust in addition to the system roots."),
  allowHttp: z
    .boolean({ error: "must be true or false" })
    .optional()
    .describe(
      "Accept http:// endpoints, which send the password unencrypted (labs only); off by default, and warned about when on.",
    ),
};

export interface TransportSettings {
  insecure?: boolean;
  ca?: string;
  allowHttp?: boolean;
}

const isHttp = (url: unknown) => typeof url === "string" && /^http:/i.test(url);

/**
 * Cross-field transport rules: an http:// endpoint needs `allowHttp: true`; `insecure` and `ca` exclude each other
 * (a CA that is never checked is a mistake, not a setting). `urls` are the endpoint inputs with their paths.
 */
export function transportRules(
  v: TransportSettings,
  urls: Array<{ path: PropertyKey[]; url: unknown }>,
  ctx: z.RefinementCtx,
): void {
  for (const { path, url } of urls) {
    if (isHttp(url) && v.allowHttp !== true) {
      ctx.addIssue({
        code: "custom",
        path: [...path],
        message:
          "uses http://, which sends the password unencrypted: use https://, or set allowHttp: true to accept that (labs only)",
      });
    }
  }
  if (v.insecure === true && v.ca !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["insecure"],
      message: "cannot be combined with `ca`: either verify the server against `ca`, or skip verification (labs only)",
    });
  }
}

/** Warnings for inputs that passed check() only because the user opted in: plain http (never quotes the URL). */
export function transportWarnings(v: TransportSettings, urls: Array<{ path: string; url: unknown }>): string[] {
  const plain = urls.filter((u) => isHttp(u.url)).map((u) => u.path);
  return v.allowHttp === true && plain.length
    ? [
        `${plain.join(", ")}: plain http:// (allowHttp: true): the password and every response cross the network unencrypted`,
      ]
    : [];
}

/** xs:int, the type of vCD's lease fields (DeploymentLeaseInSeconds, StorageLeaseInSeconds): XML Schema Part 2 §3.3.17. */
export const XS_INT_MAX = 2147483647;

/**
 * Characters XML 1.0 allows in a document (the Char production, XML 1.0 5th ed. §2.2):
 * #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. Lone surrogates are not characters.
 */
// eslint-disable-next-line no-control-regex -- the XML 1.0 Char production names these control characters
const XML_ILLEGAL = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The position (1-based) and code point of the first character XML 1.0 cannot carry, or undefined. */
export function xmlIllegalChar(s: string): { index: number; codePoint: string } | undefined {
  const m = XML_ILLEGAL.exec(s);
  if (!m) return undefined;
  const cp = m[0].codePointAt(0) ?? 0;
  return {
    index: [...s.slice(0, m.index)].length + 1,
    codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`,
  };
}

export interface CheckFailure {
  property: string;
  reason: string;
}

function unknownPaths(value: unknown, path: string[] = [], out: string[][] = []): string[][] {
  if (value === UNKNOWN) out.push(path);
  else if (Array.isArray(value)) value.forEach((v, i) => unknownPaths(v, [...path, String(i)], out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) unknownPaths(v, [...path, k], out);
  return out;
}

/** True when the value, or anything inside it, is not known yet (preview with outputs of other resources). */
export function containsUnknown(value: unknown): boolean {
  return unknownPaths(value).length > 0;
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    "",
  );
}

/**
 * Validates `inputs` against `schema` the way `check()` needs: property-named failures, values not yet known
 * (preview) are not judged, and on success the inputs come back with defaults applied.
 */
export function checkInputs<S extends z.ZodType>(
  schema: S,
  inputs: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const result = schema.safeParse(inputs);
  if (result.success) return { inputs: { ...inputs, ...(result.data as Record<string, unknown>) }, failures: [] };
  const unknown = unknownPaths(inputs).map((p) => p.join("."));
  const failures = result.error.issues
    .filter((iss) => {
      const p = iss.path.map(String).join(".");
      return !unknown.some((u) => p === u || p.startsWith(u + ".") || u.startsWith(p + ".") || u === "");
    })
    .map((iss) => ({ property: formatPath(iss.path) || "(inputs)", reason: iss.message }));
  // Only unknown values failed: keep the defaults, or the preview would show them as removed.
  return { inputs: failures.length ? inputs : withTopLevelDefaults(schema, inputs), failures };
}

function withTopLevelDefaults(schema: z.ZodType, inputs: Record<string, unknown>): Record<string, unknown> {
  if (!(schema instanceof z.ZodObject)) return inputs;
  const out = { ...inputs };
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (out[key] === undefined && field instanceof z.ZodDefault) out[key] = field._zod.def.defaultValue;
  }
  return out;
}

/** Thrown by providers for a `check()`-style failure found later (e.g. while planning). */
export function describeFailures(kind: string, name: string, failures: CheckFailure[]): string {
  return `${kind} "${name}": invalid inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`;
}
