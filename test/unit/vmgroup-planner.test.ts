import { strict as assert } from "assert";
import { claimRecorded, CreateSurvey, planCreate } from "../../sdk/vsphere/vmgroup/ownership";
import { describeDrift, fixableDrift, vmDrift } from "../../sdk/vsphere/vmgroup/drift";
import type { ObservedVm } from "../../sdk/vsphere/vmgroup/model";
import { vmIndex } from "../../sdk/vsphere/vmgroup/names";
import { afterClone, planGroup, planRemoval, reconfigureFor, summarize } from "../../sdk/vsphere/vmgroup/planner";
import { diffGroup } from "../../providers/vmgroup/diff";

const vm = (index: number, over: Partial<ObservedVm> = {}): ObservedVm => ({
  name: `web-${index}`,
  moref: `vm-${100 + index}`,
  index,
  powerState: "poweredOn",
  cpu: 2,
  memoryMB: 1024,
  instanceUuid: `uuid-${index}`,
  cpuHotAddEnabled: false,
  cpuHotRemoveEnabled: false,
  memoryHotAddEnabled: false,
  ...over,
});
const desired = { prefix: "web", replicas: 3, cpu: 2, memoryMB: 1024, powerState: "on" as const };

describe("VmGroup planner", () => {
  it("names VMs <group>-<index> and recognises only its own names", () => {
    assert.equal(vmIndex("web", "web-12"), 12);
    assert.equal(vmIndex("web", "web-012"), undefined);
    assert.equal(vmIndex("web", "webby-1"), undefined);
    assert.equal(vmIndex("web", "web-1-old"), undefined);
  });

  it("creates every replica of an empty group, lowest index first", () => {
    const plan = planGroup(desired, []);
    assert.deepEqual(plan.create, [0, 1, 2]);
    assert.deepEqual(plan.remove, []);
  });

  it("fills a gap left by a VM deleted out of band", () => {
    const plan = planGroup(desired, [vm(0), vm(2)]);
    assert.deepEqual(plan.create, [1]);
    assert.equal(plan.converge.length, 0);
  });

  it("scales down highest index first", () => {
    const plan = planGroup({ ...desired, replicas: 2 }, [vm(0), vm(1), vm(2), vm(3), vm(4)]);
    assert.deepEqual(
      plan.remove.map((v) => v.index),
      [4, 3, 2],
    );
    assert.deepEqual(plan.create, []);
  });

  it("power-cycles a running VM for a cpu change when hot add is off, but not when it is on", () => {
    assert.deepEqual(reconfigureFor(vm(0), 4, 1024), { numCPUs: 4, memoryMB: undefined, powerCycle: true });
    assert.deepEqual(reconfigureFor(vm(0, { cpuHotAddEnabled: true }), 4, 1024), {
      numCPUs: 4,
      memoryMB: undefined,
      powerCycle: false,
    });
    assert.equal(
      reconfigureFor(vm(0, { cpuHotAddEnabled: true }), 1, 1024)!.powerCycle,
      true,
      "removing a vCPU needs hot remove",
    );
  });

  it("always power-cycles to shrink memory of a running VM, never for a stopped one", () => {
    assert.equal(reconfigureFor(vm(0, { memoryHotAddEnabled: true }), 2, 512)!.powerCycle, true);
    assert.equal(reconfigureFor(vm(0, { memoryHotAddEnabled: true }), 2, 2048)!.powerCycle, false);
    assert.equal(reconfigureFor(vm(0, { powerState: "poweredOff" }), 2, 512)!.powerCycle, false);
  });

  it("grows memory hot only within hotPlugMemoryLimit and in whole hotPlugMemoryIncrementSize steps", () => {
    const hot = vm(0, { memoryHotAddEnabled: true, hotPlugMemoryLimitMB: 4096, hotPlugMemoryIncrementMB: 128 });
    assert.equal(reconfigureFor(hot, 2, 2048)!.powerCycle, false);
    assert.equal(reconfigureFor(hot, 2, 8192)!.powerCycle, true, "beyond the hot-plug limit");
    assert.equal(reconfigureFor(hot, 2, 1024 + 64)!.powerCycle, true, "not a whole increment");
  });

  it("power-cycles a suspended VM for any hardware change (vCenter reconfigures only powered-off ones)", () => {
    const suspended = vm(0, { powerState: "suspended", cpuHotAddEnabled: true, memoryHotAddEnabled: true });
    assert.equal(reconfigureFor(suspended, 4, 2048)!.powerCycle, true);
    const [on] = planGroup({ ...desired, replicas: 1, cpu: 4 }, [suspended]).converge;
    assert.equal(on.power, "on", "resumed as a fresh boot after the change");
    const [off] = planGroup({ ...desired, replicas: 1, cpu: 4, powerState: "off" }, [suspended]).converge;
    assert.equal(off.power, "off");
    assert.equal(
      planGroup({ ...desired, replicas: 1 }, [vm(0, { powerState: "suspended" })]).converge[0].power,
      "on",
      "resume",
    );
  });

  it("powers on a VM found off, and off every VM when the group should be off", () => {
    assert.equal(planGroup(desired, [vm(0), vm(1, { powerState: "poweredOff" }), vm(2)]).converge[0].power, "on");
    const off = planGroup({ ...desired, powerState: "off" }, [vm(0), vm(1), vm(2)]);
    assert.deepEqual(
      off.converge.map((s) => s.power),
      ["off", "off", "off"],
    );
  });

  it("summarises READY only when nothing is left to do", () => {
    assert.equal(summarize(desired, [vm(0), vm(1), vm(2)]).phase, "READY");
    const s = summarize(desired, [vm(0), vm(1, { cpu: 1 })]);
    assert.equal(s.phase, "PENDING");
    assert.match(s.message, /1\/3 VMs match the spec; 1 missing, 1 drifted, 0 extra/);
  });

  it("reports drift per VM: one VM of four powered off is that VM, not the group", () => {
    const spec = { cpu: 2, memoryMB: 1024, powerState: "on" as const };
    assert.deepEqual(vmDrift(vm(0), spec), {});
    assert.deepEqual(vmDrift(vm(2, { powerState: "poweredOff" }), spec), { powerState: "poweredOff" });
    assert.deepEqual(vmDrift(vm(1, { cpu: 3 }), spec), { cpu: 3 });
    assert.deepEqual(
      vmDrift(vm(1, { powerState: "poweredOff" }), { ...spec, powerState: undefined }),
      {},
      "power not declared: not drift",
    );
    const drift = { vms: { "web-2": { powerState: "poweredOff" as const } } };
    assert.equal(describeDrift(drift, spec), "web-2: powerState poweredOff (declared on)");
    assert.equal(fixableDrift(drift), true);
    assert.equal(
      fixableDrift({ vms: { "web-1": { renamedTo: "db" } }, folder: { renamedTo: "old" } }),
      false,
      "renames are only reported",
    );
    assert.deepEqual(diffGroup({ replicas: 4, drift }, { replicas: 4 }).updates, ["drift"], "up puts the VM back on");
  });

  it("keeps each VM's power state when powerState is not declared (adopt), and brings a cycled VM back on", () => {
    const keep = { ...desired, powerState: undefined };
    assert.deepEqual(
      planGroup(keep, [vm(0), vm(1, { powerState: "poweredOff" }), vm(2, { powerState: "suspended" })]).converge,
      [],
    );
    const [cycle] = planGroup({ ...keep, cpu: 4 }, [vm(0)]).converge;
    assert.deepEqual([cycle.reconfigure?.powerCycle, cycle.power], [true, "on"]);
    const [off] = planGroup({ ...keep, cpu: 4 }, [vm(0, { powerState: "poweredOff" })]).converge;
    assert.equal(off.power, undefined, "an off VM is reconfigured and left off");
  });
});

