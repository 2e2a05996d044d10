// VmGroupManager against vcsim: placement errors, templates without a pool, ownership (markers, adopt, hand-made
// VMs in the folder, renames and moves outside Pulumi) and graceful power changes. (The whole lifecycle under the
// pulumi engine is in test/engine/vmgroup.test.ts.)
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { VimClient } from "../../sdk/vsphere/client";
import type { MoRef } from "../../sdk/vsphere/types";
import { VmGroupManager } from "../../sdk/vsphere/vmgroup/manager";
import type { GroupSpec, ObservedVm } from "../../sdk/vsphere/vmgroup/model";
import { GroupRecord, OWNER_KEY } from "../../sdk/vsphere/vmgroup/ownership";
import { govc, inventory, vmsInFolder } from "../helpers/govc";

const OWNER = "urn:pulumi:test::vmgroup::pulumi-nodejs:dynamic/vmware:VmGroup::t";
const recordOf = (created: { folderCreated: boolean; vms: ObservedVm[] }, owner = OWNER): GroupRecord => ({
  owner,
  folderCreated: created.folderCreated,
  vms: created.vms.map((v) => ({ index: v.index, instanceUuid: v.instanceUuid })),
});

/** Records every call made through the client, by method name. */
function spy(client: VimClient): string[] {
  const calls: string[] = [];
  for (const m of [
    "shutdownGuest",
    "powerOffVM",
    "powerOnVM",
    "reconfigVM",
    "destroy",
    "cloneVM",
    "createFolder",
    "setCustomField",
  ] as const) {
    const original = (client as any)[m].bind(client);
    (client as any)[m] = (ref: MoRef, ...rest: unknown[]) => {
      calls.push(`${m} ${ref.value}`);
      return original(ref, ...rest);
    };
  }
  return calls;
}

const hardPowerOffs = (calls: string[]) => calls.filter((c) => c.startsWith("powerOffVM"));

