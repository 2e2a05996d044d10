// A real Kubernetes control plane on 127.0.0.1 for tests and the demo: etcd, kube-apiserver and
// kube-controller-manager (built and cached by scripts/toolchain/kubernetes.sh). No scheduler and no kubelet, so Pods
// never run: Deployments never become available. The controller manager is there because pulumi-kubernetes deletes
// with foreground propagation (the garbage collector clears that finalizer) and a Namespace only finishes
// terminating through the namespace controller.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { stringifyKubernetesYaml } from "../../sdk/schemas/crd-yaml";
import { toolchainBinary } from "../toolchain";
import { createPki } from "./pki";

export interface KubeOptions {
  /** Where etcd's data, the PKI, the kubeconfigs and the logs go. Must be missing or empty: stop() removes it.
   *  Default: a new directory under the OS temp dir. */
  dataDir?: string;
  /** Milliseconds to wait for each component to become ready (default 180000: the CI machine has 2 shared cores). */
  timeoutMs?: number;
}

export interface KubeResponse {
  status: number;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: any;
}

export interface KubeRequestOptions {
  contentType?: string;
  /** Default application/json; e.g. `application/json;as=Table;v=v1;g=meta.k8s.io` for what kubectl get prints. */
  accept?: string;
}

export interface Kube {
  /** https://127.0.0.1:PORT */
  server: string;
  /** PEM of the CA that signed the serving certificate (and the client certificates). */
  ca: string;
  /** kubeconfig (YAML) for an admin identity: a client certificate in group system:masters, data embedded. */
  kubeconfig: string;
  /** The same kubeconfig as a file (mode 0600) inside dataDir. */
  kubeconfigPath: string;
  dataDir: string;
  /** Milliseconds each step took to be ready (etcd includes making the PKI), and in total (start → controllers running). */
  readyMs: { etcd: number; apiserver: number; controllerManager: number; total: number };
  /**
   * One HTTPS request to the API server as the admin, CA-verified. An object `body` is sent as JSON, a string as is
   * (e.g. YAML with `contentType: "application/yaml"`); PATCH defaults to `application/merge-patch+json`. A 429
   * with Retry-After is retried (as client-go does). Never throws on an HTTP error status: the caller asserts it.
   */
  request(method: string, path: string, body?: unknown, opts?: KubeRequestOptions): Promise<KubeResponse>;
  /** Process ids of the running components. */
  pids: { etcd: number; apiserver: number; controllerManager: number };
  /** Stops kube-controller-manager, kube-apiserver and etcd (SIGTERM, then SIGKILL after 10 s) and removes dataDir. */
  stop(): Promise<void>;
}

interface Component {
  name: string;
  child: ChildProcess;
  logFile: string;
}

