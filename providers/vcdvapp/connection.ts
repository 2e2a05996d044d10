// The vCD client a VcdVapp works with: its connection input as client options, and the provider process's one
// logged-in session per vCD, org and user (sdk/vcd/pool.ts).
import { VcdClient, VcdClientOptions } from "../../sdk/vcd/client";
import { withVcdSession } from "../../sdk/vcd/pool";
import type { VcdConnectionArgs } from "../../sdk/schemas/vcdvapp";

function clientOptions(conn: VcdConnectionArgs): VcdClientOptions {
  return {
    url: conn.url,
    org: conn.org,
    username: conn.username,
    password: conn.password,
    apiVersion: conn.apiVersion,
    insecure: conn.insecure,
    ca: conn.ca,
    // Short first polls, then at most 15 % of the wait apart: `up` learns of a finished task promptly.
    taskPollMs: 100,
    taskMaxOvershoot: 0.15,
  };
}

export function connect(conn: VcdConnectionArgs): VcdClient {
  return new VcdClient(clientOptions(conn));
}

/** Runs `fn` with the provider process's one logged-in session for this vCD, org and user (sdk/vcd/pool.ts). */
export async function withClient<T>(conn: VcdConnectionArgs, fn: (c: VcdClient) => Promise<T>): Promise<T> {
  return withVcdSession(clientOptions(conn), fn);
}
