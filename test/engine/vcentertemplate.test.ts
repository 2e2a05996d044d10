// examples/vcenter under the real pulumi CLI: DNS discovery from BIND 9 (TSIG), a vcsim whose only login is the
// Master Password derived for its FQDN, templates rendered from the inventory. Rendering only (deployManifests=false):
// applying to a real kube-apiserver is test/engine/kube-vcenter.test.ts.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { DnsServer, startDnsServer } from "../../simulators/dns";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { derivePassword } from "../../sdk/vcenter/masterpassword";
import { iniQuote } from "../../sdk/vcenter/filters";
import { addCluster, buildInventory, EMPTY_VCSIM } from "../fixtures/vcenter/inventory";
import { PulumiProject } from "../helpers/pulumi";
import { ensureNamed } from "../helpers/named";

const ZONE = "cc.qa-de-1.cloud.sap";
const FQDN = `vc-a-0.${ZONE}`;
const USER = "vcenter-operator";
const MASTER = "engine master password";

describe("engine: VCenterTemplate (pulumi CLI + BIND 9 + vcsim)", function () {
  this.timeout(10 * 60_000);
  let dns: DnsServer;
  let sim: Vcsim;
  let project: PulumiProject;
  const derived = derivePassword(USER, MASTER, FQDN);

  before(async function () {
    ensureNamed(this);
    dns = await startDnsServer({ zone: ZONE, records: [{ name: "vc-a-0", type: "A", value: "127.0.0.1" }] });
    sim = await startVcsim({ username: USER, password: derived, args: EMPTY_VCSIM });
    await buildInventory(sim, [
      {
        datacenter: "qa-de-1a",
        name: "productionbb001",
        datastores: ["eph001_hga", "eph001_hgb"],
        portgroups: ["br-physnet"],
      },
    ]);
    project = await PulumiProject.create("vcenter");
    const caFile = path.join(project.root, "vcsim-ca.pem");
    fs.writeFileSync(caFile, sim.ca!);
    await project.config({
      dnsServer: dns.host,
      dnsPort: dns.port,
      zone: ZONE,
      vcenterUser: USER,
      namespace: "monsoon3",
      vcenterCaFile: caFile,
      deployManifests: false,
      endpoints: JSON.stringify({ [FQDN]: sim.url }),
    });
    await project.config({ tsigKey: dns.tsigKeyBase64, masterPassword: MASTER }, { secret: true });
  });

  after(async () => {
    project?.cleanup();
    await Promise.all([sim?.stop(), dns?.stop()]);
  });

  it("up discovers the vCenter, reads its inventory and renders the manifests", async () => {
    await project.up();
    const out = await project.outputs();
    assert.deepEqual(out.vcenters, { serial: 1, hosts: [FQDN] });
    assert.deepEqual(out.manifestIds, [
      "v1/Secret/monsoon3/nova-compute-vmware-bb1",
      "v1/Secret/monsoon3/volume-vmware-vc-a-0-qa-de-1a",
      "v1/ConfigMap/monsoon3/nova-compute-vmware-bb1",
      "apps/v1/Deployment/monsoon3/nova-compute-bb1",
      "v1/Service/monsoon3/nova-compute-bb1",
    ]);
    assert.deepEqual(out.warnings, []);
    assert.equal(out.inventory[0].datacenters[0].clusters[0].conventions.datastore_regex, "^eph001_hg.*");
    const vct = await project.resourceOutputs("VCenterTemplate");
    // `stack export --show-secrets` keeps the secret envelope, with the value as JSON text.
    assert.equal(typeof vct.manifests.plaintext, "string");
    const cm = JSON.parse(vct.manifests.plaintext).find((m: any) => m.kind === "ConfigMap");
    assert.match(cm.data["nova-compute.conf"], /integration_bridge = br-physnet/);
    // Each object names the template that rendered it (VCenterManifests groups by it; errors name it).
    assert.equal(
      cm.metadata.annotations["vcenter-operator.stable.sap.cc/template"],
      "vcenter-cluster-nova-compute-configmap",
    );
  });

  it("refresh sees a cluster added in vCenter, and the state then holds its manifests", async () => {
    await addCluster(sim, { datacenter: "qa-de-1a", name: "productionbb091", datastores: ["eph091"], portgroups: [] });
    await project.refresh();
    const vct = await project.resourceOutputs("VCenterTemplate");
    assert.ok(vct.manifestIds.includes("v1/ConfigMap/monsoon3/nova-compute-vmware-bb91"));
    assert.ok(vct.manifestIds.includes("v1/Secret/monsoon3/nova-compute-vmware-bb91"));
    // The next preview --diff shows the new objects (here through the stack outputs; with deployManifests, as
    // Kubernetes objects to create); the resource's inputs did not change, so it is not updated itself.
    const plan = await project.preview();
    // (A new id shifts the ones after it: it shows as `+ [n]: "<id>"` or `~ [n]: "<old>" => "<id>"`.)
    assert.match(plan.stdout, /(\+\s*\[\d\]: |=> )"v1\/ConfigMap\/monsoon3\/nova-compute-vmware-bb91"/);
    assert.match(plan.stdout, /\+ name\s*: "productionbb91"|\+ name\s*: "productionbb091"/);
    assert.doesNotMatch(plan.stdout, /VCenterTemplate: \(update\)/);
    await project.up();
    assert.equal((await project.outputs()).manifestIds.length, 9);
  });

  it("a template change is an update in place that names the property, never a replace", async () => {
    await project.config({ cells: JSON.stringify(["cell-qa-de-1a"]) });
    const { stdout } = await project.preview();
    assert.match(stdout, /~ pulumi-nodejs:dynamic\/vmware:VCenterTemplate: \(update\)/);
    assert.match(stdout, /\+ cells\s*:/);
    assert.doesNotMatch(stdout, /replace/);
    await project.up();
  });

  it("rejects a bad template at preview with the template and line named, before any network call", async () => {
    const file = path.join(project.root, "broken.yaml");
    fs.writeFileSync(
      file,
      "metadata: {name: broken}\noptions: {scope: cluster}\ntemplate: |\n  kind: ConfigMap\n  name: {{ x | }}\n",
    );
    await project.config({ templatesFile: file });
    const { code, stdout, stderr } = await project.run(["preview", "--diff"], { allowFailure: true });
    assert.notEqual(code, 0);
    assert.match(
      stdout + stderr,
      /templates\[0\]\.template.*template vcenter_cluster\/monsoon3\/broken\.yaml\.j2 line 2/,
    );
    await project.run(["config", "rm", "templatesFile"]);
  });

  it("keeps the master password, the derived password and the TSIG key out of the state; manifests are secret", async () => {
    const state = await project.stateText();
    const files = project.backendFilesText();
    for (const [what, secret] of [
      ["master password", MASTER],
      ["derived password", derived],
      ["quoted derived password", iniQuote(derived)],
      ["TSIG key", dns.tsigKeyBase64],
    ] as const) {
      assert.ok(!state.includes(secret), `${what} in \`pulumi stack export\``);
      assert.ok(!files.includes(secret), `${what} in the backend files`);
    }
    const vct = project.resources(JSON.parse(state)).find((r) => r.type.endsWith("VCenterTemplate"));
    for (const k of ["manifests", "credentials", "discovery"])
      assert.ok(vct.outputs[k].ciphertext, `${k} is encrypted`);
    assert.ok(Array.isArray(vct.outputs.manifestIds), "manifestIds stay readable");
    const providerSize = vct.inputs.__provider.length;
    console.log(`      serialized __provider: ${providerSize} bytes`);
    assert.ok(providerSize < 4096, `__provider is ${providerSize} bytes`);
  });

  it("refresh refuses to drop the region's only vCenter when the zone comes back empty (prune guard); the state keeps its manifests", async () => {
    const before = (await project.resourceOutputs("VCenterTemplate")).manifestIds;
    await dns.setRecords([]);
    const { code, stdout, stderr } = await project.run(["refresh", "--yes", "--skip-preview"], { allowFailure: true });
    assert.notEqual(code, 0);
    assert.match(
      stdout + stderr,
      /vCenters gone: vc-a-0\.cc\.qa-de-1\.cloud\.sap \(1 of 1, 100%\).*nothing is left of what was discovered before.*pruneGuard\.allow/s,
    );
    const vct = await project.resourceOutputs("VCenterTemplate");
    assert.deepEqual(vct.manifestIds, before);
  });

  it("destroy removes the resource and touches nothing in vCenter", async () => {
    await project.destroy();
    assert.equal(project.resources(JSON.parse(await project.stateText())).length, 0);
  });
});
