// Inventory collection against vcsim loaded (with govc) with a sapcc-shaped inventory: the contexts the
// conventions derive from it, and the number of SOAP round trips one collection costs.
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { VimClient } from "../../sdk/vsphere/client";
import { collectInventory } from "../../sdk/vcenter/inventory";
import { clusterContexts, datacenterContexts, HAGROUP_REGEX } from "../../sdk/vcenter/conventions";
import { buildInventory, EMPTY_VCSIM } from "../fixtures/vcenter/inventory";

const HOST = "vc-a-0.cc.qa-de-1.cloud.sap";

describe("vcenter inventory against vcsim (integration)", function () {
  this.timeout(120_000);
  let sim: Vcsim;
  let client: VimClient;

  before(async () => {
    sim = await startVcsim({ args: EMPTY_VCSIM });
    await buildInventory(sim);
    client = await VimClient.connect({ url: sim.url, username: sim.username, password: sim.password, ca: sim.ca });
  });
  after(async () => {
    await client?.logout().catch(() => undefined);
    await sim?.stop();
  });

  it("reads datacenters, clusters, datastore and network names in 3 round trips", async () => {
    const before = client.roundTrips;
    const inv = await collectInventory(client, HOST);
    assert.equal(client.roundTrips - before, 3, "CreateContainerView + RetrievePropertiesEx + DestroyView");
    assert.deepEqual(inv.vcenter, { name: "vc-a-0", host: HOST });
    assert.deepEqual(
      inv.datacenters.map((d) => [d.name, d.clusters.map((c) => c.name)]),
      [
        ["QA-DE-1a", ["productionbb001", "storage01"]],
        ["qa-de-1b", ["productionbb091"]],
      ],
    );
    const bb1 = inv.datacenters[0].clusters[0];
    assert.deepEqual([...bb1.datastores].sort(), ["eph001_hga", "eph001_hgb", "nfs-shared"]);
    assert.ok(bb1.networks.indexOf("vm-data") < bb1.networks.indexOf("br-Physnet-A"), "networks keep vSphere's order");
    assert.ok(bb1.networks.indexOf("br-Physnet-A") < bb1.networks.indexOf("br-second"));
  });

  it("derives sapcc's cluster contexts: bbN, AZ through nested folders, datastore and HA-group regexes, bridge", async () => {
    const inv = await collectInventory(client, HOST);
    const vc = { username: "op", password: "pw", host: HOST, name: "vc-a-0" };
    const ctx = clusterContexts(inv, { domain: "cc.qa-de-1.cloud.sap" }, vc);
    // The storage cluster does not match productionbbN and renders nothing.
    assert.deepEqual(
      ctx.map((c) => c.name),
      ["bb1", "bb91"],
    );
    const [bb1, bb91] = ctx;
    assert.equal(bb1.cluster_name, "productionbb001");
    assert.equal(bb1.availability_zone, "qa-de-1a");
    assert.equal(bb1.datastore_regex, "^eph001_hg.*");
    assert.equal(bb1.datastore_hagroup_regex, HAGROUP_REGEX);
    assert.equal(bb1.bridge, "br-physnet-a");
    assert.equal(bb1.physical, "physnet-a");
    assert.equal(bb91.availability_zone, "qa-de-1b", "found through the nested host folder qa-de-1b/host/racks");
    assert.equal(bb91.datastore_regex, "^eph-bb91-0.*");
    assert.equal(bb91.datastore_hagroup_regex, undefined, "no _hga/_hgb pair");
    assert.equal(bb91.physical, "physnet-b");
    assert.equal(bb1.host, HOST);
    assert.equal(bb1.vcenter_name, "vc-a-0");

    const zones = datacenterContexts(inv, {}, vc);
    assert.deepEqual(
      zones.map((z) => [z.name, z.availability_zone]),
      [
        ["vc-a-0", "qa-de-1a"],
        ["vc-a-0", "qa-de-1b"],
      ],
    );
  });

  it("sees a cluster added out of band on the next collection", async () => {
    const { addCluster } = await import("../fixtures/vcenter/inventory");
    await addCluster(sim, {
      datacenter: "qa-de-1b",
      name: "productionbb092",
      datastores: ["eph-bb92-a"],
      portgroups: [],
    });
    const inv = await collectInventory(client, HOST);
    assert.deepEqual(
      inv.datacenters[1].clusters.map((c) => c.name),
      ["productionbb091", "productionbb092"],
    );
  });
});
