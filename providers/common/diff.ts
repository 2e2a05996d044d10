// Comparing input values for diff(): one rule for every resource.

/** Canonical JSON: object keys sorted, undefined members dropped, undefined itself as null. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

/** True when two input values are the same to the user: key order and absent-vs-undefined never read as a change. */
export function sameInput(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}
