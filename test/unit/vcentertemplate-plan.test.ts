// The VCenterTemplate provider's pure parts: inventory assembly, rendering across vCenters, credentials,
// endpoints, global context, discovery reuse and diffs. No network.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { assembleInventory, inventorySpec } from "../../sdk/vcenter/inventory";
import { renderAll } from "../../sdk/vcenter/render";
import { TemplateSet } from "../../sdk/vcenter/templates";
import { derivePassword } from "../../sdk/vcenter/masterpassword";
import type { ObjectContent } from "../../sdk/vsphere/types";
import {
  domainOf,
  duplicateWarnings,
  endpointFor,
  globalsOf,
  loginFor,
  templateSources,
} from "../../sdk/vcenter/template/planner";
import { changedInputs, Props, reusableDiscovery } from "../../providers/vcentertemplate/diff";
import { vcenterTemplatesFromYaml } from "../../providers/vcentertemplate/yaml";

const ref = (type: string, value: string) => ({ type, value });
const HOST = "vc-a-0.cc.qa-de-1.cloud.sap";

function objects(): ObjectContent[] {
  return [
    { obj: ref("Datacenter", "dc-1"), props: { name: "QA-DE-1a" } },
    { obj: ref("Datacenter", "dc-2"), props: { name: "qa-de-1b" } },
    { obj: ref("Folder", "host-1"), props: { parent: ref("Datacenter", "dc-1") } },
    { obj: ref("Folder", "host-2"), props: { parent: ref("Datacenter", "dc-2") } },
    { obj: ref("Folder", "rack-2"), props: { parent: ref("Folder", "host-2") } },
    {
      obj: ref("ClusterComputeResource", "c-91"),
      props: {
        name: "productionbb091",
        parent: ref("Folder", "rack-2"),
        datastore: [ref("Datastore", "ds-3")],
        network: [ref("DistributedVirtualPortgroup", "pg-2")],
      },
    },
    {
      obj: ref("ClusterComputeResource", "c-1"),
      props: {
        name: "productionbb001",
        parent: ref("Folder", "host-1"),
        datastore: [ref("Datastore", "ds-1"), ref("Datastore", "ds-2")],
        network: [
          ref("Network", "net-1"),
          ref("DistributedVirtualPortgroup", "pg-1"),
          ref("DistributedVirtualPortgroup", "pg-2"),
        ],
      },
    },
    { obj: ref("Datastore", "ds-1"), props: { name: "eph001_hga" } },
    { obj: ref("Datastore", "ds-2"), props: { name: "eph001_hgb" } },
    { obj: ref("Datastore", "ds-3"), props: { name: "eph-bb91" } },
    { obj: ref("Network", "net-1"), props: { name: "VM Network" } },
    { obj: ref("DistributedVirtualPortgroup", "pg-1"), props: { name: "br-A" } },
    { obj: ref("DistributedVirtualPortgroup", "pg-2"), props: { name: "br-B" } },
  ];
}

const base = (): Props =>
  ({
    resourceName: "vco",
    discovery: {
      dns: { server: "10.0.0.53", port: 53, zone: "cc.qa-de-1.cloud.sap", tsigKeyName: "tsig-key", tsigKey: "AAAA" },
    },
    credentials: { masterPassword: { username: "op", password: "master" } },
    templates: [
      {
        name: "cm",
        options: { scope: "cluster" },
        template: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 'cm-{{ name }}'}",
      },
    ],
    namespace: "monsoon3",
  }) as Props;

