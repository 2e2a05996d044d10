// The VmGroup provider's handlers against vcsim: what the state records after a failed update, what refresh
// reports for drift, and what check() plans for adopt. Every assertion about vCenter is checked with govc.
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { PartialStateError } from "../../providers/common/errors";
import * as h from "../../providers/vmgroup/handlers";
import { govc, vmsInFolder } from "../helpers/govc";

describe("VmGroup provider (handlers against vcsim)", function () {
  this.timeout(120_000);
  let sim: Vcsim;

  const props = (over: Record<string, unknown> = {}): any => ({
    connection: { url: sim.url, username: sim.username, password: sim.password, ca: sim.ca },
    datacenter: "DC0",
    template: "DC0_H0_VM0",
    folder: "prov",
    replicas: 2,
    cpu: 1,
    memoryMB: 128,
    resourceName: "prov",
    owner: "urn:pulumi:test::p::pulumi-nodejs:dynamic/vmware:VmGroup::prov",
    shutdownTimeoutSeconds: 5,
    ...over,
  });
  const checked = async (p: any, olds: any = {}) => {
    const r = await h.check(olds, p);
    assert.deepEqual(r.failures, []);
    return r.inputs as any;
  };

  before(async () => {
    sim = await startVcsim();
  });
  after(async () => {
    await sim?.stop();
  });

  it("an update that fails part way records the VMs that exist, not an empty group", async () => {
    const inputs = await checked(props({ folder: "partial" }));
    const created = await h.create(inputs);
    assert.equal(created.outs.vms.length, 2);
    // Scaling up needs placement; a datastore that does not exist fails it after nothing was changed.
    const news = await checked(props({ folder: "partial", replicas: 4, datastore: "nope" }), inputs);
    const err = await h.update(created.id, created.outs, news).then(
      () => assert.fail("should fail"),
      (e) => e,
    );
    assert.ok(err instanceof PartialStateError, String(err));
    assert.match(err.message, /datastore "nope" not found/);
    assert.equal(err.properties.currentReplicas, 2);
    assert.deepEqual(
      err.properties.vms.map((v: { name: string }) => v.name),
      ["partial-0", "partial-1"],
    );
    assert.equal(err.properties.phase, "ERROR");
    assert.equal((await vmsInFolder(sim, "/DC0/vm/partial")).length, 2);
    await h.remove(created.id, err.properties);
    assert.equal(
      await govc(sim, ["find", "/DC0/vm", "-name", "partial*"]),
      "",
      "destroy removes what the state recorded",
    );
  });

  it("refresh after one VM of four is powered off reports that VM, not the group as off; up powers it back on", async () => {
    const inputs = await checked(props({ folder: "four", replicas: 4 }));
    const created = await h.create(inputs);
    await govc(sim, ["vm.power", "-off", "-force", "/DC0/vm/four/four-2"]);
    const read = await h.read(created.id, created.outs);
    assert.equal(read.inputs!.powerState, "on", "the group's declared power state is unchanged");
    assert.equal(read.inputs!.replicas, 4);
    assert.deepEqual(read.props!.drift, { vms: { "four-2": { powerState: "poweredOff" } } });
    assert.deepEqual(read.inputs!.drift, read.props!.drift, "in the inputs too, so preview --diff shows it");
    assert.match(read.props!.lastMessage, /four-2: powerState poweredOff \(declared on\)/);
    assert.equal(read.props!.phase, "PENDING");
    const d = await h.diff(created.id, read.props, inputs);
    assert.equal(d.changes, true);
    const updated = await h.update(created.id, read.props, inputs);
    assert.deepEqual(updated.outs.drift, {});
    assert.deepEqual(
      (await vmsInFolder(sim, "/DC0/vm/four")).map((v) => v.powerState),
      Array(4).fill("poweredOn"),
    );
    await h.remove(created.id, updated.outs);
  });

  it("refresh reports a folder renamed outside Pulumi as renamed, not deleted", async () => {
    const inputs = await checked(props({ folder: "ren", replicas: 1 }));
    const created = await h.create(inputs);
    await govc(sim, ["object.rename", "/DC0/vm/ren", "ren-old"]);
    const read = await h.read(created.id, created.outs);
    assert.equal(read.id, created.id);
    assert.deepEqual(read.props!.drift, { folder: { renamedTo: "ren-old" } });
    assert.match(read.props!.lastMessage, /folder renamed outside Pulumi to "ren-old"/);
    assert.equal(
      (await h.diff(created.id, read.props, inputs)).changes,
      false,
      "reported only: up renames nothing back",
    );
    await h.remove(created.id, read.props);
    assert.equal(await govc(sim, ["find", "/DC0/vm", "-name", "ren*"]), "");
  });

  it("check() with adopt reads what exists and plans every change; it refuses a VM of another group", async () => {
    await govc(sim, ["folder.create", "/DC0/vm/old"]);
    await govc(sim, [
      "vm.clone",
      "-vm",
      "/DC0/vm/DC0_H0_VM1",
      "-pool",
      "/DC0/host/DC0_H0/Resources",
      "-folder",
      "/DC0/vm/old",
      "-on=false",
      "old-0",
    ]);
    const plan = await checked(props({ folder: "old", replicas: 2, adopt: true }));
    assert.equal(plan.powerState, undefined, "not declared: kept");
    assert.deepEqual(
      plan.plannedAdoption.map((l: string) => l.replace(/vm-\d+/, "vm-N")),
      [
        "folder DC0/vm/old: exists; use it as is (the group never removes it)",
        "old-0 (vm-N): adopt (mark as this group's); memoryMB 32 => 128",
        "clone old-1",
      ],
    );
    const created = await h.create(plan);
    assert.deepEqual(
      created.outs.vms.map((v: any) => [v.name, v.memoryMB, v.powerState]),
      [
        ["old-0", 128, "poweredOff"],
        ["old-1", 128, "poweredOn"],
      ],
    );
    assert.equal(created.outs.folderCreated, false);
    const other = await h.check(
      {} as any,
      props({ folder: "old", replicas: 1, adopt: true, owner: "urn:pulumi:other::p::t::x" }),
    );
    assert.equal(other.failures![0].property, "adopt");
    assert.match(other.failures![0].reason, /VM "old-0" in DC0\/vm\/old belongs to another group/);
    await h.remove(created.id, created.outs);
    assert.equal(
      (await govc(sim, ["find", "/DC0/vm", "-name", "old"])).trim(),
      "/DC0/vm/old",
      "the adopted folder stays",
    );
  });
});
