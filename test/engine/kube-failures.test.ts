// examples/vcenter against a real kube-apiserver when applying goes wrong: a kubeconfig that does not parse, a
// cluster that does not answer, a manifest the API server refuses. Each error names the object (kind,
// namespace/name) and the template that rendered it, and `pulumi destroy` leaves nothing behind.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { derivePassword } from "../../sdk/vcenter/masterpassword";
import { buildInventory, EMPTY_VCSIM } from "../fixtures/vcenter/inventory";
import { useKube } from "../helpers/kube";
import { PulumiProject, vcenterProject } from "../helpers/pulumi";

const FQDN = "vc-a-0.cc.qa-de-1.cloud.sap";
const USER = "vcenter-operator";
const MASTER = "kube failures master password";
const NS = "monsoon3";

/** A 127.0.0.1 port nobody listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe("engine: VCenterManifests failures (real kube-apiserver)", function () {
  this.timeout(15 * 60_000);
  const kube = useKube();
  let sim: Vcsim;
  let project: PulumiProject;

  /** Names of the objects in the namespace of the given collections (excluding the API server's own). */
  const ours = async () => {
    const names: string[] = [];
    for (const [collection, kind] of [
      [`/api/v1/namespaces/${NS}/secrets`, "Secret"],
      [`/api/v1/namespaces/${NS}/configmaps`, "ConfigMap"],
      [`/apis/apps/v1/namespaces/${NS}/deployments`, "Deployment"],
      [`/api/v1/namespaces/${NS}/services`, "Service"],
    ]) {
      const r = await kube().request("GET", collection);
      assert.equal(r.status, 200);
      for (const o of r.body.items)
        if (o.metadata.name !== "kube-root-ca.crt") names.push(`${kind}/${o.metadata.name}`);
    }
    return names.sort();
  };

  before(async () => {
    sim = await startVcsim({ username: USER, password: derivePassword(USER, MASTER, FQDN), args: EMPTY_VCSIM });
    await buildInventory(sim, [
      { datacenter: "qa-de-1a", name: "productionbb001", datastores: ["eph001_hga"], portgroups: [] },
    ]);
    const ns = await kube().request("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: NS },
    });
    assert.equal(ns.status, 201);
    project = await vcenterProject(sim, { fqdn: FQDN, user: USER, namespace: NS });
    await project.config({ masterPassword: MASTER }, { secret: true });
  });

  after(async () => {
    project?.cleanup();
    await sim?.stop();
  });

  it("a kubeconfig that does not parse: preview fails naming the config key and the line, and nothing is recorded", async () => {
    await project.config(
      { kubeconfig: "apiVersion: v1\nclusters: [{name: broken\nusers: [{name: admin, user: {token: SECRET-TOKEN}}]\n" },
      { secret: true },
    );
    for (const cmd of [["preview"], ["up", "--yes", "--skip-preview"]]) {
      const { code, stdout, stderr } = await project.run(cmd, { allowFailure: true });
      assert.notEqual(code, 0);
      assert.match(
        stdout + stderr,
        /config kubeconfig: the kubeconfig does not parse as YAML \(line \d\)/,
        stdout + stderr,
      );
      assert.doesNotMatch(stdout + stderr, /SECRET-TOKEN/);
    }
    // Not even the provider: pulumi-kubernetes would keep the broken kubeconfig and fail every later diff on it.
    const state = JSON.parse(await project.stateText());
    assert.deepEqual(
      project
        .resources(state)
        .filter((r) => r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes"),
      [],
    );
    assert.deepEqual(await ours(), []);
  });

  it("an unreachable cluster: up fails naming each kind group and template, and applies nothing", async () => {
    const unreachable = kube().kubeconfig.replace(
      /server: https:\/\/127\.0\.0\.1:\d+/,
      `server: https://127.0.0.1:${await closedPort()}`,
    );
    assert.notEqual(unreachable, kube().kubeconfig);
    await project.config({ kubeconfig: unreachable }, { secret: true });
    const { code, stdout, stderr } = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
    assert.notEqual(code, 0);
    // The provider refuses to expand the groups (so no object is registered): the error names the group and template.
    assert.match(
      stdout + stderr,
      // Which template's group the engine reports first varies from run to run; each names kind group and template.
      /kubernetes:yaml\/v2:ConfigGroup resource 'vcenter-operator-secrets\/vcenter-(cluster|datacenter)-[a-z-]+' has a problem: configured Kubernetes cluster is unreachable: .*connection refused/,
      stdout + stderr,
    );
    assert.deepEqual(await ours(), []);
  });

  it("a manifest the API server refuses: the error names it and its template; destroy removes what was applied", async () => {
    await project.config({ kubeconfig: kube().kubeconfigPath });
    // The example's templates plus one whose Deployment the API server refuses (a selector that does not match).
    const file = path.join(project.root, "with-broken.yaml");
    fs.writeFileSync(
      file,
      `${fs.readFileSync(path.join(project.dir, "vcenter-templates.yaml"), "utf8")}\n---\n` +
        [
          "apiVersion: vcenter-operator.stable.sap.cc/v1",
          "kind: VCenterTemplate",
          "metadata: {name: vcenter-cluster-broken-deployment}",
          "options: {scope: cluster}",
          "template: |",
          "  apiVersion: apps/v1",
          "  kind: Deployment",
          "  metadata: {name: 'broken-{{ name }}'}",
          "  spec:",
          "    selector: {matchLabels: {app: broken}}",
          "    template:",
          "      metadata: {labels: {app: other}}",
          "      spec: {containers: [{name: c, image: busybox}]}",
          "",
        ].join("\n"),
    );
    await project.config({ templatesFile: file });
    // A new or changed template's manifests are unknown while previewing (the VCenterTemplate renders at up), so
    // the API server's refusal shows at `up`: the kind groups before the refused one are applied, then it stops.
    const { code, stdout, stderr } = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
    assert.notEqual(code, 0);
    const out = stdout + stderr;
    assert.match(
      out,
      /kubernetes:apps\/v1:Deployment \(vcenter-operator\/vcenter-cluster-broken-deployment:monsoon3\/broken-bb1\)/,
      out,
    );
    assert.match(out, /`selector` does not match template `labels`/);
    // Config went first (Secrets, ConfigMaps); the refused Deployment was not made.
    const applied = await ours();
    assert.ok(
      applied.includes("Secret/nova-compute-vmware-bb1") && applied.includes("ConfigMap/nova-compute-vmware-bb1"),
      applied.join(", "),
    );
    assert.ok(!applied.includes("Deployment/broken-bb1"));

    await project.destroy();
    assert.deepEqual(await ours(), [], "destroy removed everything the failed up applied");
    const ns = await kube().request("GET", `/api/v1/namespaces/${NS}`);
    assert.equal(ns.body.status.phase, "Active", "the namespace stays");
    assert.equal(project.resources(JSON.parse(await project.stateText())).length, 0);
  });
});
