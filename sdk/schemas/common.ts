// Helpers shared by the resource schemas: endpoint URLs, TLS settings, XML character rules.
import { X509Certificate } from "crypto";
import { z } from "zod";

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

/**
 * A duration as Go's time.ParseDuration reads it (the syntax of Pulumi's customTimeouts and Terraform's
 * `timeouts`): one or more decimal numbers each with a unit h, m, s or ms, e.g. "30m", "1h30m", "90s".
 */
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms))+$/;
const DURATION_UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Milliseconds of a Go duration string ("1h30m" → 5400000); throws on anything GO_DURATION refuses. */
export function durationMs(s: string): number {
  if (!GO_DURATION.test(s)) throw new Error(`not a duration: ${JSON.stringify(s)}`);
  let ms = 0;
  for (const [, n, unit] of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) ms += Number(n) * DURATION_UNIT_MS[unit];
  return Math.round(ms);
}

/** The longest `timeouts` value: an operation running for more than a week is a mistake, not a setting. */
export const MAX_TIMEOUT_MS = 7 * 24 * 3_600_000;

const duration = (op: string) =>
  z
    .string({ error: 'must be a duration such as "30m", "1h30m" or "90s"' })
    .regex(GO_DURATION, { error: 'must be a duration such as "30m", "1h30m" or "90s" (units h, m, s, ms)' })
    .refine((s) => !GO_DURATION.test(s) || durationMs(s) >= 1_000, { error: "must be at least 1s" })
    .refine((s) => !GO_DURATION.test(s) || durationMs(s) <= MAX_TIMEOUT_MS, { error: "must be at most 168h (7 days)" })
    .optional()
    .describe(`How long ${op} may take in all, 1s to 168h (default: no overall limit).`);

/**
 * Per-operation time limits, like Terraform's `timeouts` block: when one passes, the tasks in flight are cancelled
 * and the operation fails with whatever already exists recorded in the state, so `pulumi destroy` can remove it.
 * Without a limit each server task is still bounded (vSphere 30 min, vCD 10 min).
 */
export const timeoutsSchema = z
  .object({ create: duration("a create"), update: duration("an update"), delete: duration("a delete") })
  .strict()
  .optional()
  .describe(
    'How long create, update and delete may each take in all, as durations ("30m", "1h30m"); tasks still running then are cancelled.',
  );

export type Timeouts = z.output<typeof timeoutsSchema>;