/** Starts etcd, kube-apiserver and kube-controller-manager on ephemeral 127.0.0.1 ports; resolves when all are ready. */
export async function startKube(opts: KubeOptions = {}): Promise<Kube> {
  const t0 = Date.now();
  const timeoutMs = opts.timeoutMs ?? 180_000;
  const bins = {
    etcd: toolchainBinary("etcd"),
    apiserver: toolchainBinary("kube-apiserver"),
    controllerManager: toolchainBinary("kube-controller-manager"),
  };
  const dataDir = prepareDataDir(opts.dataDir);
  // By role; a component restarted on new ports replaces its dead predecessor.
  const running: { etcd?: Component; apiserver?: Component; controllerManager?: Component } = {};
  const inStopOrder = () =>
    [running.controllerManager, running.apiserver, running.etcd].filter((c): c is Component => !!c);
  const killAll = () => {
    for (const c of inStopOrder())
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
  };
  // Never outlive the process that started it: on a normal exit kill everything and remove the data; on a crash or
  // a signal the children get SIGTERM from the kernel (setpriv --pdeathsig, below).
  const onExit = () => {
    killAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const c of inStopOrder()) await stopProcess(c.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.removeListener("exit", onExit);
  };

  try {
    const pki = await createPki(path.join(dataDir, "pki"));
    const ca = fs.readFileSync(pki.caCert, "utf8");
    const tlsAs = (id: { cert: string; key: string }) => ({
      ca,
      cert: fs.readFileSync(id.cert),
      key: fs.readFileSync(id.key),
    });

    // etcd: mutual TLS on 127.0.0.1 (it holds the Secrets). Its data is throwaway, so fsync is skipped.
    const etcd = await startWithFreePorts(2, async ([client, peer]) => {
      const peerUrl = `https://127.0.0.1:${peer}`;
      const c = launch(dataDir, "etcd", bins.etcd, [
        "--name=pvk",
        `--data-dir=${path.join(dataDir, "etcd")}`,
        "--unsafe-no-fsync",
        "--log-level=warn",
        `--listen-client-urls=https://127.0.0.1:${client}`,
        `--advertise-client-urls=https://127.0.0.1:${client}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=pvk=${peerUrl}`,
        `--cert-file=${pki.servingCert}`,
        `--key-file=${pki.servingKey}`,
        "--client-cert-auth",
        `--trusted-ca-file=${pki.caCert}`,
        `--peer-cert-file=${pki.servingCert}`,
        `--peer-key-file=${pki.servingKey}`,
        "--peer-client-cert-auth",
        `--peer-trusted-ca-file=${pki.caCert}`,
      ]);
      running.etcd = c;
      await waitReady(c, timeoutMs, async () => {
        const r = await httpsRequest(`https://127.0.0.1:${client}/health`, "GET", tlsAs(pki.etcdClient));
        return r.status === 200 && r.body?.health === "true";
      });
      return { url: `https://127.0.0.1:${client}` };
    });
    const etcdMs = Date.now() - t0;

    const api = await startWithFreePorts(1, async ([port]) => {
      const c = launch(dataDir, "kube-apiserver", bins.apiserver, [
        `--etcd-servers=${etcd.url}`,
        `--etcd-cafile=${pki.caCert}`,
        `--etcd-certfile=${pki.etcdClient.cert}`,
        `--etcd-keyfile=${pki.etcdClient.key}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${port}`,
        `--cert-dir=${path.join(dataDir, "apiserver-certs")}`,
        `--tls-cert-file=${pki.servingCert}`,
        `--tls-private-key-file=${pki.servingKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        "--service-account-issuer=https://kubernetes.default.svc",
        "--service-cluster-ip-range=10.96.0.0/24",
        "--authorization-mode=RBAC",
        // The `kubernetes` Service's endpoints would be 127.0.0.1, which Endpoints validation refuses.
        "--endpoint-reconciler-type=none",
        "--profiling=false",
      ]);
      running.apiserver = c;
      const server = `https://127.0.0.1:${port}`;
      await waitReady(
        c,
        timeoutMs,
        async () => (await httpsRequest(`${server}/readyz`, "GET", tlsAs(pki.admin))).status === 200,
      );
      return { server };
    });
    const apiserverMs = Date.now() - t0;

    const admin = tlsAs(pki.admin);
    // As client-go does: a 429 with Retry-After (e.g. "storage is (re)initializing" right after a CRD is
    // established) is retried, up to 10 times.
    const request = async (method: string, p: string, body?: unknown, ro?: KubeRequestOptions) => {
      for (let attempt = 1; ; attempt++) {
        const r = await httpsRequest(api.server + p, method, admin, body, ro);
        const wait = r.retryAfter;
        if (r.status !== 429 || wait === undefined || attempt >= 10) return { status: r.status, body: r.body };
        await new Promise((done) => setTimeout(done, Math.min(wait, 10) * 1000));
      }
    };

    const kcmKubeconfigPath = path.join(dataDir, "controller-manager.kubeconfig");
    writePrivate(kcmKubeconfigPath, kubeconfigYaml(api.server, ca, pki.controllerManager, "kube-controller-manager"));
    await startWithFreePorts(1, async ([port]) => {
      const c = launch(dataDir, "kube-controller-manager", bins.controllerManager, [
        `--kubeconfig=${kcmKubeconfigPath}`,
        `--authentication-kubeconfig=${kcmKubeconfigPath}`,
        `--authorization-kubeconfig=${kcmKubeconfigPath}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${port}`,
        `--tls-cert-file=${pki.servingCert}`,
        `--tls-private-key-file=${pki.servingKey}`,
        // As kubeadm: each controller acts as its own service account, with the bootstrap RBAC roles.
        "--use-service-account-credentials=true",
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        // Only the controllers whose absence a user of the API would notice without Pods running: deletion
        // (garbage collector, namespaces), service accounts and their tokens, and the workload status of
        // Deployments/ReplicaSets (their Pods stay Pending: there is no scheduler or kubelet).
        "--controllers=garbage-collector-controller,namespace-controller,serviceaccount-controller," +
          "serviceaccount-token-controller,deployment-controller,replicaset-controller",
        "--leader-elect=false",
        "--profiling=false",
      ]);
      running.controllerManager = c;
      await waitReady(c, timeoutMs, async () => {
        const health = await httpsRequest(`https://127.0.0.1:${port}/healthz`, "GET", { ca });
        if (health.status !== 200) return false;
        // The service-account controller made the default ServiceAccount: the controllers run and can write.
        return (await request("GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200;
      });
      return {};
    });
    const controllerManagerMs = Date.now() - t0;

    const kubeconfig = kubeconfigYaml(api.server, ca, pki.admin, "pulumi-vmware-kit-admin");
    const kubeconfigPath = path.join(dataDir, "kubeconfig");
    writePrivate(kubeconfigPath, kubeconfig);
    return {
      server: api.server,
      ca,
      kubeconfig,
      kubeconfigPath,
      dataDir,
      readyMs: {
        etcd: etcdMs,
        apiserver: apiserverMs - etcdMs,
        controllerManager: controllerManagerMs - apiserverMs,
        total: Date.now() - t0,
      },
      request,
      pids: {
        etcd: pidOf(running.etcd),
        apiserver: pidOf(running.apiserver),
        controllerManager: pidOf(running.controllerManager),
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function prepareDataDir(dir: string | undefined): string {
  if (!dir) return fs.mkdtempSync(path.join(os.tmpdir(), "pvk-kube-"));
  // stop() removes the directory, so it must not hold anything the kit did not put there.
  if (fs.existsSync(dir) && fs.readdirSync(dir).length) {
    throw new Error(`startKube: dataDir ${dir} is not empty; give a new or empty directory (stop() removes it)`);
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function writePrivate(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
}

function kubeconfigYaml(server: string, ca: string, id: { cert: string; key: string }, user: string): string {
  const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
  return stringifyKubernetesYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "local", cluster: { server, "certificate-authority-data": b64(ca) } }],
    users: [
      {
        name: user,
        user: {
          "client-certificate-data": b64(fs.readFileSync(id.cert)),
          "client-key-data": b64(fs.readFileSync(id.key)),
        },
      },
    ],
    contexts: [{ name: "local", context: { cluster: "local", user } }],
    "current-context": "local",
  });
}

// setpriv (util-linux) sets the parent-death signal before exec: the control plane dies with the node process even
// when that is killed outright (a mocha timeout, SIGKILL), where no "exit" handler runs.
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => fs.existsSync(p));

function launch(dataDir: string, name: string, bin: string, args: string[]): Component {
  const logFile = path.join(dataDir, `${name}.log`);
  const log = fs.openSync(logFile, "a");
  const [cmd, argv] = SETPRIV ? [SETPRIV, ["--pdeathsig", "TERM", "--", bin, ...args]] : [bin, args];
  const child = spawn(cmd, argv, { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  return { name, child, logFile };
}

function pidOf(c: Component | undefined): number {
  if (!c?.child.pid) throw new Error(`startKube: ${c?.name ?? "a component"} has no process id`);
  return c.child.pid;
}

function logTail(c: Component, chars = 1500): string {
  try {
    return fs.readFileSync(c.logFile, "utf8").slice(-chars).trim();
  } catch {
    return "";
  }
}

class PortInUse extends Error {}

/** Polls `probe` until it is true; fails with the component's log tail if it exits or times out. */
async function waitReady(c: Component, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (c.child.exitCode !== null || c.child.signalCode !== null) {
      const tail = logTail(c);
      if (/address already in use/.test(tail)) throw new PortInUse(`${c.name}: port taken`);
      throw new Error(`${c.name} exited (${c.child.exitCode ?? c.child.signalCode}) before it was ready:\n${tail}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`${c.name} was not ready within ${timeoutMs / 1000}s (log: ${c.logFile}):\n${logTail(c)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Picks `n` free 127.0.0.1 ports and runs `start`; another process may take a port between the pick and the bind,
 * so a component that exits with "address already in use" is started again on new ports (up to 5 times).
 */
async function startWithFreePorts<T>(n: number, start: (ports: number[]) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(n);
    try {
      return await start(ports);
    } catch (e) {
      if (!(e instanceof PortInUse) || attempt >= 5) throw e;
    }
  }
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function httpsRequest(
  url: string,
  method: string,
  tlsOpts: { ca: string; cert?: Buffer; key?: Buffer },
  body?: unknown,
  ro: KubeRequestOptions = {},
): Promise<KubeResponse & { retryAfter?: number }> {
  const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const type =
    ro.contentType ?? (method.toUpperCase() === "PATCH" ? "application/merge-patch+json" : "application/json");
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ...tlsOpts,
        headers: { Accept: ro.accept ?? "application/json", ...(data !== undefined ? { "Content-Type": type } : {}) },
        timeout: 30_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => {
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON (e.g. /readyz's "ok"): keep the text */
          }
          const retryAfter = Number(res.headers["retry-after"]);
          resolve({
            status: res.statusCode ?? 0,
            body: parsed,
            ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
          });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer within 30s`)));
    req.on("error", reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
