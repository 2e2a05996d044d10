// A bound on vCenter operations in flight for one group, with priorities so a started VM finishes first.

/** Gate priorities: a started VM's next step goes before work not yet begun. */
export const NEW_WORK = 0;
export const FOLLOW_UP = 1;

/**
 * At most `limit` operations at once; waiters are served highest priority first, in arrival order within one
 * priority. A released slot passes straight to the next waiter, so no newcomer slips in between.
 */
export class OperationGate {
  private active = 0;
  private readonly waiting: Array<{ priority: number; go: () => void }> = [];
  /** The most operations seen at once. */
  peak = 0;

  constructor(readonly limit: number) {}

  async run<T>(priority: number, fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((go) => {
        const at = this.waiting.findIndex((w) => w.priority < priority);
        this.waiting.splice(at < 0 ? this.waiting.length : at, 0, { priority, go });
      });
    } else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next.go();
      else this.active--;
    }
  }
}
