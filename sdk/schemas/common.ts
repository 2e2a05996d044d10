// Helpers shared by the resource schemas: connection shapes, check() failures from zod issues, and CRD rendering.
import { z } from "zod";

/** The value Pulumi puts in place of an input that is not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const httpUrl = (what: string) =>
  z.string({ error: `must be the ${what} URL` }).refine(
    (s) => {
      try {
        const u = new URL(s);
        return (u.protocol === "https:" || u.protocol === "http:") && u.hostname !== "";
      } catch {
        return false;
      }
    },
    { error: (iss) => `must be an http(s) URL of the ${what}, got ${JSON.stringify(iss.input)}` },
  );

/** TLS settings shared by every connection: verification is on unless the user opts out. */
export const tlsFields = {
  insecure: z.boolean().optional().describe("Skip TLS certificate verification (labs and simulators only)."),
  ca: z
    .string()
    .refine((s) => s.includes("-----BEGIN CERTIFICATE-----"), { error: "must be a PEM certificate bundle" })
    .optional()
    .describe("PEM CA bundle to trust in addition to the system roots."),
};

export interface CheckFailure {
  property: string;
  reason: string;
}

function unknownPaths(value: unknown, path: string[] = [], out: string[][] = []): string[][] {
  if (value === UNKNOWN) out.push(path);
  else if (Array.isArray(value)) value.forEach((v, i) => unknownPaths(v, [...path, String(i)], out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) unknownPaths(v, [...path, k], out);
  return out;
}

/** True when the value, or anything inside it, is not known yet (preview with outputs of other resources). */
export function containsUnknown(value: unknown): boolean {
  return unknownPaths(value).length > 0;
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
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
