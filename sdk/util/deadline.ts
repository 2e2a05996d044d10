// An overall deadline for one operation (a resource's create, update or delete), carried through the async calls
// it makes (Node's AsyncLocalStorage) so every task wait below it ends by then, without a parameter on each call.
import { AsyncLocalStorage } from "async_hooks";

export interface Deadline {
  /** Epoch milliseconds. */
  at: number;
  /** Which limit this is, for messages: `timeouts.create = 30m`. */
  limit: string;
}

const current = new AsyncLocalStorage<Deadline>();

/** Runs `fn` with `deadline` in force for everything it awaits (an earlier enclosing deadline still wins). */
export function withDeadline<T>(deadline: Deadline | undefined, fn: () => Promise<T>): Promise<T> {
  const outer = current.getStore();
  if (!deadline || (outer && outer.at <= deadline.at)) return fn();
  return current.run(deadline, fn);
}

/**
 * The deadline of a wait that would otherwise last `timeoutMs` from now: the sooner of the two, and the operation's
 * limit when that is the one that binds (for the error message).
 */
export function waitDeadline(timeoutMs: number): { at: number; limit?: string } {
  const own = Date.now() + timeoutMs;
  const op = current.getStore();
  return op && op.at < own ? { at: op.at, limit: op.limit } : { at: own };
}

/** The operation's deadline passed before work that could be abandoned finished. */
export class DeadlineExceededError extends Error {
  constructor(readonly limit: string) {
    super(`did not finish within ${limit}`);
    this.name = "DeadlineExceededError";
  }
}

/**
 * Settles as `work` does, or rejects with DeadlineExceededError when the operation's deadline passes first. Only for
 * work that is safe to abandon half way (reads): work that changes servers must stop at its task waits instead.
 */
export function abandonAtDeadline<T>(work: Promise<T>): Promise<T> {
  const op = current.getStore();
  if (!op) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(op.limit)), Math.max(0, op.at - Date.now()));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