describe("VmGroup plan steps", () => {
  const ops = (o: Array<{ kind: string; mark?: true }>) => o.map((x) => x.kind + (x.mark ? "+mark" : ""));

  it("orders the steps: removes (highest index first), then clones (lowest first), then converges", () => {
    const plan = planGroup({ ...desired, replicas: 3 }, [vm(1, { cpu: 1 }), vm(3), vm(4)]);
    assert.deepEqual(
      plan.steps.map((s) => `${s.kind} ${s.kind === "clone" ? s.name : s.vm.name}`),
      ["remove web-4", "remove web-3", "clone web-0", "clone web-2", "converge web-1"],
    );
  });

  it("stops a running VM for a change that needs a power cycle, and counts it as taken down", () => {
    const [cycle] = planGroup({ ...desired, replicas: 1, cpu: 4 }, [vm(0)]).converge;
    assert.deepEqual([ops(cycle.operations), cycle.takesDown], [["powerOff", "reconfigure", "powerOn"], true]);
    const [hot] = planGroup({ ...desired, replicas: 1, cpu: 4 }, [vm(0, { cpuHotAddEnabled: true })]).converge;
    assert.deepEqual([ops(hot.operations), hot.takesDown], [["reconfigure"], false]);
  });

  it("stops a suspended VM before its change without counting it as taken down; off stays off", () => {
    const suspended = vm(0, { powerState: "suspended" });
    const [on] = planGroup({ ...desired, replicas: 1, cpu: 4 }, [suspended]).converge;
    assert.deepEqual([ops(on.operations), on.takesDown], [["powerOff", "reconfigure", "powerOn"], false]);
    const [off] = planGroup({ ...desired, replicas: 1, memoryMB: 512, powerState: "off" }, [suspended]).converge;
    assert.deepEqual(ops(off.operations), ["powerOff", "reconfigure"]);
    const [stopped] = planGroup({ ...desired, replicas: 1, cpu: 4, powerState: undefined }, [
      vm(0, { powerState: "poweredOff" }),
    ]).converge;
    assert.deepEqual(ops(stopped.operations), ["reconfigure"]);
  });

  it("stops a VM before destroying it unless it is powered off", () => {
    assert.deepEqual(
      planRemoval([vm(2, { powerState: "poweredOff" }), vm(5)]).map((s) => [s.vm.name, ops(s.operations)]),
      [
        ["web-5", ["powerOff", "destroy"]],
        ["web-2", ["destroy"]],
      ],
    );
  });

  it("after a clone: marks it when vCenter dropped the marker (with the reconfigure when there is one)", () => {
    const clone = vm(0, { powerState: "poweredOff", cpu: 1 });
    const spec = { cpu: 2, memoryMB: 1024, powerState: undefined };
    assert.deepEqual(ops(afterClone(clone, spec, false)), ["reconfigure+mark", "powerOn"]);
    assert.deepEqual(ops(afterClone({ ...clone, cpu: 2 }, spec, false)), ["mark", "powerOn"]);
    assert.deepEqual(ops(afterClone({ ...clone, cpu: 2 }, { ...spec, powerState: "off" }, true)), []);
  });
});