describe("VCenterTemplate planning (pure)", () => {
  it("one filter spec reaches datastores, networks and the datacenter through nested folders", () => {
    const spec = inventorySpec(ref("ContainerView", "v"));
    assert.deepEqual(
      spec.propSet.map((p) => p.type),
      [
        "ClusterComputeResource",
        "Datacenter",
        "Folder",
        "Datastore",
        "Network",
        "DistributedVirtualPortgroup",
        "OpaqueNetwork",
      ],
    );
    const view = spec.objectSet[0].selectSet![0];
    const names = (view.selectSet as any[]).map((s) => s.name);
    assert.deepEqual(names, ["clusterDatastores", "clusterNetworks", "clusterParent"]);
    const up = (view.selectSet as any[])[2].selectSet[0];
    assert.deepEqual([up.type, up.path, up.selectSet], ["Folder", "parent", ["folderParent"]]);
  });

  it("assembles the flat PropertyCollector answer into datacenters and clusters, sorted, networks in order", () => {
    const inv = assembleInventory({ name: "vc-a-0", host: HOST }, objects());
    assert.deepEqual(inv.datacenters, [
      {
        name: "QA-DE-1a",
        clusters: [
          {
            name: "productionbb001",
            datastores: ["eph001_hga", "eph001_hgb"],
            networks: ["VM Network", "br-A", "br-B"],
          },
        ],
      },
      { name: "qa-de-1b", clusters: [{ name: "productionbb091", datastores: ["eph-bb91"], networks: ["br-B"] }] },
    ]);
  });

  it("says which cluster is not below a datacenter", () => {
    const objs = objects().filter((o) => o.obj.value !== "rack-2");
    assert.throws(
      () => assembleInventory({ name: "vc-a-0", host: HOST }, objs),
      /cluster "productionbb091" is not below a datacenter/,
    );
  });

  it("renders across vCenters and scopes and reports cross-vCenter and cross-scope duplicates", () => {
    const inv = (host: string) => assembleInventory({ name: host.split(".")[0], host }, objects());
    const B = "vc-b-1.cc.qa-de-1.cloud.sap";
    const set = new TemplateSet([
      {
        name: "cm",
        namespace: "ns",
        scope: "cluster",
        template: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 'cm-{{ name }}'}",
      },
      {
        name: "same",
        namespace: "ns",
        scope: "datacenter",
        template: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 'cm-bb1'}",
      },
    ]);
    const vc = (host: string) => ({
      inventory: inv(host),
      options: { username: "u", password: "p", host, name: host.split(".")[0] },
    });
    const r = renderAll(set, [vc(HOST), vc(B)], {});
    assert.deepEqual(
      r.manifests.map((m) => m.key),
      ["v1/ConfigMap/ns/cm-bb91", "v1/ConfigMap/ns/cm-bb1"],
    );
    // Both vCenters have a productionbb001 and a productionbb091; the datacenter template renders once per AZ.
    assert.deepEqual(duplicateWarnings(r.duplicates), [
      "v1/ConfigMap/ns/cm-bb1 is rendered 6 times, by vcenter_cluster/ns/cm.yaml.j2 (2×), vcenter_datacenter/ns/same.yaml.j2 (4×); the last one wins",
      "v1/ConfigMap/ns/cm-bb91 is rendered 2 times, by vcenter_cluster/ns/cm.yaml.j2 (2×); the last one wins",
    ]);
    assert.equal(r.manifests[1].template, "vcenter_datacenter/ns/same.yaml.j2", "the last producer wins");
  });

  it("logs on with the Master Password derived for the FQDN, or the explicit per-vCenter entry", () => {
    assert.deepEqual(loginFor({ masterPassword: { username: "op", password: "master" } }, HOST), {
      username: "op",
      password: derivePassword("op", "master", HOST),
    });
    const per = { perVCenter: { "VC-A-0.cc.qa-de-1.cloud.sap.": { username: "a", password: "b" } } };
    assert.deepEqual(loginFor(per, HOST), { username: "a", password: "b" });
    assert.throws(
      () => loginFor(per, "vc-b-1.cc.qa-de-1.cloud.sap"),
      /vc-b-1\.cc\.qa-de-1\.cloud\.sap: no credentials for it in credentials\.perVCenter/,
    );
  });

  it("maps a vCenter to https://<fqdn>/sdk unless endpoints overrides it", () => {
    assert.equal(endpointFor(undefined, HOST), `https://${HOST}/sdk`);
    assert.equal(endpointFor({ [HOST]: "https://127.0.0.1:8989/sdk" }, HOST), "https://127.0.0.1:8989/sdk");
  });

  it("builds sapcc's globals: region from the domain, cells only when given, MPW user and master password", () => {
    const g = globalsOf({ ...base(), variables: { pbm_enabled: true, region: "override" } });
    assert.deepEqual(g, {
      region: "override",
      pbm_enabled: true,
      domain: "cc.qa-de-1.cloud.sap",
      username: "op",
      master_password: "master",
    });
    assert.equal(globalsOf(base()).region, "qa-de-1");
    assert.ok(!("cells" in globalsOf(base())), "templates test `cells is not defined`");
    assert.deepEqual(globalsOf({ ...base(), cells: ["cell1"] }).cells, ["cell1"]);
    assert.equal(domainOf({ discovery: { static: ["vc-a-0.cc.eu-de-2.cloud.sap"] } } as Props), "cc.eu-de-2.cloud.sap");
  });

  it("reuses the previous discovery (serial skip) only for the same server, zone and key", () => {
    const olds = { ...base(), vcenters: { serial: 7, hosts: [HOST] } } as Props;
    assert.deepEqual(reusableDiscovery(olds, base()), { serial: 7, vcenters: [HOST] });
    const moved = base();
    moved.discovery.dns!.zone = "cc.qa-de-2.cloud.sap";
    assert.equal(reusableDiscovery(olds, moved), undefined);
  });

  it("diffs inputs canonically: key order is no change, a changed template is", () => {
    const a = base();
    const b = JSON.parse(JSON.stringify(base()));
    b.credentials = { masterPassword: { password: "master", username: "op" } };
    assert.deepEqual(changedInputs(a, b), []);
    b.templates[0].template += "\n# x";
    assert.deepEqual(changedInputs(a, b), ["templates"]);
  });

  it("reads VCenterTemplate CRs (top-level and legacy form) into the templates input", () => {
    const dir = path.join(__dirname, "..", "fixtures", "vcenter");
    const items = vcenterTemplatesFromYaml(fs.readFileSync(path.join(dir, "nova-compute-configmap-vct.yaml"), "utf8"));
    assert.equal(items[0].name, "vcenter-cluster-nova-compute-configmap");
    assert.deepEqual(items[0].options, {
      scope: "cluster",
      jinja2_options: { variable_start_string: "{=", variable_end_string: "=}" },
    });
    const legacy = vcenterTemplatesFromYaml("metadata: {name: old, scope: datacenter}\ntemplate: 'x: 1'\n---\n");
    assert.deepEqual(legacy, [{ name: "old", options: { scope: "datacenter" }, template: "x: 1" }]);
    assert.deepEqual(
      templateSources({ ...base(), templates: legacy }).map((t) => [t.namespace, t.scope]),
      [["monsoon3", "datacenter"]],
    );
  });
});
