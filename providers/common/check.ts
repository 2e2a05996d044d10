// check() failures as the engine prints them. The engine formats a failure with a property as
// `property <p> value {<inputs[p]>} has a problem: <reason>`: it looks `p` up among the top-level inputs only (so a
// nested path prints `{<nil>}`), prints strings unquoted (`value {3} ... must be a number`) and would print a
// secret's content. So failures reach it without a property, as one sentence we write: the path, the reason and
// the value it rejects, quoted as JSON, never the value of a secret.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * The value the Pulumi engine puts in place of an input that is not known yet (during preview): the dynamic
 * provider protocol's unknown sentinel (@pulumi/pulumi runtime/rpc.ts `unknownValue`).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const SECRET_KEY = /password|secret|token|tsigkey/i;
/** Values never shown either: endpoint URLs may carry credentials or tokens (userinfo, query), PEM is noise. */
const UNSHOWN_KEY = /^(url|endpoints|variables|ca|kubeconfig)$/i;
const MAX_VALUE_CHARS = 80;

/** Looks a failure's property path (`connection.url`, `templates[1].name`, `endpoints.vc-a-0.example.com`) up. */
export function valueAt(inputs: unknown, property: string): { found: boolean; value?: unknown; secret: boolean } {
  let node: unknown = inputs;
  let rest = property;
  let secret = false;
  while (rest) {
    const index = /^\[(\d+)\]\.?/.exec(rest);
    if (index && Array.isArray(node)) {
      node = node[Number(index[1])];
      rest = rest.slice(index[0].length);
      continue;
    }
    if (!node || typeof node !== "object") return { found: false, secret };
    // Keys may contain dots (FQDNs): take the longest key that the path starts with.
    const key = Object.keys(node)
      .filter((k) => rest === k || rest.startsWith(`${k}.`) || rest.startsWith(`${k}[`))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) return { found: false, secret };
    secret ||= SECRET_KEY.test(key) || UNSHOWN_KEY.test(key);
    node = (node as Record<string, unknown>)[key];
    rest = rest.slice(key.length).replace(/^\./, "");
  }
  return { found: true, value: node, secret };
}

/** The rejected value as a user typed it: JSON (strings quoted), shortened. */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text.length > MAX_VALUE_CHARS) text = `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
  // "3" and "true" look like what they are not: say so (`pulumi config set` stores strings).
  return typeof value === "string" && /^\s*(-?\d+(\.\d+)?|true|false)\s*$/.test(value) ? `${text}, a string` : text;
}

/** One failure as a sentence: `memoryMB: must be a multiple of 4 MB (got 1022)`. */
export function failureSentence(failure: pulumi.dynamic.CheckFailure, inputs: unknown): string {
  const { property, reason } = failure;
  if (!property || property === "(inputs)") return reason;
  const { found, value, secret } = valueAt(inputs, property);
  if (!found || value === undefined) return `${property}: ${reason} (not set)`;
  if (secret) return `${property}: ${reason} (value not shown: secret)`;
  if (typeof value === "string" && value.includes("://")) return `${property}: ${reason} (value not shown: a URL)`;
  // Reasons that already quote the value ("..., got \"ftp://x\"") need no repeat.
  if (reason.includes(JSON.stringify(value) ?? "\u0000")) return `${property}: ${reason}`;
  return `${property}: ${reason} (got ${showValue(value)})`;
}

/** The check result handed to the engine: same inputs, failures without a property (see the file comment). */
export function forEngine(result: pulumi.dynamic.CheckResult, news: unknown): pulumi.dynamic.CheckResult {
  if (!result.failures?.length) return result;
  return { ...result, failures: result.failures.map((f) => ({ property: "", reason: failureSentence(f, news) })) };
}

/** A check() failure: the property path (`connection.url`, `templates[1].name`) and why it is refused. */
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
