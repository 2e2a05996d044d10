// One session per endpoint and user per process: every resource of a `pulumi up` or `refresh` runs in the same
// dynamic-provider process, so they share one logged-in client (and its keep-alive sockets) instead of logging in
// and out once per create/read/update/delete. Idle sessions are closed after a while, and all of them when the
// process is about to exit, so no socket or server session outlives the work.
import * as crypto from "crypto";

export interface PoolStats {
  /** Sessions opened (clients created and logged in). */
  opened: number;
  /** Sessions closed (idle, or at exit). */
  closed: number;
  /** Calls served, each by a new or a shared session. */
  uses: number;
}

interface Entry<C> {
  client: Promise<C>;
  users: number;
  idle?: NodeJS.Timeout;
}

/**
 * Keyed sessions, opened on first use and shared while in use. `idleMs` (default 30 s) after its last user, a session
 * is closed; a failed open is forgotten at once, so the next caller tries again.
 */
export class SessionPool<C> {
  readonly stats: PoolStats = { opened: 0, closed: 0, uses: 0 };
  private readonly entries = new Map<string, Entry<C>>();
  private exitHooked = false;

  constructor(
    private readonly close: (client: C) => Promise<void>,
    private readonly idleMs = 30_000,
  ) {}

  /** Runs `fn` with the session for `key`, opening it with `open` when there is none. */
  async use<T>(key: string, open: () => Promise<C>, fn: (client: C) => Promise<T>): Promise<T> {
    this.hookExit();
    this.stats.uses++;
    let e = this.entries.get(key);
    if (!e) {
      const opening = open();
      e = { client: opening, users: 0 };
      this.entries.set(key, e);
      this.stats.opened++;
      opening.catch(() => {
        if (this.entries.get(key) === e) this.entries.delete(key);
      });
    }
    const entry = e;
    entry.users++;
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = undefined;
    try {
      return await fn(await entry.client);
    } finally {
      if (--entry.users === 0 && this.entries.get(key) === entry) {
        // unref: a timer alone must not keep the provider process alive; beforeExit closes what is left.
        entry.idle = setTimeout(() => void this.drop(key, entry), this.idleMs);
        entry.idle.unref();
      }
    }
  }

  /** Closes every session no one is using (all of them at exit). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.entries()].filter(([, e]) => e.users === 0).map(([k, e]) => this.drop(k, e)));
  }

  get size(): number {
    return this.entries.size;
  }

  private async drop(key: string, entry: Entry<C>): Promise<void> {
    if (this.entries.get(key) !== entry || entry.users > 0) return;
    this.entries.delete(key);
    if (entry.idle) clearTimeout(entry.idle);
    this.stats.closed++;
    const client = await entry.client.catch(() => undefined);
    if (client) await this.close(client).catch(() => undefined);
  }

  private hookExit(): void {
    if (this.exitHooked) return;
    this.exitHooked = true;
    // beforeExit fires when the event loop runs dry: log out and close sockets then (it fires again afterwards,
    // with nothing left to close).
    process.on("beforeExit", () => {
      if (this.entries.size) void this.closeAll();
    });
  }
}

/** A pool key for an endpoint and user that does not hold the password, yet changes when the password does. */
export function sessionKey(parts: Array<string | boolean | undefined>, secret: string): string {
  const digest = crypto.createHash("sha256").update(secret).digest("base64url").slice(0, 16);
  return JSON.stringify([...parts, digest]);
}

/** A counting semaphore: at most `limit` holders; the others wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most holders seen at once. */
  peak = 0;

  constructor(public limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A released slot is handed to the next waiter directly, so no newcomer can slip in between.
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }
}