describe("VmGroupManager (vcsim)", function () {
  this.timeout(120_000);
  let sim: Vcsim;
  let client: VimClient;
  const spec = (over: Partial<GroupSpec> = {}): GroupSpec => ({
    label: "t",
    datacenter: "DC0",
    template: "DC0_H0_VM0",
    folder: "mgr",
    replicas: 2,
    cpu: 1,
    memoryMB: 128,
    powerState: "on",
    maxConcurrency: 2,
    owner: OWNER,
    shutdownTimeoutSeconds: 30,
    ...over,
  });
  const handMade = async (name: string, folder: string, on = true) =>
    govc(sim, [
      "vm.clone",
      "-vm",
      "/DC0/vm/DC0_H0_VM1",
      "-pool",
      "/DC0/host/DC0_H0/Resources",
      "-folder",
      folder,
      `-on=${on}`,
      name,
    ]);
  const createGroup = async (over: Partial<GroupSpec> = {}) => {
    const group = new VmGroupManager(client, spec(over));
    const created = await group.create(await group.resolvePlacement());
    return { group, created, record: recordOf(created, over.owner) };
  };
  const extraConfig = async (path: string) => govc(sim, ["vm.info", "-e", path]);

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
    await assert.rejects(
      new VmGroupManager(client, spec({ datacenter: "DC9" })).resolvePlacement(),
      /datacenter "DC9" not found/,
    );
    await assert.rejects(
      new VmGroupManager(client, spec({ cluster: "nope" })).resolvePlacement(),
      /cluster "nope" not found \(looked for DC0\/host\/nope\)/,
    );
    assert.deepEqual(await govc(sim, ["find", "/DC0/vm", "-name", "mgr*"]), "");
  });

  it("marks what it creates: the owner in each VM's extraConfig and in the folder's custom attribute", async () => {
    const { group, created, record } = await createGroup({ folder: "marked" });
    assert.equal(created.folderCreated, true);
    for (const vm of ["marked-0", "marked-1"])
      assert.match(
        await extraConfig(`/DC0/vm/marked/${vm}`),
        new RegExp(`${OWNER_KEY}:\\s*${OWNER.replace(/[$]/g, "\\$&")}`),
      );
    const fields = await govc(sim, ["fields.info", "/DC0/vm/marked"]);
    assert.match(fields, new RegExp(`${OWNER_KEY}.*${OWNER.replace(/[$]/g, "\\$&")}`));
    await group.destroy(created.folder, record);
    assert.equal(await govc(sim, ["find", "/DC0/vm", "-name", "marked*"]), "");
  });

  it("clones from a real template (no resource pool) into a cluster's pool", async () => {
    await govc(sim, [
      "vm.clone",
      "-vm",
      "/DC0/vm/DC0_H0_VM1",
      "-pool",
      "/DC0/host/DC0_H0/Resources",
      "-on=false",
      "golden",
    ]);
    await govc(sim, ["vm.markastemplate", "/DC0/vm/golden"]);
    const { group, created, record } = await createGroup({ template: "golden", folder: "tpl", cluster: "DC0_C0" });
    assert.deepEqual(
      created.vms.map((v) => [v.name, v.cpu, v.memoryMB, v.powerState]),
      [
        ["tpl-0", 1, 128, "poweredOn"],
        ["tpl-1", 1, 128, "poweredOn"],
      ],
    );
    const pool = (await govc(sim, ["object.collect", "-s", "/DC0/vm/tpl/tpl-0", "resourcePool"])).trim();
    const clusterPool = (await govc(sim, ["object.collect", "-s", "/DC0/host/DC0_C0", "resourcePool"])).trim();
    assert.equal(pool, clusterPool);
    await group.destroy(created.folder, record);
  });

  it("without cluster or pool, clones a template into the pool of the host it is registered on", async () => {
    // Registered on a cluster host; the datacenter's first compute resource is the standalone DC0_H0.
    await govc(sim, [
      "vm.clone",
      "-vm",
      "/DC0/vm/DC0_H0_VM1",
      "-pool",
      "/DC0/host/DC0_C0/Resources",
      "-host",
      "/DC0/host/DC0_C0/DC0_C0_H1",
      "-on=false",
      "golden-c",
    ]);
    await govc(sim, ["vm.markastemplate", "/DC0/vm/golden-c"]);
    const placement = await new VmGroupManager(
      client,
      spec({ template: "golden-c", folder: "tplhost" }),
    ).resolvePlacement();
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
      const created = await group.create(placement);
      const [o] = await client.retrieveProperties({
        propSet: [{ type: "VirtualMachine", pathSet: ["runtime.host"] }],
        objectSet: [{ obj: { type: "VirtualMachine", value: created.vms[0].moref } }],
      });
      assert.deepEqual(o.props["runtime.host"], placement.host);
      await group.destroy(created.folder, recordOf(created));
    } finally {
      await govc(sim, ["cluster.change", "-drs-enabled=true", "/DC0/host/DC0_C0"]);
    }
  });

  it("the issue's case: a hand-made folder web with web-0 and web-7 is refused, and left exactly as it was", async () => {
    await govc(sim, ["folder.create", "/DC0/vm/web"]);
    await handMade("web-0", "/DC0/vm/web");
    await handMade("web-7", "/DC0/vm/web");
    const before = await inventory(sim);
    const group = new VmGroupManager(client, spec({ folder: "web", replicas: 1 }));
    await assert.rejects(group.create(await group.resolvePlacement()), {
      message:
        'VmGroup "t": folder DC0/vm/web already exists and was not created by this group (it carries no ownership marker); it holds "web-0", "web-7". ' +
        "Set adopt: true to use it (preview --diff then lists every change adoption makes), or choose another folder",
    });
    assert.deepEqual(await inventory(sim), before);
    assert.deepEqual(
      (await vmsInFolder(sim, "/DC0/vm/web")).map((v) => [v.name, v.powerState]),
      [
        ["web-0", "poweredOn"],
        ["web-7", "poweredOn"],
      ],
    );
  });

  it("with adopt, takes over web-0 only (cpu changed as declared), keeps web-7, and destroy keeps web-7 and the folder", async () => {
    const group = new VmGroupManager(client, spec({ folder: "web", replicas: 2, cpu: 2, adopt: true }));
    const placement = await group.resolvePlacement();
    const { plan } = await group.survey(placement);
    const web0 = (await govc(sim, ["find", "-i", "/DC0/vm/web", "-name", "web-0"])).trim().split(":")[1];
    assert.deepEqual(plan.lines, [
      "folder DC0/vm/web: exists; use it as is (the group never removes it)",
      `web-0 (${web0}): adopt (mark as this group's); cpu 1 => 2, memoryMB 32 => 128 (guest shutdown, reconfigure, power on)`,
      "clone web-1",
      "keep as is (not declared, never touched): web-7",
    ]);
    // What preview showed must still hold at create.
    await assert.rejects(
      group.create(placement, { plannedLines: ["folder DC0/vm/web: create"] }),
      /changed since the plan was made; run preview again/,
    );
    const created = await group.create(placement, { plannedLines: plan.lines });
    assert.equal(created.folderCreated, false);
    assert.deepEqual(
      created.vms.map((v) => [v.name, v.cpu, v.powerState]),
      [
        ["web-0", 2, "poweredOn"],
        ["web-1", 2, "poweredOn"],
      ],
    );
    assert.match(await extraConfig("/DC0/vm/web/web-0"), new RegExp(OWNER_KEY));
    assert.doesNotMatch(await extraConfig("/DC0/vm/web/web-7"), new RegExp(OWNER_KEY), "web-7 is not marked");

    const kept = await group.destroy(created.folder, recordOf(created));
    assert.match(kept.folderKept!, /adopted/);
    assert.deepEqual(
      (await vmsInFolder(sim, "/DC0/vm/web")).map((v) => [v.name, v.cpu, v.powerState]),
      [["web-7", 1, "poweredOn"]],
    );
  });

  it("two groups naming the same folder: the second is refused and the first's VMs are never touched", async () => {
    const a = await createGroup({ folder: "shared", replicas: 1 });
    const other = "urn:pulumi:other::vmgroup::pulumi-nodejs:dynamic/vmware:VmGroup::t";
    const b = new VmGroupManager(client, spec({ folder: "shared", replicas: 1, owner: other }));
    await assert.rejects(
      b.create(await b.resolvePlacement()),
      /folder DC0\/vm\/shared already exists .*its marker names urn:pulumi:test::vmgroup::/,
    );
    const bAdopt = new VmGroupManager(client, spec({ folder: "shared", replicas: 1, owner: other, adopt: true }));
    await assert.rejects(
      bAdopt.create(await bAdopt.resolvePlacement()),
      /VM "shared-0" in DC0\/vm\/shared belongs to another group/,
    );
    // A group whose record does not hold shared-0 (another stack's state) destroys nothing of it.
    await new VmGroupManager(client, spec({ folder: "shared", owner: other })).destroy(a.created.folder, {
      owner: other,
      folderCreated: false,
      vms: [],
    });
    assert.deepEqual(
      (await vmsInFolder(sim, "/DC0/vm/shared")).map((v) => v.name),
      ["shared-0"],
    );
    await a.group.destroy(a.created.folder, a.record);
  });

  it("scale-down removes only its own VMs; a hand-made VM named like a group VM stays", async () => {
    const { created, record } = await createGroup({ folder: "scale", replicas: 2 });
    await handMade("scale-5", "/DC0/vm/scale");
    const calls = spy(client);
    const vms = await new VmGroupManager(client, spec({ folder: "scale", replicas: 1 })).reconcile(
      created.folder,
      record,
      async () => assert.fail("no clone"),
    );
    assert.deepEqual(
      vms.map((v) => v.name),
      ["scale-0"],
    );
    assert.deepEqual(
      (await vmsInFolder(sim, "/DC0/vm/scale")).map((v) => v.name),
      ["scale-0", "scale-5"],
    );
    assert.deepEqual(hardPowerOffs(calls), [], "scale-1 was shut down through the guest, not powered off hard");
    assert.ok(calls.some((c) => c.startsWith("shutdownGuest")));
  });

  it("reports a VM renamed or moved outside Pulumi and a renamed folder, instead of recreating or forgetting them", async () => {
    const { group, created, record } = await createGroup({ folder: "drift", replicas: 3 });
    await govc(sim, ["object.rename", "/DC0/vm/drift/drift-1", "db-1"]);
    await govc(sim, ["folder.create", "/DC0/vm/elsewhere"]);
    await govc(sim, ["object.mv", "/DC0/vm/drift/drift-2", "/DC0/vm/elsewhere"]);
    await govc(sim, ["object.rename", "/DC0/vm/drift", "drift-renamed"]);
    const view = (await group.read(created.folder, record))!;
    assert.ok(view, "a renamed folder is not reported as deleted");
    assert.equal(view.folderName, "drift-renamed");
    assert.deepEqual(
      view.own.map((v) => [v.index, v.name, v.movedTo]),
      [
        [0, "drift-0", undefined],
        [1, "db-1", undefined],
        [2, "drift-2", "elsewhere"],
      ],
    );
    // Nothing is recreated: each index is still held by its VM.
    const calls = spy(client);
    await group.reconcile(created.folder, record, async () => assert.fail("no clone"));
    assert.deepEqual(calls, []);
    // Removing the marker lets a VM go: it is reported as released and kept.
    await govc(sim, ["vm.change", "-vm", "/DC0/vm/elsewhere/drift-2", "-e", `${OWNER_KEY}=`]);
    const after = (await group.read(created.folder, record))!;
    assert.deepEqual(
      after.released.map((r) => [r.index, r.name]),
      [[2, "drift-2"]],
    );
    await group.destroy(created.folder, record);
    assert.deepEqual(
      (await vmsInFolder(sim, "/DC0/vm/elsewhere")).map((v) => v.name),
      ["drift-2"],
      "released: kept",
    );
    assert.equal(await govc(sim, ["find", "/DC0/vm", "-name", "db-1"]), "", "renamed but the group's: destroyed");
  });

  it("a scale-up into a name held by a hand-made VM is refused before anything changes; the VM is untouched", async () => {
    const { created, record } = await createGroup({ folder: "held", replicas: 1 });
    await handMade("held-1", "/DC0/vm/held");
    const calls = spy(client);
    const group = new VmGroupManager(client, spec({ folder: "held", replicas: 3 }));
    await assert.rejects(
      group.reconcile(created.folder, record, async () => assert.fail("no placement")),
      {
        message: /VMs "held-1" in folder held exist and are not this group's.*nothing was changed/,
      },
    );
    assert.deepEqual(calls, [], "no clone of held-2 either");
    assert.deepEqual(
      (await vmsInFolder(sim, "/DC0/vm/held")).map((v) => [v.name, v.powerState]),
      [
        ["held-0", "poweredOn"],
        ["held-1", "poweredOn"],
      ],
    );
    await group.destroy(created.folder, record);
    assert.deepEqual(
      (await vmsInFolder(sim, "/DC0/vm/held")).map((v) => v.name),
      ["held-1"],
      "destroy leaves the hand-made VM",
    );
  });

  it("a cpu change that needs a power cycle shuts the guests down (vcsim obeys ShutdownGuest without Tools) one at a time", async () => {
    const { created, record } = await createGroup({ folder: "cycle", replicas: 3 });
    assert.equal(
      (await govc(sim, ["object.collect", "-s", "/DC0/vm/cycle/cycle-0", "guest.toolsRunningStatus"])).trim(),
      "guestToolsNotRunning",
    );
    const calls = spy(client);
    const group = new VmGroupManager(client, spec({ folder: "cycle", replicas: 3, cpu: 2, maxConcurrency: 3 }));
    const vms = await group.reconcile(created.folder, record, async () => assert.fail("no clone"));
    assert.deepEqual(
      vms.map((v) => [v.cpu, v.powerState]),
      [
        [2, "poweredOn"],
        [2, "poweredOn"],
        [2, "poweredOn"],
      ],
    );
    assert.equal(calls.filter((c) => c.startsWith("shutdownGuest")).length, 3);
    assert.deepEqual(hardPowerOffs(calls), []);
    // Rolled: each VM is back on before the next goes down (the calls interleave shutdown, reconfigure, power on).
    const kinds = calls.map((c) => c.split(" ")[0]);
    assert.deepEqual(kinds, Array(3).fill(["shutdownGuest", "reconfigVM", "powerOnVM"]).flat());
    await group.destroy(created.folder, record);
  });
});

