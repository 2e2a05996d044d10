// Errors the provider glue hands to the Pulumi engine.

/**
 * Thrown from create/update once something exists: the engine records `id` and `properties` in the state (so
 * `pulumi destroy` can remove it, and the next `up` continues) and reports the operation failed with `reasons`.
 * `cause` is the error that stopped the operation.
 */
export class PartialStateError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[] = [message],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
