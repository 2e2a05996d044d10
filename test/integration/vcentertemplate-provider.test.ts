// The VCenterTemplate handlers end to end against real servers on loopback: BIND 9 serving a TSIG-protected zone
// (discovery), and two vcsims whose only valid login is the Master Password derived for their FQDN (sapcc's
// credential scheme). The FQDNs resolve nowhere, so `endpoints` maps each to its vcsim.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { DnsServer, startDnsServer, ZoneRecord } from "../../simulators/dns";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { derivePassword } from "../../sdk/vcenter/masterpassword";
import * as handlers from "../../providers/vcentertemplate/handlers";
import { vcenterTemplatesFromYaml } from "../../providers/vcentertemplate/yaml";
import type { Props } from "../../providers/vcentertemplate/diff";
import { addCluster, buildInventory, EMPTY_VCSIM } from "../fixtures/vcenter/inventory";
import { ensureNamed } from "../helpers/named";

const ZONE = "cc.qa-de-1.cloud.sap";
const USER = "vcenter-operator";
const MASTER = "banana colored duckling";
const A = `vc-a-0.${ZONE}`;
const B = `vc-b-1.${ZONE}`;
const FIXTURES = path.join(__dirname, "..", "fixtures", "vcenter");

const records = (names: string[]): ZoneRecord[] => [
  ...names.map((n) => ({ name: n, type: "A" as const, value: "127.0.0.1" })),
  { name: "vcenter-x-1", type: "A", value: "127.0.0.1" },
];

function templates() {
  return [
    "nova-compute-configmap-vct.yaml",
    "nova-compute-deployment-vct.yaml",
    "cinder-volume-secret-vct.yaml",
    "neutron-nsxv3-secret-vct.yaml",
  ].flatMap((f) => vcenterTemplatesFromYaml(fs.readFileSync(path.join(FIXTURES, f), "utf8")));
}

