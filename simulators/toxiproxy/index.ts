// Starts Shopify's Toxiproxy (toxiproxy-server, installed by scripts/toolchain/toxiproxy.sh) on 127.0.0.1 and drives
// it with toxiproxy-node-client: TCP proxies in front of vcsim, the vCD simulator or BIND, and toxics switched on at
// the moment a test chooses. Toxics (Toxiproxy README, v2.5.0):
//   reset_peer {timeout}  RST the connection after `timeout` ms (0 = at once)
//   timeout {timeout}     stop all data; close after `timeout` ms (0 = hold until the toxic is removed)
//   latency {latency, jitter}, slow_close {delay}, limit_data {bytes}, bandwidth {rate KB/s}, slicer
// `stream` is "downstream" (server -> client, the default) or "upstream" (client -> server).
// Toxiproxy 2.5.0 can panic when a toxic is added while links of an earlier toxic are still closing (e.g. under
// slow_close): give each test a fresh proxy (proxy() / remove()) rather than reusing one across toxics.
import { ChildProcess, spawn } from "child_process";
import * as net from "net";
import { Proxy, Toxic, Toxiproxy, ToxicDirection as Direction, ToxicType } from "toxiproxy-node-client";
import { toolchainBinary } from "../toolchain";

export type { Direction, ToxicType };

export interface ToxiproxyServer {
  /** The REST API, e.g. http://127.0.0.1:41234. */
  apiUrl: string;
  client: Toxiproxy;
  /** The last lines toxiproxy-server logged (for a failing test's message). */
  log(): string;
  /** A new proxy on an ephemeral 127.0.0.1 port in front of `upstream` ("127.0.0.1:port"). */
  proxy(name: string, upstream: string): Promise<FaultProxy>;
  stop(): Promise<void>;
}

/** One proxy: where clients connect, and the faults a test switches on and off. */
export class FaultProxy {
  private seq = 0;
  constructor(
    private readonly proxy: Proxy,
    /** host:port clients connect to. */
    readonly listen: string,
    readonly upstream: string,
  ) {}

  get port(): number {
    return Number(this.listen.slice(this.listen.lastIndexOf(":") + 1));
  }

  /** `url` with its port replaced by the proxy's: the address a client under test is given. */
  via(url: string): string {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(this.port);
    return u.toString().replace(/\/$/, url.endsWith("/") ? "/" : "");
  }

  /** Adds a toxic now; returns it so the test can remove it at another chosen moment. */
  async toxic<T>(
    type: ToxicType,
    attributes: T,
    opts: { stream?: Direction; toxicity?: number; name?: string } = {},
  ): Promise<Toxic<T>> {
    return this.proxy.addToxic<T>({
      name: opts.name ?? `${type}-${++this.seq}`,
      type,
      stream: opts.stream ?? "downstream",
      toxicity: opts.toxicity ?? 1,
      attributes,
    });
  }

  /** Removes every toxic and re-enables the proxy. */
  async clear(): Promise<void> {
    const api = this.proxy.getToxiproxy();
    const { data } = await api.getApi().get<Array<{ name: string }>>(`${api.host}/proxies/${this.proxy.name}/toxics`);
    for (const t of data ?? []) await api.getApi().delete(`${api.host}/proxies/${this.proxy.name}/toxics/${t.name}`);
    if (!(await api.get(this.proxy.name)).enabled) await this.enable();
  }

  /** Closes every open connection and refuses new ones, as a stopped server does. */
  async disable(): Promise<void> {
    await this.proxy.update({ enabled: false, listen: this.listen, upstream: this.upstream });
  }

  async enable(): Promise<void> {
    await this.proxy.update({ enabled: true, listen: this.listen, upstream: this.upstream });
  }

  /** Deletes the proxy and closes its connections. */
  async remove(): Promise<void> {
    await this.proxy.remove();
  }

  /** The upstream "restarts": connections cut, refused for `downMs`, then served again. */
  async restart(downMs: number): Promise<void> {
    await this.disable();
    await new Promise((r) => setTimeout(r, downMs));
    await this.enable();
  }
}

/** A TCP port that was free a moment ago (toxiproxy-server takes no port 0 for its API). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitForApi(client: Toxiproxy, child: ChildProcess, log: () => string): Promise<boolean> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) return false;
    try {
      await client.getVersion();
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`toxiproxy-server did not answer within 15s: ${log().slice(-500)}`);
}

export async function startToxiproxy(): Promise<ToxiproxyServer> {
  const bin = toolchainBinary("toxiproxy-server");
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(bin, ["-host", "127.0.0.1", "-port", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
    // Never outlive the process that started it.
    const killChild = () => child.kill("SIGTERM");
    process.once("exit", killChild);
    child.once("exit", () => process.removeListener("exit", killChild));
    let log = "";
    child.stderr!.on("data", (d) => (log = (log + d).slice(-5000)));
    const apiUrl = `http://127.0.0.1:${port}`;
    const client = new Toxiproxy(apiUrl);
    if (!(await waitForApi(client, child, () => log))) {
      // Most likely the port was taken between freePort() and the bind: try another.
      if (attempt >= 2) throw new Error(`toxiproxy-server exited with ${child.exitCode}: ${log.slice(-500)}`);
      continue;
    }
    let stopping = false;
    child.once("exit", (code, signal) => {
      if (!stopping) process.stderr.write(`toxiproxy-server exited (${code ?? signal}): ${log.slice(-2000)}\n`);
    });
    return {
      apiUrl,
      client,
      log: () => log,
      async proxy(name, upstream) {
        // Port 0: toxiproxy binds an ephemeral port and reports the real address back.
        const p = await client.createProxy({ name, listen: "127.0.0.1:0", upstream });
        return new FaultProxy(p, p.listen, upstream);
      },
      stop: () =>
        new Promise<void>((resolve) => {
          stopping = true;
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    };
  }
}
