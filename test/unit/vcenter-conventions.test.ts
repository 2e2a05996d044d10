import { strict as assert } from "assert";
import {
  availabilityZones,
  bridgeOf,
  clusterContexts,
  clusterShortName,
  commonPrefix,
  datacenterContexts,
  datastoreHagroupRegex,
  datastoreRegex,
  HAGROUP_REGEX,
  Inventory,
  VCenterOptions,
} from "../../sdk/vcenter/conventions";

const inv: Inventory = {
  vcenter: { name: "vc-a-0", host: "vc-a-0.cc.qa-de-1.cloud.sap" },
  datacenters: [
    {
      name: "QA-DE-1A",
      clusters: [
        {
          name: "productionbb091",
          datastores: ["eph-bb91-01_hga", "eph-bb91-02_hgb", "nfs-01"],
          networks: ["dvs-mgmt", "br-Fabric1", "br-other"],
        },
        { name: "productionbb1", datastores: ["eph-bb1-01", "eph-bb1-02"], networks: [] },
        { name: "management", datastores: ["eph-x"], networks: ["br-x"] },
      ],
    },
    { name: "qa-de-1b", clusters: [{ name: "storagebb1", datastores: [], networks: [] }] },
    { name: "QA-DE-1C", clusters: [{ name: "productionbb3", datastores: ["nfs"], networks: [] }] },
  ],
};
const vc: VCenterOptions = { username: "svc", password: "pw", host: inv.vcenter.host, name: inv.vcenter.name };
const globals = {
  region: "qa-de-1",
  domain: "cc.qa-de-1.cloud.sap",
  cells: new Set(["cell-qa-de-1a"]),
  master_password: "m",
};

describe("vcenter conventions", () => {
  it("maps production clusters to bbN without leading zeros", () => {
    assert.equal(clusterShortName("productionbb091"), "bb91");
    assert.equal(clusterShortName("productionbb1"), "bb1");
    assert.equal(clusterShortName("productionbb0010"), "bb10");
    assert.equal(clusterShortName("productionbb0"), undefined);
    assert.equal(clusterShortName("productionbb"), undefined);
    assert.equal(clusterShortName("storagebb1"), undefined);
    assert.equal(clusterShortName("productionbb1-test"), undefined);
  });

  it("builds the eph* datastore regex from the longest common prefix", () => {
    assert.equal(commonPrefix(["eph-bb91-01", "eph-bb91-02"]), "eph-bb91-0");
    assert.equal(datastoreRegex(["eph-bb91-01", "nfs", "eph-bb91-02"]), "^eph-bb91-0.*");
    assert.equal(datastoreRegex(["eph1"]), "^eph1.*");
    assert.equal(datastoreRegex(["nfs"]), undefined);
  });

  it("sets the hagroup regex only when both _hga and _hgb eph datastores exist", () => {
    assert.equal(datastoreHagroupRegex(["eph-1_hga", "eph-2_hgb"]), HAGROUP_REGEX);
    assert.equal(datastoreHagroupRegex(["eph-1_hga", "eph-2_hga"]), undefined);
    assert.equal(datastoreHagroupRegex(["eph-1_hga", "nfs_hgb"]), undefined);
  });

  it("takes bridge and physical from the first br-* network, lowercased", () => {
    assert.deepEqual(bridgeOf(["x", "br-Fabric1", "br-b"]), { bridge: "br-fabric1", physical: "fabric1" });
    assert.equal(bridgeOf(["dvs"]), undefined);
  });

  it("produces one cluster context per production cluster: globals + vCenter + cluster options", () => {
    const ctxs = clusterContexts(inv, globals, vc);
    assert.equal(ctxs.length, 3);
    assert.deepEqual(ctxs[0], {
      region: "qa-de-1",
      domain: "cc.qa-de-1.cloud.sap",
      cells: ["cell-qa-de-1a"],
      master_password: "m",
      username: "svc",
      password: "pw",
      host: "vc-a-0.cc.qa-de-1.cloud.sap",
      name: "bb91",
      cluster_name: "productionbb091",
      availability_zone: "qa-de-1a",
      nsx_t_enabled: true,
      vcenter_name: "vc-a-0",
      datastore_regex: "^eph-bb91-0.*",
      datastore_hagroup_regex: HAGROUP_REGEX,
      bridge: "br-fabric1",
      physical: "fabric1",
    });
    assert.equal(ctxs[1].name, "bb1");
    assert.equal(ctxs[1].datastore_regex, "^eph-bb1-0.*");
    assert.ok(!("datastore_hagroup_regex" in ctxs[1]) && !("bridge" in ctxs[1]));
    assert.equal(ctxs[2].availability_zone, "qa-de-1c");
    assert.ok(!("datastore_regex" in ctxs[2]));
  });

  it("skips the datastore regexes when PBM is enabled (boolean or string)", () => {
    for (const pbm of [true, "true"]) {
      const c = clusterContexts(inv, { ...globals, pbm_enabled: pbm }, vc)[0];
      assert.ok(!("datastore_regex" in c) && !("datastore_hagroup_regex" in c));
    }
  });

  it("produces one datacenter context per AZ with production clusters; name stays the vCenter's", () => {
    assert.deepEqual(availabilityZones(inv), ["qa-de-1a", "qa-de-1c"]);
    const ctxs = datacenterContexts(inv, globals, vc);
    assert.deepEqual(
      ctxs.map((c) => [c.name, c.availability_zone, c.vcenter_name, c.host]),
      [
        ["vc-a-0", "qa-de-1a", "vc-a-0", inv.vcenter.host],
        ["vc-a-0", "qa-de-1c", "vc-a-0", inv.vcenter.host],
      ],
    );
    assert.ok(!("cluster_name" in ctxs[0]));
  });

  it("merges two datacenters that lowercase to the same AZ", () => {
    const two: Inventory = { ...inv, datacenters: [inv.datacenters[0], { ...inv.datacenters[0], name: "qa-de-1a" }] };
    assert.deepEqual(availabilityZones(two), ["qa-de-1a"]);
  });

  it("refuses vCenter options of another vCenter", () => {
    assert.throws(() => clusterContexts(inv, globals, { ...vc, host: "vc-b-0.x" }), /inventory is of vc-a-0/);
  });
});