describe("VmGroup ownership", () => {
  const owner = "urn:pulumi:dev::app::pulumi-nodejs:dynamic/vmware:VmGroup::web";
  const folderPath = "DC0/vm/web";
  const survey = (over: Partial<CreateSurvey>): CreateSurvey => ({
    folderPath,
    folderExists: true,
    vms: [],
    otherObjects: [],
    ...over,
  });
  const one = { ...desired, replicas: 1 };
  // The case: a folder "web" made by hand holding web-0 and web-7; a group with folder web, replicas 1.
  const handMade = [vm(0, { moref: "vm-57", cpu: 1 }), vm(7, { moref: "vm-60" })];

  it("refuses a folder that exists and is not the group's, naming what it holds, unless adopt is set", () => {
    const plan = planCreate(one, owner, false, survey({ vms: handMade, otherObjects: ["notes"] }));
    assert.equal(
      plan.refusal,
      'folder DC0/vm/web already exists and was not created by this group (it carries no ownership marker); it holds "web-0", "web-7", "notes". ' +
        "Set adopt: true to use it (preview --diff then lists every change adoption makes), or choose another folder",
    );
    // In the group's own folder, a hand-made VM in one of its slots is refused the same way.
    const ownFolder = planCreate(one, owner, false, survey({ folderOwner: owner, vms: handMade }));
    assert.equal(
      ownFolder.refusal,
      '"web-0" in DC0/vm/web exist and are not marked as this group\'s; set adopt: true to take them over, or remove them',
    );
  });

  it("with adopt, takes over only the VMs in the declared slots and keeps everything else as is", () => {
    const plan = planCreate(one, owner, true, survey({ vms: handMade, otherObjects: ["notes"] }));
    assert.equal(plan.refusal, undefined);
    assert.equal(plan.folderCreated, false, "an adopted folder is never removed by the group");
    assert.deepEqual(
      plan.adopted.map((v) => v.name),
      ["web-0"],
    );
    assert.deepEqual(plan.kept, ["notes", "web-7"]);
    assert.deepEqual(plan.plan.remove, [], "web-7 is beyond replicas but not the group's: never removed");
    assert.deepEqual(plan.lines, [
      "folder DC0/vm/web: exists; use it as is (the group never removes it)",
      "web-0 (vm-57): adopt (mark as this group's); cpu 1 => 2 (guest shutdown, reconfigure, power on)",
      "keep as is (not declared, never touched): notes, web-7",
    ]);
    // Declared power is part of the plan: an adopted VM found off is shown being powered on, or kept off when
    // powerState is left out.
    const off = [vm(0, { moref: "vm-57", powerState: "poweredOff" })];
    assert.equal(
      planCreate(one, owner, true, survey({ vms: off })).lines[1],
      "web-0 (vm-57): adopt (mark as this group's); power on (now poweredOff)",
    );
    assert.equal(
      planCreate({ ...one, powerState: undefined }, owner, true, survey({ vms: off })).lines[1],
      "web-0 (vm-57): adopt (mark as this group's); no change",
    );
    assert.equal(
      planCreate(
        { ...one, powerState: "off" },
        owner,
        true,
        survey({ vms: [vm(0, { moref: "vm-57", memoryMB: 512 })] }),
      ).lines[1],
      "web-0 (vm-57): adopt (mark as this group's); memoryMB 512 => 1024; power off first (guest shutdown; now poweredOn)",
    );
    const three = planCreate({ ...desired, replicas: 3 }, owner, true, survey({ vms: handMade }));
    assert.deepEqual(three.lines.slice(-2), ["clone web-1, web-2", "keep as is (not declared, never touched): web-7"]);
  });

  it("never takes a VM marked by another group, even with adopt", () => {
    const other = "urn:pulumi:prod::app::pulumi-nodejs:dynamic/vmware:VmGroup::web";
    const plan = planCreate(one, owner, true, survey({ vms: [vm(0, { owner: other })] }));
    assert.match(
      plan.refusal!,
      /VM "web-0" in DC0\/vm\/web belongs to another group \(its marker names urn:pulumi:prod::app::.*::web\)/,
    );
  });

  it("continues an interrupted create: its own marked folder and VMs need no adopt", () => {
    const plan = planCreate(
      { ...desired, replicas: 2 },
      owner,
      false,
      survey({ folderOwner: owner, vms: [vm(0, { owner }), vm(5, { owner })] }),
    );
    assert.equal(plan.refusal, undefined);
    assert.equal(plan.folderCreated, true);
    assert.deepEqual(plan.plan.create, [1]);
    assert.deepEqual(
      plan.plan.remove.map((v) => v.name),
      ["web-5"],
      "its own VM beyond replicas goes",
    );
  });

  it("creates a missing folder without asking", () => {
    const plan = planCreate(desired, owner, false, survey({ folderExists: false }));
    assert.deepEqual([plan.refusal, plan.folderCreated, plan.plan.create], [undefined, true, [0, 1, 2]]);
  });

  it("claims a VM only when its instance UUID is recorded and it carries the marker", () => {
    const record = {
      owner,
      folderCreated: true,
      vms: [
        { index: 0, instanceUuid: "uuid-0" },
        { index: 1, instanceUuid: "uuid-1" },
      ],
    };
    const copy = vm(1, { instanceUuid: "uuid-copy", owner, name: "web-1" }); // a hand-made copy of web-1: marker, new UUID
    const unmarked = vm(0, { owner: undefined });
    const renamed = vm(1, { owner, name: "db-1" });
    const { own, others } = claimRecorded(record, [copy, unmarked, renamed]);
    assert.deepEqual(
      own.map((v) => [v.name, v.index]),
      [["db-1", 1]],
      "a rename keeps the index",
    );
    assert.deepEqual(
      others.map((v) => v.instanceUuid),
      ["uuid-copy", "uuid-0"],
    );
    assert.deepEqual(
      claimRecorded({ ...record, unmarked: true }, [unmarked]).own.length,
      1,
      "state from before markers",
    );
  });

  it("claims a recorded clone whose marking is pending while it is unmarked, never one another owner marked", () => {
    const record = { owner, folderCreated: true, vms: [{ index: 0, instanceUuid: "uuid-0", markPending: true }] };
    assert.deepEqual(
      claimRecorded(record, [vm(0, { owner: undefined })]).own.map((v) => v.index),
      [0],
      "the clone's UUID is in the state",
    );
    assert.deepEqual(
      claimRecorded(record, [vm(0, { owner: "urn:other" })]).own,
      [],
      "marked by someone else: not ours",
    );
  });
});