describe("VCenterTemplate handlers against BIND 9 + vcsim (integration)", function () {
  this.timeout(180_000);
  let dns: DnsServer;
  let simA: Vcsim;
  let simB: Vcsim;
  let props: Props;

  before(async function () {
    ensureNamed(this);
    dns = await startDnsServer({ zone: ZONE, records: records(["vc-a-0", "vc-b-1"]) });
    [simA, simB] = await Promise.all(
      [A, B].map((fqdn) =>
        startVcsim({ username: USER, password: derivePassword(USER, MASTER, fqdn), args: EMPTY_VCSIM }),
      ),
    );
    await buildInventory(simA);
    await buildInventory(simB, [
      { datacenter: "qa-de-1c", name: "productionbb002", datastores: ["eph002"], portgroups: ["br-c"] },
    ]);
    const input = {
      resourceName: "vcenter-operator",
      discovery: { dns: { server: dns.host, port: dns.port, zone: ZONE, tsigKey: dns.tsigKeyBase64 } },
      credentials: { masterPassword: { username: USER, password: MASTER } },
      templates: templates(),
      namespace: "monsoon3",
      endpoints: { [A]: simA.url, [B]: simB.url },
      ca: simA.ca! + simB.ca!,
      cells: ["cell-qa-de-1b"],
    };
    const checked = await handlers.check({} as Props, input as unknown as Props);
    assert.deepEqual(checked.failures, []);
    props = checked.inputs as Props;
  });
  after(async () => {
    await Promise.all([simA?.stop(), simB?.stop(), dns?.stop()]);
  });

  let created: Record<string, any>;

  it("create discovers both vCenters over TSIG, logs on with the derived passwords and renders every template", async () => {
    const res = await handlers.create(props);
    created = res.outs;
    assert.equal(res.id, "monsoon3/vcenter-operator");
    assert.deepEqual(created.vcenters, { serial: 1, hosts: [A, B] });
    assert.deepEqual(created.manifestIds, [
      "v1/Secret/monsoon3/neutron-nsxv3-bb1",
      "v1/Secret/monsoon3/neutron-nsxv3-bb91",
      "v1/Secret/monsoon3/neutron-nsxv3-bb2",
      "v1/Secret/monsoon3/volume-vmware-vc-a-0",
      "v1/Secret/monsoon3/volume-vmware-vc-b-1",
      "v1/ConfigMap/monsoon3/nova-compute-vmware-bb1",
      "v1/ConfigMap/monsoon3/nova-compute-vmware-bb91",
      "v1/ConfigMap/monsoon3/nova-compute-vmware-bb2",
      "apps/v1/Deployment/monsoon3/nova-compute-bb1",
      "apps/v1/Deployment/monsoon3/nova-compute-bb91",
      "apps/v1/Deployment/monsoon3/nova-compute-bb2",
    ]);
    // vc-a-0 has two availability zones, so the datacenter-scoped cinder Secret (named after the vCenter) collides:
    // sapcc overwrote it silently; here it is a warning.
    assert.equal(created.warnings.length, 1);
    assert.match(
      created.warnings[0],
      /^v1\/Secret\/monsoon3\/volume-vmware-vc-a-0 is rendered 2 times, by vcenter_datacenter\/monsoon3\/vcenter-datacenter-cinder-secret\.yaml\.j2 \(2×\); the last one wins$/,
    );
  });

  it("renders the conventions and the vCenter login into the objects", () => {
    const byName = (n: string) => created.manifests.find((m: any) => m.metadata.name === n);
    const cm = byName("nova-compute-vmware-bb1");
    assert.deepEqual(cm.metadata.labels, { vcenter: A, datacenter: "qa-de-1a", vccluster: "productionbb001" });
    assert.match(cm.data["nova-compute.conf"], /datastore_regex = "\^eph001_hg\.\*"/);
    assert.match(cm.data["nova-compute.conf"], /datastore_hagroup_regex = /);
    assert.equal(cm.metadata.namespace, "monsoon3");
    const cinder = Buffer.from(byName("volume-vmware-vc-b-1").data["cinder-volume.conf"], "base64").toString();
    assert.match(
      cinder,
      new RegExp(`vmware_host_password = ${derivePassword(USER, MASTER, B).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n`),
    );
    assert.equal(byName("nova-compute-bb91").spec.template.metadata.labels.cell, "cell-qa-de-1b");
    assert.equal(byName("nova-compute-bb1").spec.template.metadata.labels.cell, "cell1");
    const nsx = byName("neutron-nsxv3-bb91");
    assert.equal(nsx.stringData.nsxv3_api_managers, `nsx-ctl-bb091.${ZONE}`);
  });

  it("reports the inventory per vCenter without credentials", () => {
    const inv = created.inventory;
    assert.deepEqual(
      inv.map((v: any) => [v.host, v.name, v.url]),
      [
        [A, "vc-a-0", simA.url],
        [B, "vc-b-1", simB.url],
      ],
    );
    const bb1 = inv[0].datacenters[0].clusters[0];
    assert.deepEqual(bb1.conventions, {
      name: "bb1",
      cluster_name: "productionbb001",
      availability_zone: "qa-de-1a",
      nsx_t_enabled: true,
      vcenter_name: "vc-a-0",
      datastore_regex: "^eph001_hg.*",
      datastore_hagroup_regex: ".*_hg(?P<hagroup>[ab])$",
      bridge: "br-physnet-a",
      physical: "physnet-a",
    });
    assert.equal(inv[0].datacenters[0].clusters[1].conventions, undefined, "storage01 is not a production cluster");
    const text = JSON.stringify(inv);
    assert.ok(!text.includes(MASTER) && !text.includes(derivePassword(USER, MASTER, A)));
  });

  it("read() sees a cluster added in vCenter (the zone serial is unchanged)", async () => {
    await addCluster(simB, { datacenter: "qa-de-1c", name: "productionbb003", datastores: ["eph003"], portgroups: [] });
    const res = await handlers.read("monsoon3/vcenter-operator", { ...props, ...created } as Props);
    const ids: string[] = res.props!.manifestIds;
    assert.ok(ids.includes("v1/ConfigMap/monsoon3/nova-compute-vmware-bb3"));
    assert.ok(ids.includes("apps/v1/Deployment/monsoon3/nova-compute-bb3"));
    assert.equal(ids.length, created.manifestIds.length + 3);
    assert.deepEqual(res.props!.vcenters, { serial: 1, hosts: [A, B] });
    created = res.props!;
  });

  it("read() refuses to drop a vCenter removed from DNS (prune guard), saying what and how to allow it", async () => {
    await dns.setRecords(records(["vc-a-0"]));
    await assert.rejects(handlers.read("monsoon3/vcenter-operator", { ...props, ...created } as Props), (e: Error) => {
      assert.match(
        e.message,
        /^VCenterTemplate "vcenter-operator": vCenters gone: vc-b-1\.cc\.qa-de-1\.cloud\.sap \(1 of 2, 50%\); production clusters gone: those of the vCenters above \(2 of 4, 50%\)/,
      );
      assert.match(e.message, /add them to pruneGuard\.allow \(e\.g\. \["vc-b-1\.cc\.qa-de-1\.cloud\.sap"\]\)/);
      return true;
    });
  });

  it("update() with vc-b-1 in pruneGuard.allow drops it, with its objects", async () => {
    const allowing = { ...props, pruneGuard: { allow: [B] } } as Props;
    const res = await handlers.update("monsoon3/vcenter-operator", { ...props, ...created } as Props, allowing);
    assert.deepEqual(res.outs!.vcenters, { serial: 2, hosts: [A] });
    const ids: string[] = res.outs!.manifestIds;
    assert.ok(!ids.some((id) => /bb2$|bb3$|vc-b-1$/.test(id)), ids.join(" "));
    assert.equal(ids.length, 7);
    assert.deepEqual(res.outs!.pruneGuard, { allow: [B] });
    // Later steps start from this state, with the program's inputs as before.
    created = { ...res.outs!, pruneGuard: undefined };
  });

  it("an empty zone is refused even with maxRemovedFraction 1, unless what disappeared is listed", async () => {
    await dns.setRecords([]);
    const state = { ...props, ...created, pruneGuard: { maxRemovedFraction: 1, allow: [B] } } as Props;
    await assert.rejects(
      handlers.read("monsoon3/vcenter-operator", state),
      /vCenters gone: vc-a-0\.cc\.qa-de-1\.cloud\.sap \(1 of 1, 100%\).*nothing is left of what was discovered before/,
    );
    const res = await handlers.update("monsoon3/vcenter-operator", state, {
      ...props,
      pruneGuard: { allow: [A, B] },
    } as Props);
    assert.deepEqual(res.outs!.manifestIds, []);
    await dns.setRecords(records(["vc-a-0"]));
  });

  it("a template failing at render time names the template and the line", async () => {
    const broken = {
      ...props,
      templates: [
        ...props.templates,
        {
          name: "broken",
          options: { scope: "cluster" as const },
          template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x-{{ nosuch() }}\n",
        },
      ],
    };
    await assert.rejects(handlers.update("id", { ...props, ...created } as Props, broken as Props), (e: Error) => {
      assert.match(e.message, /template vcenter_cluster\/monsoon3\/broken\.yaml\.j2 line 4/);
      assert.ok(!e.message.includes(derivePassword(USER, MASTER, A)));
      return true;
    });
  });

  it("a wrong master password fails naming the vCenter and the user, never the password", async () => {
    const wrong = {
      ...props,
      credentials: { masterPassword: { username: USER, password: "not the master password" } },
    };
    await assert.rejects(handlers.create(wrong as Props), (e: Error) => {
      assert.match(e.message, new RegExp(`vCenter ${A.replace(/\./g, "\\.")}: .*login failed for user "${USER}"`));
      assert.ok(!/https?:\/\//.test(e.message), "names hosts, never the endpoint URL (a secret input)");
      assert.ok(!e.message.includes("not the master password"));
      assert.ok(!e.message.includes(derivePassword(USER, "not the master password", A)));
      return true;
    });
  });

  it("diff: input changes update in place, nothing is replaced; delete touches nothing", async () => {
    const d = await handlers.diff("id", { ...props, ...created } as Props, { ...props, cells: ["cell-x"] } as Props);
    assert.deepEqual([d.changes, d.replaces], [true, []]);
    const same = await handlers.diff("id", { ...props, ...created } as Props, props);
    assert.equal(same.changes, false);
    await handlers.remove("id", props);
  });
});
