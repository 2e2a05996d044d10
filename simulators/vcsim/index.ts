// Starts govmomi's vcsim (the real vCenter simulator, installed by scripts/toolchain.sh) on 127.0.0.1.
import { ChildProcess, spawn } from "child_process";
import * as tls from "tls";
import { toolchainBinary } from "../toolchain";

export interface VcsimOptions {
  port?: number;
  username?: string;
  password?: string;
  /** Serve HTTPS with vcsim's self-signed certificate (default), or plain HTTP. */
  tls?: boolean;
  /** Per-method delays in ms, e.g. { CloneVM_Task: 300 }. */
  methodDelay?: Record<string, number>;
  /** A directory saved by `govc object.save`, loaded instead of the default VPX model. */
  load?: string;
  /** Extra vcsim flags (e.g. ["-cluster", "2"]). */
  args?: string[];
}

export interface Vcsim {
  /** SDK endpoint, e.g. https://127.0.0.1:8989/sdk (no credentials in it). */
  url: string;
  username: string;
  password: string;
  /** PEM of the certificate vcsim serves, to trust it as a CA instead of disabling verification. */
  ca?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startVcsim(opts: VcsimOptions = {}): Promise<Vcsim> {
  // vcsim's strict login (v0.46) rejects user names that contain "@".
  const username = opts.username ?? "vcsim-admin";
  const password = opts.password ?? "vcsim-Passw0rd!";
  const useTls = opts.tls ?? true;
  const args = ["-l", `127.0.0.1:${opts.port ?? 0}`, "-username", username, "-password", password, "-tls=" + useTls];
  if (opts.methodDelay) {
    args.push(
      "-method-delay",
      Object.entries(opts.methodDelay)
        .map(([m, d]) => `${m}:${d}`)
        .join(","),
    );
  }
  if (opts.load) args.push("-load", opts.load);
  args.push(...(opts.args ?? []));

  const child = spawn(toolchainBinary("vcsim"), args, { stdio: ["ignore", "pipe", "pipe"] });
  // Never outlive the process that started it (a crashed test, a demo stopped with SIGTERM).
  const killChild = () => child.kill("SIGTERM");
  process.once("exit", killChild);
  child.once("exit", () => process.removeListener("exit", killChild));
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  // vcsim prints `export GOVC_URL=https://user:pass@127.0.0.1:PORT/sdk ...` once it listens. The line holds the
  // password, so it is parsed here and never echoed.
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`vcsim did not start within 60s: ${stderr.slice(-500)}`)), 60_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /GOVC_URL=\S+@127\.0\.0\.1:(\d+)\/sdk/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      const busy = /address already in use/.test(stderr);
      reject(
        new Error(
          busy
            ? `vcsim: 127.0.0.1:${opts.port} is already in use by another process`
            : `vcsim exited with ${code}: ${stderr.slice(-500)}`,
        ),
      );
    });
  });
  child.removeAllListeners("exit");
  child.stdout!.resume();

  const url = `${useTls ? "https" : "http"}://127.0.0.1:${port}/sdk`;
  const ca = useTls ? await peerCertificatePem(port) : undefined;
  return {
    url,
    username,
    password,
    ca,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function peerCertificatePem(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      const der = socket.getPeerCertificate(false).raw;
      socket.end();
      const b64 = der
        .toString("base64")
        .match(/.{1,64}/g)!
        .join("\n");
      resolve(`-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`);
    });
    socket.on("error", reject);
  });
}
