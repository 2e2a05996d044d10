// The local control plane as a user of it would check it: a verified HTTPS endpoint on 127.0.0.1 only, RBAC with
// an admin identity, a working kubeconfig, controllers that finish deletions, and nothing left after stop().
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import { parse } from "yaml";
import { Kube, startKube } from "../../simulators/kube";
import { eventually } from "../helpers/kube";

/** Addresses of the TCP sockets a process listens on (from /proc: its socket inodes matched to /proc/net/tcp*). */
function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`));
    if (m) inodes.add(m[1]);
  }
  const out: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of fs.readFileSync(file, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== "0A" || !inodes.has(f[9])) continue; // 0A = LISTEN
      const [hex, port] = f[1].split(":");
      const addr =
        hex.length === 8
          ? hex
              .match(/../g)!
              .reverse()
              .map((b) => parseInt(b, 16))
              .join(".")
          : `[${hex}]`;
      out.push(`${addr}:${parseInt(port, 16)}`);
    }
  }
  return out;
}

function safeReadlink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return "";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("simulators/kube: etcd, kube-apiserver and kube-controller-manager on 127.0.0.1", () => {
  let kube: Kube;
  before(async function () {
    this.timeout(300_000);
    kube = await startKube();
    console.log(
      `      control plane ready in ${kube.readyMs.total} ms (etcd+PKI ${kube.readyMs.etcd}, apiserver ${kube.readyMs.apiserver}, controller-manager ${kube.readyMs.controllerManager})`,
    );
  });
  after(async function () {
    this.timeout(60_000);
    await kube?.stop();
  });

  it("serves Kubernetes v1.34.4 over HTTPS that verifies against the returned CA only", async () => {
    assert.match(kube.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    const version = await kube.request("GET", "/version");
    assert.equal(version.status, 200);
    assert.equal(version.body.gitVersion, "v1.34.4");
    // Without the CA the certificate is not trusted (no verification turned off anywhere).
    await assert.rejects(
      new Promise((resolve, reject) => https.get(`${kube.server}/version`, resolve).on("error", reject)),
      /self-signed|unable to (get|verify)/,
    );
  });

  it("every component listens on 127.0.0.1 only", () => {
    for (const [name, pid] of Object.entries(kube.pids)) {
      const addrs = listeningAddresses(pid);
      assert.ok(addrs.length > 0, `${name} listens somewhere`);
      for (const a of addrs) assert.match(a, /^127\.0\.0\.1:\d+$/, `${name} listens on ${a}`);
    }
  });

  it("authorizes with RBAC: anonymous users may not read Secrets, the admin may", async () => {
    const anonymous = await new Promise<number>((resolve, reject) =>
      https
        .get(`${kube.server}/api/v1/secrets`, { ca: kube.ca }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on("error", reject),
    );
    assert.equal(anonymous, 403);
    assert.equal((await kube.request("GET", "/api/v1/secrets")).status, 200);
  });

  it("writes an admin kubeconfig (file mode 0600) for the same server, CA and identity", async () => {
    const cfg = parse(kube.kubeconfig, { version: "1.1" });
    assert.equal(cfg["current-context"], "local");
    assert.equal(cfg.clusters[0].cluster.server, kube.server);
    assert.equal(Buffer.from(cfg.clusters[0].cluster["certificate-authority-data"], "base64").toString(), kube.ca);
    assert.equal(fs.readFileSync(kube.kubeconfigPath, "utf8"), kube.kubeconfig);
    assert.equal(fs.statSync(kube.kubeconfigPath).mode & 0o777, 0o600);
    // The client certificate in it is the admin (group system:masters), as the API server sees it.
    const review = await kube.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "SelfSubjectReview",
    });
    assert.equal(review.status, 201, JSON.stringify(review.body));
    assert.ok(review.body.status.userInfo.groups.includes("system:masters"));
    const cert = Buffer.from(cfg.users[0].user["client-certificate-data"], "base64").toString();
    const key = Buffer.from(cfg.users[0].user["client-key-data"], "base64").toString();
    const status = await new Promise<number>((resolve, reject) =>
      https
        .get(`${cfg.clusters[0].cluster.server}/api/v1/namespaces`, { ca: kube.ca, cert, key }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on("error", reject),
    );
    assert.equal(status, 200);
  });

  it("finishes a foreground deletion (garbage collector) and a Namespace deletion (namespace controller)", async function () {
    this.timeout(120_000);
    const ns = "launcher-gc";
    assert.equal((await kube.request("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status, 201);
    const cm = { metadata: { name: "cm" }, data: { a: "1" } };
    assert.equal((await kube.request("POST", `/api/v1/namespaces/${ns}/configmaps`, cm)).status, 201);
    // pulumi-kubernetes deletes this way; the foregroundDeletion finalizer is cleared by the garbage collector.
    const del = await kube.request("DELETE", `/api/v1/namespaces/${ns}/configmaps/cm`, {
      propagationPolicy: "Foreground",
    });
    assert.ok([200, 202].includes(del.status), JSON.stringify(del.body));
    await eventually("ConfigMap gone", async () =>
      (await kube.request("GET", `/api/v1/namespaces/${ns}/configmaps/cm`)).status === 404 ? true : undefined,
    );
    assert.ok([200, 202].includes((await kube.request("DELETE", `/api/v1/namespaces/${ns}`)).status));
    await eventually("Namespace gone", async () =>
      (await kube.request("GET", `/api/v1/namespaces/${ns}`)).status === 404 ? true : undefined,
    );
  });

  it("stop() ends every process and removes the data dir; a non-empty dataDir is refused", async function () {
    this.timeout(120_000);
    const other = await startKube();
    const pids = Object.values(other.pids);
    assert.ok(fs.existsSync(other.dataDir));
    await other.stop();
    assert.ok(!fs.existsSync(other.dataDir), "dataDir removed");
    for (const pid of pids) assert.ok(!alive(pid), `process ${pid} ended`);
    await assert.rejects(startKube({ dataDir: __dirname }), /is not empty/);
    assert.ok(fs.existsSync(__filename), "the refused directory is untouched");
  });

  it("does not outlive a parent that is killed outright (SIGKILL: no exit handler runs)", async function () {
    this.timeout(180_000);
    const script = `require("ts-node").register({ transpileOnly: true });
      require(${JSON.stringify(require.resolve("../../simulators/kube"))}).startKube()
        .then((k) => console.log(JSON.stringify({ pids: k.pids, dataDir: k.dataDir })));`;
    const parent = spawn(process.execPath, ["-e", script], { cwd: __dirname, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    parent.stdout!.on("data", (d) => (out += d));
    const started = await eventually(
      "the child's control plane ready",
      async () => (/\{"pids"/.test(out) ? JSON.parse(out) : undefined),
      150_000,
    );
    const pids = Object.values(started.pids) as number[];
    assert.ok(pids.every(alive));
    parent.kill("SIGKILL");
    await eventually("every component ended", async () => (pids.some(alive) ? undefined : true), 20_000);
    fs.rmSync(started.dataDir, { recursive: true, force: true }); // only a clean exit or stop() can remove it
  });
});
