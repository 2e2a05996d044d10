// One VcdClient per vCD, org and user in this process, shared by every resource (see sdk/http/pool.ts).
import { SessionPool, sessionKey } from "../http/pool";
import { VcdClient, VcdClientOptions } from "./client";

const pool = new SessionPool<VcdClient>((c) => c.close());
let defaults: Partial<VcdClientOptions> = {};

/** Options every session opened from now on gets, under the caller's own (retry budgets, deadlines, polling). */
export function setVcdSessionDefaults(opts: Partial<VcdClientOptions>): void {
  defaults = { ...opts };
}

/** Sessions opened and calls served so far in this process. */
export const vcdSessionStats = pool.stats;

/**
 * Runs `fn` with the process-wide, logged-in client for this vCD, org and user (a token that expires is renewed by
 * the client; the session ends when idle or at exit). The options of the first caller are the client's options.
 */
export function withVcdSession<T>(opts: VcdClientOptions, fn: (client: VcdClient) => Promise<T>): Promise<T> {
  const key = sessionKey(
    ["vcd", opts.url, opts.org.toLowerCase(), opts.username, opts.apiVersion, opts.login, opts.insecure],
    `${opts.password}\0${opts.ca ?? ""}`,
  );
  return pool.use(
    key,
    async () => {
      const c = new VcdClient({ ...defaults, ...opts });
      // Log in first: a refused login must surface as such, never as a 403 that reads like "the vApp is gone".
      await c.connect();
      return c;
    },
    fn,
  );
}

/** Ends every idle session now. */
export function closeVcdSessions(): Promise<void> {
  return pool.closeAll();
}
