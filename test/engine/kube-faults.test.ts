// examples/vcenter `pulumi up` with Toxiproxy between pulumi-resource-kubernetes and a real kube-apiserver: the
// kubeconfig's `server:` is the proxy on 127.0.0.1 (TLS passes through the TCP proxy; the serving certificate names
// IP 127.0.0.1, checked before each case), vcsim on the vCenter side. Each case asserts what the user sees, that a
// second `pulumi up` converges where the first failed (every rendered object exists and the state holds exactly
// those), and that `pulumi destroy` then leaves no object of ours in the namespace (read from the API server
// directly, not through the proxy). One project, control plane and Toxiproxy server serve all cases.
// pulumi-kubernetes (client-go) does not resend an apply (PATCH) whose connection broke, so a fault in the middle
// of an up fails it; an apply that reached the API server but whose answer was lost is not in the state until the
// next up adopts it (server-side apply upserts in pulumi-kubernetes 4.25), or a destroy's ManifestSweeper removes
// it (it carries the stack's owner label).
// Not cases of their own: `limit_data` cuts the connection after N bytes, which on client-go's one long-lived HTTP/2
// connection is a reset landing mid-answer (the reset case); `slow_close` only delays a close, and neither side
// closes that connection during an up.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { FaultProxy, startToxiproxy, ToxiproxyServer } from "../../simulators/toxiproxy";
import { derivePassword } from "../../sdk/vcenter/masterpassword";
import { buildInventory, EMPTY_VCSIM } from "../fixtures/vcenter/inventory";
import { FaultLedger } from "../integration/fault-ledger";
import { adminTls, kubeconfigVia, useKube } from "../helpers/kube";
import { watchAdded } from "../helpers/kube-watch";
import { PulumiProject, RunResult, vcenterProject } from "../helpers/pulumi";

const FQDN = "vc-a-0.cc.qa-de-1.cloud.sap";
const USER = "vcenter-operator";
const MASTER = "kube faults master password";
const NS = "monsoon3";

const COLLECTIONS: Record<string, string> = {
  Secret: `/api/v1/namespaces/${NS}/secrets`,
  ConfigMap: `/api/v1/namespaces/${NS}/configmaps`,
  Deployment: `/apis/apps/v1/namespaces/${NS}/deployments`,
  Service: `/api/v1/namespaces/${NS}/services`,
};

/** What the example's templates render for two clusters (sapcc's `name`: productionbb001 → bb1), as Kind/name. */
const RENDERED = [
  ...["bb1", "bb2"].flatMap((bb) => [
    `Secret/nova-compute-vmware-${bb}`,
    `ConfigMap/nova-compute-vmware-${bb}`,
    `Deployment/nova-compute-${bb}`,
    `Service/nova-compute-${bb}`,
  ]),
  "Secret/volume-vmware-vc-a-0-qa-de-1a",
].sort();

/** The error a user reads when an apply fails: the object's resource name, `<component>/<template>:<ns>/<name>`. */
const NAMES_OBJECT =
  /kubernetes:(core|apps)\/v1:(Secret|ConfigMap|Deployment|Service) \(vcenter-operator\/vcenter-[a-z-]+:monsoon3\/[a-z0-9-]+\)/;
/** ... and says the connection failed (wording from Go's net/http and golang.org/x/net/http2). */
const CONNECTION_FAILED =
  /connection reset by peer|connection refused|EOF|client connection lost|broken pipe|use of closed network connection/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Status of a GET that verifies the serving certificate against the cluster CA for the host in `url`. */
