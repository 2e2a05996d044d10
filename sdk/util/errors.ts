// Walking an error's `cause` chain (ES2022 Error cause): wrappers add context, callers still find the error that
// decides what to do (the way govmomi's fault.As walks wrapped errors).

/** The error and each `cause` below it, outermost first; stops at a cycle or after 16 levels. */
export function* causeChain(err: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  for (let e = err, depth = 0; e !== undefined && e !== null && !seen.has(e) && depth < 16; depth++) {
    seen.add(e);
    yield e;
    e = e instanceof Error ? e.cause : undefined;
  }
}

/** The first error in `err`'s cause chain that `test` accepts, or undefined. */
export function findCause<T>(err: unknown, test: (e: unknown) => e is T): T | undefined;
export function findCause(err: unknown, test: (e: unknown) => boolean): unknown;
export function findCause(err: unknown, test: (e: unknown) => boolean): unknown {
  for (const e of causeChain(err)) if (test(e)) return e;
  return undefined;
}

/**
 * The options of `new Error(message, { cause })`, spelled out: ES2022's `ErrorOptions` is missing from the libs of
 * the ES2020 projects that `pulumi new typescript` makes, and these types are in the kit's declarations.
 */
export interface CauseOptions {
  cause?: unknown;
}
