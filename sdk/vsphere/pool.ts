// One VimClient per vCenter and user in this process, shared by every resource (see sdk/http/pool.ts).
import { SessionPool, sessionKey } from "../http/pool";
import { VimClient, VimClientOptions } from "./client";
import type { VsphereConnection } from "./types";

const pool = new SessionPool<VimClient>((c) => c.close());
let defaults: VimClientOptions = {};

/** Options every session opened from now on gets (under the caller's own): retry budgets, deadlines, task bound. */
export function setVimSessionDefaults(opts: VimClientOptions): void {
  defaults = { ...opts };
}

/** Sessions opened and calls served so far in this process. */
export const vimSessionStats = pool.stats;

/**
 * Runs `fn` with the process-wide session for this endpoint and user (logged in on first use, renewed by the client
 * when it expires, logged out when idle or at exit). `opts` apply when the session is opened.
 */
export function withVimSession<T>(
  conn: VsphereConnection,
  fn: (client: VimClient) => Promise<T>,
  opts: VimClientOptions = {},
): Promise<T> {
  const key = sessionKey(["vim", conn.url, conn.username, conn.insecure], `${conn.password}\0${conn.ca ?? ""}`);
  return pool.use(key, () => VimClient.connect(conn, { maxSockets: 32, ...defaults, ...opts }), fn);
}

/** Logs out every idle session now (tests, and processes that want to end early). */
export function closeVimSessions(): Promise<void> {
  return pool.closeAll();
}
