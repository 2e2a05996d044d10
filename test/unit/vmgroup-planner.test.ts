import { strict as assert } from "assert";
import { diffGroup, ObservedVm, observedInputs, planGroup, reconfigureFor, summarize, vmIndex } from "../../sdk/vsphere/vmgroup/planner";

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
    assert.deepEqual(plan.remove.map((v) => v.index), [4, 3, 2]);
    assert.deepEqual(plan.create, []);
  });

  it("power-cycles a running VM for a cpu change when hot add is off, but not when it is on", () => {
    assert.deepEqual(reconfigureFor(vm(0), 4, 1024), { numCPUs: 4, memoryMB: undefined, powerCycle: true });
    assert.deepEqual(reconfigureFor(vm(0, { cpuHotAddEnabled: true }), 4, 1024), { numCPUs: 4, memoryMB: undefined, powerCycle: false });
    assert.equal(reconfigureFor(vm(0, { cpuHotAddEnabled: true }), 1, 1024)!.powerCycle, true, "removing a vCPU needs hot remove");
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
    assert.equal(planGroup({ ...desired, replicas: 1 }, [vm(0, { powerState: "suspended" })]).converge[0].power, "on", "resume");
  });

  it("powers on a VM found off, and off every VM when the group should be off", () => {
    assert.equal(planGroup(desired, [vm(0), vm(1, { powerState: "poweredOff" }), vm(2)]).converge[0].power, "on");
    const off = planGroup({ ...desired, powerState: "off" }, [vm(0), vm(1), vm(2)]);
    assert.deepEqual(off.converge.map((s) => s.power), ["off", "off", "off"]);
  });

  it("summarises READY only when nothing is left to do", () => {
    assert.equal(summarize(desired, [vm(0), vm(1), vm(2)]).phase, "READY");
    const s = summarize(desired, [vm(0), vm(1, { cpu: 1 })]);
    assert.equal(s.phase, "PENDING");
    assert.match(s.message, /1\/3 VMs match the spec; 1 missing, 1 drifted, 0 extra/);
  });

  it("reports drift as the inputs that differ", () => {
    const declared = { replicas: 3, cpu: 2, memoryMB: 1024, powerState: "on" as const };
    assert.deepEqual(observedInputs(declared, [vm(0), vm(1), vm(2)]), declared);
    assert.deepEqual(observedInputs(declared, [vm(0), vm(1, { cpu: 4, powerState: "poweredOff" })]), {
      replicas: 2,
      cpu: 4,
      memoryMB: 1024,
      powerState: "off",
    });
  });

  it("replaces on template, datacenter or folder changes and updates the rest in place", () => {
    const base = { datacenter: "DC0", template: "t", folder: "web", replicas: 3, cpu: 2 };
    assert.deepEqual(diffGroup(base, { ...base, replicas: 5, cpu: 4 }), { replaces: [], updates: ["replicas", "cpu"], deleteBeforeReplace: false });
    const t = diffGroup(base, { ...base, template: "u" });
    assert.deepEqual(t.replaces, ["template"]);
    assert.equal(t.deleteBeforeReplace, true, "same folder and VM names: the old group must go first");
    assert.equal(diffGroup(base, { ...base, folder: "web2" }).deleteBeforeReplace, false);
  });
});