function verifiedGet(url: string, tls: https.RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ...tls, method: "GET" }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("engine: VCenterManifests through a faulty link to a real kube-apiserver (Toxiproxy)", function () {
  this.timeout(15 * 60_000);
  const kube = useKube();
  const ledger = new FaultLedger("VCenterTemplate → Kubernetes API");
  let sim: Vcsim;
  let toxi: ToxiproxyServer;
  let proxy: FaultProxy;
  let project: PulumiProject;
  const derived = derivePassword(USER, MASTER, FQDN);
  /** The stack's kubeconfig file: the admin kubeconfig with `server:` at the current case's proxy. */
  const kubeconfig = () => path.join(project.root, "kubeconfig-via-proxy");

  /** Kind/name of the objects of our kinds in the namespace (excluding the API server's own). */
  const ours = async () => {
    const names: string[] = [];
    for (const [kind, collection] of Object.entries(COLLECTIONS)) {
      const r = await kube().request("GET", collection);
      assert.equal(r.status, 200);
      for (const o of r.body.items)
        if (o.metadata.name !== "kube-root-ca.crt") names.push(`${kind}/${o.metadata.name}`);
    }
    return names.sort();
  };

  /** Kind/name of the Kubernetes objects the stack's state records. */
  const recorded = async () => {
    const state = JSON.parse(await project.stateText());
    const names: string[] = [];
    for (const r of project.resources(state)) {
      const m = /^kubernetes:(?:core|apps)\/v1:(\w+)$/.exec(r.type);
      if (m) names.push(`${m[1]}/${r.urn.slice(r.urn.lastIndexOf(`:${NS}/`) + NS.length + 2)}`);
    }
    return names.sort();
  };

  const assertConverged = async () => {
    assert.deepEqual(await ours(), RENDERED, "every rendered object exists, and nothing else of ours");
    assert.deepEqual(await recorded(), RENDERED, "the state records exactly the rendered objects");
  };

  const assertDestroyLeavesNothing = async () => {
    await project.destroy();
    assert.deepEqual(await ours(), [], "no object of ours is left in the namespace");
    assert.equal(project.resources(JSON.parse(await project.stateText())).length, 0);
  };

  /**
   * `pulumi up` with `inject` switched on the moment the API server has the first Secret (the first kind group is
   * being applied; ConfigMaps, Deployments and Services are still to come) and lifted `forMs` later.
   */
  const upWithFault = async (inject: () => Promise<unknown>, forMs: number) => {
    let fault: Promise<void> | undefined;
    const watch = await watchAdded(kube(), Object.values(COLLECTIONS), (a) => {
      if (fault || a.kind !== "Secret") return;
      fault = (async () => {
        await inject();
        await sleep(forMs);
        await proxy.clear();
      })();
      fault.catch(() => undefined); // awaited below
    });
    let result: RunResult;
    try {
      result = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
    } finally {
      watch.stop();
    }
    assert.ok(fault, "the fault was switched on (the API server saw a Secret)");
    await fault;
    const out = result.stdout + result.stderr;
    for (const secret of [MASTER, derived]) assert.ok(!out.includes(secret), "no password in what pulumi printed");
    return { result, out };
  };

  /** Creates a Service labelled as the stack's ManifestSweeper records, which the state does not hold. */
  const applyAsIfAnswerLost = async () => {
    const state = JSON.parse(await project.stateText());
    const sweeper = project.resources(state).find((r) => r.type.endsWith(":ManifestSweeper"));
    assert.ok(sweeper, "the failed up recorded the sweeper (it comes before every group)");
    const name = "applied-answer-lost";
    const svc = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace: NS, labels: { "vmware-kit.pulumi.com/owner": sweeper.outputs.owner } },
      spec: { ports: [{ port: 443 }] },
    };
    assert.equal((await kube().request("POST", COLLECTIONS.Service, svc)).status, 201);
  };

  /** The rule for a fault during `up`: it succeeds, or fails naming the object and the broken connection. */
  const outcomeOf = (result: RunResult, out: string): string => {
    if (result.code === 0) return "succeeded";
    assert.match(out, NAMES_OBJECT, out);
    assert.match(out, CONNECTION_FAILED, out);
    return "clear error naming the object";
  };

  before(async () => {
    sim = await startVcsim({ username: USER, password: derived, args: EMPTY_VCSIM });
    await buildInventory(
      sim,
      ["productionbb001", "productionbb002"].map((name) => ({
        datacenter: "qa-de-1a",
        name,
        datastores: ["eph001_hga"],
        portgroups: [],
      })),
    );
    const ns = await kube().request("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: NS },
    });
    assert.equal(ns.status, 201);

    toxi = await startToxiproxy();
    project = await vcenterProject(sim, { fqdn: FQDN, user: USER, namespace: NS });
    await project.config({ kubeconfig: kubeconfig() });
    await project.config({ masterPassword: MASTER }, { secret: true });
  });

  // A fresh proxy per case (Toxiproxy 2.5.0 can panic when a toxic is added while an earlier toxic's links are still
  // closing, see simulators/toxiproxy); each case destroys everything, so the provider's kubeconfig may change.
  let proxies = 0;
  beforeEach(async () => {
    proxy = await toxi.proxy(`kube-apiserver-${++proxies}`, new URL(kube().server).host);
    const server = `https://127.0.0.1:${proxy.port}`;
    // TLS end to end through the TCP proxy: the serving certificate is valid for IP 127.0.0.1 whatever the port.
    assert.equal(await verifiedGet(`${server}/readyz`, adminTls(kube())), 200);
    fs.writeFileSync(kubeconfig(), kubeconfigVia(kube(), server), { mode: 0o600 });
  });

  afterEach(async () => {
    if (!proxy) return;
    // After a failed case: destroy through the healthy proxy, so the next case starts from an empty stack.
    await proxy.clear();
    if (project && project.resources(JSON.parse(await project.stateText())).length)
      await project.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
    await proxy.remove();
  });

  after(async () => {
    ledger.print();
    console.log(`      kube-apiserver faults: ${ledger.injected} injected`);
    project?.cleanup();
    await toxi?.stop();
    await sim?.stop();
  });

  it("latency 300 ms each way: up succeeds and every rendered object exists; destroy under it removes them all", async () => {
    await proxy.toxic("latency", { latency: 300, jitter: 0 });
    await proxy.toxic("latency", { latency: 300, jitter: 0 }, { stream: "upstream" });
    const started = Date.now();
    await project.up();
    const upMs = Date.now() - started;
    const ids: string[] = (await project.outputs()).manifestIds;
    assert.deepEqual(
      ids
        .map((id) => id.split("/"))
        .map((p) => `${p[p.length - 3]}/${p[p.length - 1]}`)
        .sort(),
      RENDERED,
      "the stack renders what RENDERED lists",
    );
    await assertConverged();
    ledger.record("up", "latency 300 ms each way", "succeeded");
    await assertDestroyLeavesNothing();
    ledger.record("destroy", "latency 300 ms each way", "succeeded");
    console.log(`      up through 300 ms each way: ${(upMs / 1000).toFixed(1)} s`);
  });

  /** Faults switched on once the API server has the first Secret and lifted `forMs` later. */
  const MIDWAY: Array<{
    fault: string;
    title: string;
    inject: () => Promise<unknown>;
    forMs: number;
    /** `pulumi destroy` right after the failed up, before the next up: it must leave nothing of ours. */
    destroyFirst?: boolean;
  }> = [
    {
      fault: "reset_peer for 2 s",
      title: "connections reset for 2 s",
      inject: () => proxy.toxic("reset_peer", { timeout: 0 }),
      forMs: 2_000,
    },
    {
      fault: "timeout (held 5 s, then closed)",
      title: "the API server silent for 5 s, then the connections closed",
      inject: () => proxy.toxic("timeout", { timeout: 0 }),
      forMs: 5_000,
      // The applies were sent (the toxic holds answers only), so the user who gives up and destroys meets lost answers.
      destroyFirst: true,
    },
    {
      fault: "upstream down 2 s (refused)",
      title: "the API server unreachable for 2 s (a restart as the client sees it)",
      inject: () => proxy.disable(),
      forMs: 2_000,
    },
  ];

  for (const f of MIDWAY) {
    const destroyFirst = f.destroyFirst ? "destroy removes the objects whose answers were lost too, " : "";
    it(`${f.title} once the first Secret is applied: up succeeds or names the object; ${destroyFirst}the next up converges`, async () => {
      const { result, out } = await upWithFault(f.inject, f.forMs);
      const outcome = outcomeOf(result, out);
      // Applied, but the answer was lost: on the API server, not in the state (a destroy now would leave it behind).
      const recordedNow = await recorded();
      const unrecorded = (await ours()).filter((o) => !recordedNow.includes(o));
      let swept = "";
      if (f.destroyFirst) {
        // Where the fault happened to lose no answer, one is made to look lost: an object created directly with the
        // stack's owner label, as an apply whose answer never came back leaves it.
        if (!unrecorded.length) await applyAsIfAnswerLost();
        const lostNow = (await ours()).filter((o) => !recordedNow.includes(o));
        assert.ok(lostNow.length > 0);
        const destroyed = await project.destroy();
        assert.match(
          destroyed.stdout + destroyed.stderr,
          new RegExp(`deleted ${lostNow.length} object\\(s\\) whose apply answer was lost`),
        );
        assert.deepEqual(
          await ours(),
          [],
          "destroy after the failed up leaves nothing of ours, unrecorded objects included",
        );
        assert.equal(project.resources(JSON.parse(await project.stateText())).length, 0);
        swept = ` (${lostNow.length} swept: ${unrecorded.length ? "lost by the fault" : "one made to look lost"})`;
      }
      await project.up();
      await assertConverged();
      const lost = unrecorded.length ? ` (${unrecorded.length} applied but unrecorded: answer lost)` : "";
      const adopted = f.destroyFirst ? `destroy left nothing${swept}, then ` : "";
      ledger.record("up", `${f.fault}, after the first Secret`, `${outcome}${lost}, ${adopted}next up converged`);
      await assertDestroyLeavesNothing();
    });
  }
});
