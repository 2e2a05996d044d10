// examples/vcenter applied for real: the pulumi CLI, pulumi-resource-kubernetes 4.25.0 and a kube-apiserver on
// 127.0.0.1 (etcd + kube-controller-manager, no kubelet), a vcsim whose only login is the Master Password derived
// for its FQDN. Everything is checked by reading the API server directly, not through Pulumi.
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { derivePassword } from "../../sdk/vcenter/masterpassword";
import { addCluster, buildInventory, EMPTY_VCSIM } from "../fixtures/vcenter/inventory";
import { govc } from "../helpers/govc";
import { useKube } from "../helpers/kube";
import { watchAdded } from "../helpers/kube-watch";
import { PulumiProject, vcenterProject } from "../helpers/pulumi";

const FQDN = "vc-a-0.cc.qa-de-1.cloud.sap";
const USER = "vcenter-operator";
const MASTER = "kube engine master password";
const NS = "monsoon3";
const TEMPLATE = "vcenter-operator.stable.sap.cc/template";

const core = (kind: string, name: string) => `/api/v1/namespaces/${NS}/${kind}/${name}`;
const apps = (kind: string, name: string) => `/apis/apps/v1/namespaces/${NS}/${kind}/${name}`;
/** What one cluster of the example's templates renders (sapcc's `name`: productionbb091 → bb91). */
const clusterObjects = (bb: string) => [
  { path: core("secrets", `nova-compute-vmware-${bb}`), template: "vcenter-cluster-nova-compute-secret" },
  { path: core("configmaps", `nova-compute-vmware-${bb}`), template: "vcenter-cluster-nova-compute-configmap" },
  { path: apps("deployments", `nova-compute-${bb}`), template: "vcenter-cluster-nova-compute-deployment" },
  { path: core("services", `nova-compute-${bb}`), template: "vcenter-cluster-nova-compute-deployment" },
];
const DATACENTER_SECRET = core("secrets", "volume-vmware-vc-a-0-qa-de-1a");

