// Types and small helpers shared by the Pulumi resource classes.
import * as pulumi from "@pulumi/pulumi";

/** Every field (at any depth) may be a plain value, a promise or an Output, as Pulumi arguments usually are. */
export type DeepInput<T> =
  T extends Array<infer U>
    ? pulumi.Input<Array<DeepInput<U>>>
    : T extends object
      ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
      : pulumi.Input<T>;

/** Names of the output-only properties, set to undefined in the props so the engine reports them as outputs. */
export function outputSlots(names: readonly string[]): Record<string, undefined> {
  return Object.fromEntries(names.map((n) => [n, undefined]));
}

/** Error thrown from create/update once something exists: the engine records `id` and `properties`. */
export class PartialStateError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[] = [message],
  ) {
    super(message);
  }
}