describe("VmGroupManager (vcsim whose guests ignore ShutdownGuest)", function () {
  this.timeout(120_000);
  let sim: Vcsim;
  let client: VimClient;

  before(async () => {
    // vcsim powers the VM off in an internal task that has the method's name, so one delay holds both the call
    // and, after it returns, the power-off: for 8 s the guest "ignores" the shutdown. LockHandoff:0 keeps the VM
    // readable and powerable while that task waits (it would hold the VM's lock otherwise).
    sim = await startVcsim({ methodDelay: { ShutdownGuest: 8000, LockHandoff: 0 } });
    client = await VimClient.connect({ url: sim.url, username: sim.username, password: sim.password, ca: sim.ca });
  });
  after(async () => {
    await client?.logout().catch(() => undefined);
    await sim?.stop();
  });

  it("powers off hard after shutdownTimeoutSeconds and says so", async () => {
    const spec: GroupSpec = {
      label: "t",
      datacenter: "DC0",
      template: "DC0_H0_VM0",
      folder: "stuck",
      replicas: 1,
      cpu: 1,
      memoryMB: 128,
      powerState: "on",
      maxConcurrency: 1,
      owner: OWNER,
      shutdownTimeoutSeconds: 1,
    };
    const group = new VmGroupManager(client, spec);
    const created = await group.create(await group.resolvePlacement());
    const calls = spy(client);
    const resized = new VmGroupManager(client, { ...spec, cpu: 2 });
    const [vm] = await resized.reconcile(created.folder, recordOf(created), async () => assert.fail("no clone"));
    assert.deepEqual([vm.cpu, vm.powerState], [2, "poweredOn"]);
    assert.deepEqual(
      calls.map((c) => c.split(" ")[0]),
      ["shutdownGuest", "powerOffVM", "reconfigVM", "powerOnVM"],
    );
    assert.deepEqual(resized.notes, ["stuck-0: guest did not shut down within 1 s, powered off"]);
  });
});
