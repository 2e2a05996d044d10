// Shared by the Pulumi resource classes.

/** Names of the output-only properties, set to undefined in the props so the engine reports them as outputs. */
export function outputSlots(names: readonly string[]): Record<string, undefined> {
  return Object.fromEntries(names.map((n) => [n, undefined]));
}
