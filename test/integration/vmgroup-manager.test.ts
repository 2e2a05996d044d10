// VmGroupManager against vcsim: placement errors, templates without a pool, identity of the folder, and what
// destroy leaves alone. (The whole lifecycle under the pulumi engine is in test/engine/vmgroup.test.ts.)
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { VimClient } from "../../sdk/vsphere/client";
import { GroupSpec, VmGroupManager } from "../../sdk/vsphere/vmgroup/group";
import { govc, vmsInFolder } from "../helpers/govc";

describe("VmGroupManager (vcsim)", function () {
  this.timeout(120_000);
  let sim: Vcsim;
  let client: VimClient;
  const spec = (over: Partial<GroupSpec> = {}): GroupSpec => ({
    label: "t", datacenter: "DC0", template: "DC0_H0_VM0", folder: "mgr", replicas: 2, cpu: 1, memoryMB: 128,
    powerState: "on", maxConcurrency: 2, ...over,
  });

  before(async () => {
    sim = await startVcsim();
    client = await VimClient.connect({ url: sim.url, username: sim.username, password: sim.password, ca: sim.ca });
  });
  after(async () => {
    await client?.logout().catch(() => undefined);
    await sim?.stop();
  });

  it("says what was not found and where it looked, before creating anything", async () => {
    await assert.rejects(new VmGroupManager(client, spec({ template: "nope" })).resolvePlacement(), {
      message: 'VmGroup "t": template "nope" not found in datacenter "DC0" (looked in DC0/vm/**)',
    });
    await assert.rejects(new VmGroupManager(client, spec({ folder: "missing/web" })).resolvePlacement(), {
      message: 'VmGroup "t": parent folder "DC0/vm/missing" not found; create it or change `folder`',
    });
    await assert.rejects(new VmGroupManager(client, spec({ datacenter: "DC9" })).resolvePlacement(), /datacenter "DC9" not found/);
    await assert.rejects(new VmGroupManager(client, spec({ cluster: "nope" })).resolvePlacement(), /cluster "nope" not found \(looked for DC0\/host\/nope\)/);
    assert.deepEqual(await govc(sim, ["find", "/DC0/vm", "-name", "mgr*"]), "");
  });

  it("clones from a real template (no resource pool) into a cluster's pool", async () => {
    await govc(sim, ["vm.clone", "-vm", "/DC0/vm/DC0_H0_VM1", "-pool", "/DC0/host/DC0_H0/Resources", "-on=false", "golden"]);
    await govc(sim, ["vm.markastemplate", "/DC0/vm/golden"]);
    const group = new VmGroupManager(client, spec({ template: "golden", folder: "tpl", cluster: "DC0_C0" }));
    const placement = await group.resolvePlacement();
    const folder = await group.ensureFolder(placement.parentFolder);
    const vms = await group.reconcile(folder, placement);
    assert.deepEqual(vms.map((v) => [v.name, v.cpu, v.memoryMB, v.powerState]), [
      ["tpl-0", 1, 128, "poweredOn"],
      ["tpl-1", 1, 128, "poweredOn"],
    ]);
    const pool = (await govc(sim, ["object.collect", "-s", "/DC0/vm/tpl/tpl-0", "resourcePool"])).trim();
    const clusterPool = (await govc(sim, ["object.collect", "-s", "/DC0/host/DC0_C0", "resourcePool"])).trim();
    assert.equal(pool, clusterPool);
    await group.destroy(folder);
  });

  it("without cluster or pool, clones a template into the pool of the host it is registered on", async () => {
    // Registered on a cluster host; the datacenter's first compute resource is the standalone DC0_H0.
    await govc(sim, ["vm.clone", "-vm", "/DC0/vm/DC0_H0_VM1", "-pool", "/DC0/host/DC0_C0/Resources", "-host", "/DC0/host/DC0_C0/DC0_C0_H1", "-on=false", "golden-c"]);
    await govc(sim, ["vm.markastemplate", "/DC0/vm/golden-c"]);
    const placement = await new VmGroupManager(client, spec({ template: "golden-c", folder: "tplhost" })).resolvePlacement();
    const clusterPool = (await govc(sim, ["object.collect", "-s", "/DC0/host/DC0_C0", "resourcePool"])).trim();
    assert.equal(`${placement.pool.type}:${placement.pool.value}`, clusterPool);
  });

  it("names a host only when the cluster has DRS off (vCenter refuses a clone without one there)", async () => {
    const group = new VmGroupManager(client, spec({ cluster: "DC0_C0", folder: "nodrs", replicas: 1 }));
    assert.equal((await group.resolvePlacement()).host, undefined, "DRS on: DRS places the clone");
    await govc(sim, ["cluster.change", "-drs-enabled=false", "/DC0/host/DC0_C0"]);
    try {
      const placement = await group.resolvePlacement();
      assert.equal(placement.host?.type, "HostSystem");
      const clusterHosts = await govc(sim, ["object.collect", "-s", "/DC0/host/DC0_C0", "host"]);
      assert.ok(clusterHosts.includes(placement.host!.value), `${placement.host!.value} is not in ${clusterHosts}`);
      const folder = await group.ensureFolder(placement.parentFolder);
      const [vm] = await group.reconcile(folder, placement);
      const [o] = await client.retrieveProperties({ propSet: [{ type: "VirtualMachine", pathSet: ["runtime.host"] }], objectSet: [{ obj: { type: "VirtualMachine", value: vm.moref } }] });
      assert.deepEqual(o.props["runtime.host"], placement.host);
      await group.destroy(folder);
    } finally {
      await govc(sim, ["cluster.change", "-drs-enabled=true", "/DC0/host/DC0_C0"]);
    }
  });

  it("leaves a template that fits the naming out of the group and says why it cannot create that VM", async () => {
    const group = new VmGroupManager(client, spec({ folder: "withtpl", replicas: 1 }));
    const placement = await group.resolvePlacement();
    const folder = await group.ensureFolder(placement.parentFolder);
    await govc(sim, ["vm.clone", "-vm", "/DC0/vm/DC0_H0_VM1", "-pool", "/DC0/host/DC0_H0/Resources", "-folder", "/DC0/vm/withtpl", "-on=false", "withtpl-0"]);
    await govc(sim, ["vm.markastemplate", "/DC0/vm/withtpl/withtpl-0"]);
    assert.deepEqual(await group.read(folder), { vms: [], foreign: ["withtpl-0"] });
    await assert.rejects(group.reconcile(folder, placement), /withtpl-0.*template, not a group VM/);
    await assert.rejects(group.destroy(folder), /did not create \(withtpl-0\)/);
  });

  it("finds and reads back a folder whose name vCenter stores escaped (% and \\ in it)", async () => {
    // vcsim cannot clone VMs whose names hold "%" (InvalidDeviceSpec on the disk path), so the group is empty here.
    const group = new VmGroupManager(client, spec({ folder: "50%\\off", replicas: 0 }));
    const placement = await group.resolvePlacement();
    const folder = await group.ensureFolder(placement.parentFolder);
    assert.equal((await govc(sim, ["object.collect", "-s", "/DC0/vm/50%25%5coff", "name"])).trim(), "50%25%5coff");
    assert.equal((await group.ensureFolder(placement.parentFolder)).value, folder.value, "found again by name");
    assert.deepEqual(await group.reconcile(folder, placement), []);
    assert.deepEqual(await group.read(folder), { vms: [], foreign: [] });
    await group.destroy(folder);
    assert.equal(await group.read(folder), undefined);
  });

  it("does not take another folder that reuses the id for the group", async () => {
    const group = new VmGroupManager(client, spec({ folder: "one" }));
    const placement = await group.resolvePlacement();
    const folder = await group.ensureFolder(placement.parentFolder);
    assert.ok(await group.read(folder));
    assert.equal(await new VmGroupManager(client, spec({ folder: "other" })).read(folder), undefined);
    await group.destroy(folder);
    assert.equal(await group.read(folder), undefined, "a destroyed folder reads as gone");
  });

  it("destroy removes the group's VMs but leaves a VM it did not create, and says so", async () => {
    const group = new VmGroupManager(client, spec({ folder: "shared", replicas: 1 }));
    const placement = await group.resolvePlacement();
    const folder = await group.ensureFolder(placement.parentFolder);
    await group.reconcile(folder, placement);
    await govc(sim, ["vm.clone", "-vm", "/DC0/vm/DC0_H0_VM1", "-pool", "/DC0/host/DC0_H0/Resources", "-folder", "/DC0/vm/shared", "-on=false", "keep-me"]);
    await assert.rejects(group.destroy(folder), /also holds objects this group did not create \(keep-me\)/);
    assert.deepEqual((await vmsInFolder(sim, "/DC0/vm/shared")).map((v) => v.name), ["keep-me"]);
  });
});
