// check() failures as the engine prints them. The engine formats a failure with a property as
// `property <p> value {<inputs[p]>} has a problem: <reason>`: it looks `p` up among the top-level inputs only (so a
// nested path prints `{<nil>}`), prints strings unquoted (`value {3} ... must be a number`) and would print a
// secret's content. So failures reach it without a property, as one sentence we write: the path, the reason and
// the value it rejects, quoted as JSON, never the value of a secret.
import type * as pulumi from "@pulumi/pulumi";

const SECRET_KEY = /password|secret|token|tsigkey/i;
/** Values never shown either: endpoint URLs may carry credentials or tokens (userinfo, query), PEM is noise. */
const UNSHOWN_KEY = /^(url|endpoints|variables|ca)$/i;
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