describe("engine: VCenterManifests into a real kube-apiserver (pulumi CLI + pulumi-resource-kubernetes + vcsim)", function () {
  this.timeout(15 * 60_000);
  const kube = useKube();
  let sim: Vcsim;
  let project: PulumiProject;
  const derived = derivePassword(USER, MASTER, FQDN);
  const get = async (p: string) => {
    const r = await kube().request("GET", p);
    if (r.status === 404) return undefined;
    assert.equal(r.status, 200, `GET ${p}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const create = async (p: string, body: unknown) => {
    const r = await kube().request("POST", p, body);
    assert.equal(r.status, 201, `POST ${p}: ${JSON.stringify(r.body)}`);
  };

  before(async () => {
    sim = await startVcsim({ username: USER, password: derived, args: EMPTY_VCSIM });
    await buildInventory(sim, [
      {
        datacenter: "qa-de-1a",
        name: "productionbb001",
        datastores: ["eph001_hga", "eph001_hgb"],
        portgroups: ["br-physnet"],
      },
    ]);
    // The namespace is someone else's, with objects of its own: the stack must leave both as they are.
    await create("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    await create(`/api/v1/namespaces/${NS}/configmaps`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "keep-me" },
      data: { owner: "helm" },
    });
    await create(`/api/v1/namespaces/${NS}/secrets`, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "vcenter-operator" },
      stringData: { password: "not ours" },
    });
    project = await vcenterProject(sim, {
      fqdn: FQDN,
      user: USER,
      namespace: NS,
      extra: { kubeconfig: kube().kubeconfigPath },
    });
    await project.config({ masterPassword: MASTER }, { secret: true });
  });

  after(async () => {
    project?.cleanup();
    await sim?.stop();
  });

  it("up applies Secrets, then ConfigMaps, then Deployments, then the rest, each marked with its template", async () => {
    const watch = await watchAdded(kube(), [
      `/api/v1/namespaces/${NS}/secrets`,
      `/api/v1/namespaces/${NS}/configmaps`,
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      `/api/v1/namespaces/${NS}/services`,
    ]);
    try {
      await project.up();
    } finally {
      setTimeout(() => watch.stop(), 500);
    }
    for (const o of clusterObjects("bb1")) {
      const obj = await get(o.path);
      assert.ok(obj, `${o.path} exists`);
      assert.equal(obj.metadata.annotations[TEMPLATE], o.template, `${o.path} names its template`);
    }
    const cm = await get(core("configmaps", "nova-compute-vmware-bb1"));
    assert.match(cm.data["nova-compute.conf"], /host_ip = vc-a-0\.cc\.qa-de-1\.cloud\.sap/);
    assert.match(cm.data["nova-compute.conf"], /integration_bridge = br-physnet/);
    const secret = await get(core("secrets", "nova-compute-vmware-bb1"));
    // `{= password | quote =}` is a YAML scalar: the Secret holds the password itself.
    assert.equal(
      Buffer.from(secret.data.host_password, "base64").toString(),
      derived,
      "the Secret holds the derived password",
    );
    assert.ok(await get(DATACENTER_SECRET), "the datacenter-scope Secret exists");
    // Readiness is skipped (no kubelet): the annotation is on the object and the Deployment never became available.
    const deployment = await get(apps("deployments", "nova-compute-bb1"));
    assert.equal(deployment.metadata.annotations["pulumi.com/skipAwait"], "true");
    assert.ok(!deployment.status?.availableReplicas, "no pod ever ran");

    await new Promise((r) => setTimeout(r, 600));
    const order = ["Secret", "ConfigMap", "Deployment", "Service"];
    const revisions = order.map((k) => watch.added.filter((a) => a.kind === k).map((a) => a.revision));
    revisions.forEach((r, i) => assert.ok(r.length > 0, `saw ${order[i]}s created: ${JSON.stringify(watch.added)}`));
    for (let i = 1; i < order.length; i++) {
      assert.ok(
        Math.max(...revisions[i - 1]) < Math.min(...revisions[i]),
        `every ${order[i - 1]} before any ${order[i]}: ${JSON.stringify(watch.added)}`,
      );
    }
  });

  it("keeps Secret data out of the state: neither the derived password nor the Secret's base64 data", async () => {
    const state = await project.stateText();
    const files = project.backendFilesText();
    const secret = await get(core("secrets", "nova-compute-vmware-bb1"));
    const volume = await get(DATACENTER_SECRET);
    for (const [what, value] of [
      ["master password", MASTER],
      ["derived password", derived],
      ["host_password (base64)", secret.data.host_password],
      ["cinder-volume.conf (base64)", volume.data["cinder-volume.conf"]],
    ] as const) {
      assert.ok(!state.includes(value), `${what} in \`pulumi stack export\``);
      assert.ok(!files.includes(value), `${what} in the backend files`);
    }
  });

  it("a cluster added in vCenter: refresh, then preview --diff shows its objects, then up creates them", async () => {
    await addCluster(sim, { datacenter: "qa-de-1a", name: "productionbb091", datastores: ["eph091"], portgroups: [] });
    await project.refresh();
    const { stdout } = await project.preview();
    for (const [type, template, name] of [
      ["kubernetes:core/v1:Secret", "vcenter-cluster-nova-compute-secret", "nova-compute-vmware-bb91"],
      ["kubernetes:core/v1:ConfigMap", "vcenter-cluster-nova-compute-configmap", "nova-compute-vmware-bb91"],
      ["kubernetes:apps/v1:Deployment", "vcenter-cluster-nova-compute-deployment", "nova-compute-bb91"],
      ["kubernetes:core/v1:Service", "vcenter-cluster-nova-compute-deployment", "nova-compute-bb91"],
    ]) {
      const line = new RegExp(
        `\\+ ${type}: \\(create\\)\\s*\\n\\s*\\[urn=[^\\]]*::vcenter-operator/${template}:${NS}/${name}\\]`,
      );
      assert.match(stdout, line, `preview shows ${type} ${name} from ${template}`);
    }
    assert.doesNotMatch(stdout, /\(delete\)|\(replace\)/);
    for (const o of clusterObjects("bb91")) assert.equal(await get(o.path), undefined, `${o.path} not made by preview`);
    await project.up();
    for (const o of [...clusterObjects("bb1"), ...clusterObjects("bb91")])
      assert.ok(await get(o.path), `${o.path} exists`);
  });

  it("a cluster taken out of production: refresh refuses (prune guard); allowed in the program, up prunes its objects and the others stay", async () => {
    // vcsim cannot destroy a cluster; renamed out of sapcc's `productionbbN` pattern it is no longer rendered.
    await govc(sim, ["object.rename", "/qa-de-1a/host/productionbb091", "decommissioned091"]);
    // Half the production clusters gone at once: the prune guard refuses until the program allows it.
    const refused = await project.run(["refresh", "--yes", "--skip-preview"], { allowFailure: true });
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stdout + refused.stderr,
      new RegExp(`production clusters gone: ${FQDN.replace(/\./g, "\\.")}/productionbb091`),
    );
    // Allowed in the program, the next up re-reads vCenter with the new inputs and prunes (refresh keeps using the
    // inputs in the state, so it goes on refusing until that up).
    await project.config({ pruneGuard: JSON.stringify({ allow: [`${FQDN}/productionbb091`] }) });
    const { stdout } = await project.preview();
    assert.match(stdout, /\+ pruneGuard\s*: \{\s*\n\s*\+ allow/);
    await project.up();
    for (const o of clusterObjects("bb91")) assert.equal(await get(o.path), undefined, `${o.path} pruned`);
    for (const o of clusterObjects("bb1")) assert.ok(await get(o.path), `${o.path} stays`);
  });

  it("destroy removes every object it made and leaves the namespace as it was", async () => {
    await project.destroy();
    for (const o of [...clusterObjects("bb1"), { path: DATACENTER_SECRET }])
      assert.equal(await get(o.path), undefined, `${o.path} removed`);
    const ns = await get(`/api/v1/namespaces/${NS}`);
    assert.equal(ns?.status?.phase, "Active", "the namespace stays");
    assert.deepEqual(
      (await get(core("configmaps", "keep-me")))?.data,
      { owner: "helm" },
      "someone else's ConfigMap stays",
    );
    assert.ok(await get(core("secrets", "vcenter-operator")), "someone else's Secret stays");
    assert.equal(project.resources(JSON.parse(await project.stateText())).length, 0);
  });
});
