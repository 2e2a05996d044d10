// VmGroupManager against a scripted client: the order of vCenter calls for cases vcsim does not enforce
// (suspended VMs, vApps in the folder, a guest that ignores shutdown, Tools missing) and vCenter's escaped names.
import { strict as assert } from "assert";
import type { VimClient } from "../../sdk/vsphere/client";
import { VimFault } from "../../sdk/vsphere/errors";
import { cloneVmXml, configSpecXml } from "../../sdk/vsphere/methods";
import type { MoRef, ObjectContent, PropertyFilterSpec } from "../../sdk/vsphere/types";
import { VmGroupManager } from "../../sdk/vsphere/vmgroup/manager";
import type { GroupSpec } from "../../sdk/vsphere/vmgroup/model";
import { GroupRecord, OWNER_KEY } from "../../sdk/vsphere/vmgroup/ownership";

const owner = "urn:pulumi:dev::app::pulumi-nodejs:dynamic/vmware:VmGroup::web";
const folder: MoRef = { type: "Folder", value: "group-v9" };
const spec = (over: Partial<GroupSpec> = {}): GroupSpec => ({
  label: "t",
  datacenter: "DC0",
  template: "tpl",
  folder: "web",
  replicas: 1,
  cpu: 2,
  memoryMB: 1024,
  powerState: "on",
  maxConcurrency: 1,
  owner,
  shutdownTimeoutSeconds: 1,
  ...over,
});

const vmProps = (name: string, powerState: string, cpu = 2, memoryMB = 1024, marker: string | undefined = owner) => ({
  name,
  "runtime.powerState": powerState,
  "config.hardware.numCPU": cpu,
  "config.hardware.memoryMB": memoryMB,
  "config.instanceUuid": `uuid-${name}`,
  "config.template": false,
  "config.extraConfig": marker ? [{ key: OWNER_KEY, value: marker }] : [],
});
const record = (...names: string[]): GroupRecord => ({
  owner,
  folderCreated: true,
  vms: names.map((n) => ({ index: Number(n.split("-").pop()), instanceUuid: `uuid-${n}` })),
});

type Guest = "obeys" | "ignores" | "no-tools";

/**
 * A tiny vCenter: property reads filtered by type the way the PropertyCollector does, power operations that
 * change runtime.powerState, and a guest that obeys ShutdownGuest, ignores it, or has no Tools (ToolsUnavailable).
 */
function scripted(contents: ObjectContent[], guest: Guest = "obeys") {
  const calls: string[] = [];
  const subtypes: Record<string, string[]> = {
    ManagedEntity: ["Folder", "VirtualMachine", "VirtualApp", "ResourcePool"],
  };
  const byId = new Map(contents.map((o) => [o.obj.value, o]));
  let down = 0;
  let maxDown = 0;
  const setPower = (vm: MoRef, state: string) => {
    const o = byId.get(vm.value)!;
    const was = o.props["runtime.powerState"];
    if (was === "poweredOn" && state !== "poweredOn") down++;
    if (was !== "poweredOn" && state === "poweredOn") down--;
    maxDown = Math.max(maxDown, down);
    o.props["runtime.powerState"] = state;
  };
  const client = {
    async retrieveProperties(s: PropertyFilterSpec): Promise<ObjectContent[]> {
      const types = new Set(s.propSet.flatMap((p) => [p.type, ...(subtypes[p.type] ?? [])]));
      const start = s.objectSet[0].obj;
      const scope = start.value === folder.value ? contents : contents.filter((o) => o.obj.value === start.value);
      return scope.filter((o) => types.has(o.obj.type)).map((o) => ({ obj: o.obj, props: { ...o.props } }));
    },
    async shutdownGuest(vm: MoRef) {
      calls.push(`shutdownGuest ${vm.value}`);
      if (guest === "no-tools")
        throw new VimFault("ToolsUnavailable", "ShutdownGuest failed: ToolsUnavailable", {}, "ShutdownGuest");
      if (guest === "obeys") setTimeout(() => setPower(vm, "poweredOff"), 30);
    },
    async powerOffVM(vm: MoRef) {
      calls.push(`powerOff ${vm.value}`);
      setPower(vm, "poweredOff");
    },
    async powerOnVM(vm: MoRef) {
      calls.push(`powerOn ${vm.value}`);
      setPower(vm, "poweredOn");
    },
    async reconfigVM(vm: MoRef, c: { numCPUs?: number; memoryMB?: number; extraConfig?: unknown[] }) {
      calls.push(`reconfig ${vm.value} cpu=${c.numCPUs} mem=${c.memoryMB}${c.extraConfig ? " marker" : ""}`);
      const o = byId.get(vm.value)!;
      if (c.numCPUs) o.props["config.hardware.numCPU"] = c.numCPUs;
    },
    async destroy(obj: MoRef) {
      calls.push(`destroy ${obj.value}`);
      const i = contents.findIndex((o) => o.obj.value === obj.value);
      if (i >= 0) contents.splice(i, 1);
    },
    async findByInventoryPath() {
      return { type: "Datacenter", value: "datacenter-2" };
    },
    async findVmByInstanceUuid() {
      return undefined;
    },
    async customFieldsManager() {
      return { type: "CustomFieldsManager", value: "CustomFieldsManager" };
    },
  };
  return { client: client as unknown as VimClient, calls, maxDown: () => maxDown };
}

const vmObj = (value: string, props: Record<string, unknown>): ObjectContent => ({
  obj: { type: "VirtualMachine", value },
  props,
});
const noClone = async () => assert.fail("nothing to clone");

describe("VmGroupManager (scripted client)", () => {
  it("powers a suspended VM off before changing its hardware, then on again", async () => {
    const { client, calls } = scripted([
      { obj: folder, props: { name: "web" } },
      vmObj("vm-1", vmProps("web-0", "suspended")),
    ]);
    await new VmGroupManager(client, spec({ cpu: 4 })).reconcile(folder, record("web-0"), noClone);
    // ShutdownGuest answers InvalidPowerState for a suspended VM in vCenter; the scripted one obeys, which is fine too.
    assert.deepEqual(
      calls.filter((c) => !c.startsWith("shutdownGuest")),
      ["reconfig vm-1 cpu=4 mem=undefined", "powerOn vm-1"],
    );
  });

  it("powers a suspended VM off, not on, when the group is to be off", async () => {
    const { client, calls } = scripted(
      [{ obj: folder, props: { name: "web" } }, vmObj("vm-1", vmProps("web-0", "suspended", 2, 512))],
      "no-tools",
    );
    await new VmGroupManager(client, spec({ powerState: "off" })).reconcile(folder, record("web-0"), noClone);
    assert.deepEqual(calls, ["shutdownGuest vm-1", "powerOff vm-1", "reconfig vm-1 cpu=undefined mem=1024"]);
  });

  it("shuts the guest down for a power cycle and does not power off hard when the guest obeys", async () => {
    const { client, calls } = scripted([
      { obj: folder, props: { name: "web" } },
      vmObj("vm-1", vmProps("web-0", "poweredOn")),
    ]);
    const group = new VmGroupManager(client, spec({ cpu: 4 }));
    await group.reconcile(folder, record("web-0"), noClone);
    assert.deepEqual(calls, ["shutdownGuest vm-1", "reconfig vm-1 cpu=4 mem=undefined", "powerOn vm-1"]);
    assert.deepEqual(group.notes, []);
  });

  it("powers off hard after shutdownTimeoutSeconds when the guest ignores the shutdown, and says so", async () => {
    const { client, calls } = scripted(
      [{ obj: folder, props: { name: "web" } }, vmObj("vm-1", vmProps("web-0", "poweredOn"))],
      "ignores",
    );
    const group = new VmGroupManager(client, spec({ cpu: 4, shutdownTimeoutSeconds: 1 }));
    const started = Date.now();
    await group.reconcile(folder, record("web-0"), noClone);
    assert.ok(Date.now() - started >= 1000, "waited for the guest first");
    assert.deepEqual(calls, [
      "shutdownGuest vm-1",
      "powerOff vm-1",
      "reconfig vm-1 cpu=4 mem=undefined",
      "powerOn vm-1",
    ]);
    assert.deepEqual(group.notes, ["web-0: guest did not shut down within 1 s, powered off"]);
  });

  it("powers off at once when the guest has no VMware Tools (ToolsUnavailable), or with a timeout of 0", async () => {
    const a = scripted(
      [{ obj: folder, props: { name: "web" } }, vmObj("vm-1", vmProps("web-0", "poweredOn"))],
      "no-tools",
    );
    const group = new VmGroupManager(a.client, spec({ replicas: 0 }));
    await group.reconcile(folder, record("web-0"), noClone);
    assert.deepEqual(a.calls, ["shutdownGuest vm-1", "powerOff vm-1", "destroy vm-1"]);
    assert.deepEqual(group.notes, ["web-0: guest shutdown refused (ToolsUnavailable), powered off"]);
    const b = scripted([{ obj: folder, props: { name: "web" } }, vmObj("vm-1", vmProps("web-0", "poweredOn"))]);
    await new VmGroupManager(b.client, spec({ replicas: 0, shutdownTimeoutSeconds: 0 })).reconcile(
      folder,
      record("web-0"),
      noClone,
    );
    assert.deepEqual(b.calls, ["powerOff vm-1", "destroy vm-1"]);
  });

  it("rolls power cycles: with maxUnavailable 1, never two VMs down at once, even with maxConcurrency 4", async () => {
    const vms = [0, 1, 2, 3].map((i) => vmObj(`vm-${i}`, vmProps(`web-${i}`, "poweredOn")));
    const s = scripted([{ obj: folder, props: { name: "web" } }, ...vms]);
    await new VmGroupManager(s.client, spec({ replicas: 4, cpu: 4, maxConcurrency: 4, maxUnavailable: 1 })).reconcile(
      folder,
      record("web-0", "web-1", "web-2", "web-3"),
      noClone,
    );
    assert.equal(s.calls.filter((c) => c.startsWith("reconfig")).length, 4);
    assert.equal(s.maxDown(), 1);
    const t = scripted([
      { obj: folder, props: { name: "web" } },
      ...[0, 1, 2, 3].map((i) => vmObj(`vm-${i}`, vmProps(`web-${i}`, "poweredOn"))),
    ]);
    await new VmGroupManager(t.client, spec({ replicas: 4, cpu: 4, maxConcurrency: 4, maxUnavailable: 2 })).reconcile(
      folder,
      record("web-0", "web-1", "web-2", "web-3"),
      noClone,
    );
    assert.equal(t.maxDown(), 2);
  });

  it("bounds operations, not VMs: with maxConcurrency 2 the third clone starts when the first ends, never 3 at once", async () => {
    const { client, calls } = scripted([{ obj: folder, props: { name: "web" } }]);
    const contents: ObjectContent[] = [];
    let inFlight = 0;
    let peak = 0;
    const op = async <T>(what: string, ms: number, fn: () => T): Promise<T> => {
      peak = Math.max(peak, ++inFlight);
      calls.push(`start ${what}`);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return fn();
    };
    const c = client as unknown as Record<string, unknown>;
    const read = c.retrieveProperties as (s: PropertyFilterSpec) => Promise<ObjectContent[]>;
    c.retrieveProperties = async (s: PropertyFilterSpec) => [
      ...contents.filter((o) => o.obj.value === s.objectSet[0].obj.value),
      ...(await read(s)),
    ];
    c.cloneVM = (_t: MoRef, _f: MoRef, name: string) =>
      op(`clone ${name}`, 30, () => {
        const vm = vmObj(`vm-${name}`, vmProps(name, "poweredOff", 1, 32, undefined));
        contents.push(vm);
        return vm.obj;
      });
    c.reconfigVM = (vm: MoRef) => op(`reconfig ${vm.value}`, 5, () => undefined);
    c.powerOnVM = (vm: MoRef) => op(`powerOn ${vm.value}`, 5, () => undefined);
    const placement = {
      template: { type: "VirtualMachine", value: "tpl" },
      pool: { type: "ResourcePool", value: "rp" },
      parentFolder: folder,
    };
    await new VmGroupManager(client, spec({ replicas: 4, maxConcurrency: 2 })).reconcile(folder, record(), placement);
    assert.equal(peak, 2, "clones, reconfigures and power-ons: 2 at most at once");
    // The slot of web-0's clone goes to the next clone; web-0's reconfigure and power-on take the next free one.
    assert.ok(calls.indexOf("start clone web-2") < calls.indexOf("start powerOn vm-web-0"), calls.join("\n"));
    assert.equal(calls.filter((x) => x.startsWith("start powerOn")).length, 4);
  });

  it("acts only on its own VMs: a hand-made VM named like a group VM is neither scaled down nor destroyed", async () => {
    const { client, calls } = scripted([
      { obj: folder, props: { name: "web" } },
      vmObj("vm-1", vmProps("web-0", "poweredOn")),
      vmObj("vm-7", vmProps("web-7", "poweredOn", 2, 1024, undefined)), // unmarked, not recorded
      vmObj("vm-8", { ...vmProps("web-8", "poweredOn"), "config.instanceUuid": "uuid-copy" }), // marked copy, not recorded
    ]);
    const group = new VmGroupManager(client, spec({ replicas: 1 }));
    const vms = await group.reconcile(folder, record("web-0"), noClone);
    assert.deepEqual(
      vms.map((v) => v.name),
      ["web-0"],
    );
    assert.deepEqual(calls, [], "web-7 and web-8 are beyond replicas but not the group's");
    const kept = await group.destroy(folder, record("web-0"));
    assert.deepEqual(calls, ["shutdownGuest vm-1", "destroy vm-1"]);
    assert.match(kept.folderKept!, /holds objects the group does not own \(web-7, web-8\)/);
  });

  it("leaves a vApp in the folder, and the folder with it (vCenter would destroy it with the folder)", async () => {
    const { client, calls } = scripted([
      { obj: folder, props: { name: "web" } },
      vmObj("vm-1", vmProps("web-0", "poweredOff")),
      { obj: { type: "VirtualApp", value: "resgroup-v5" }, props: { name: "payroll" } },
    ]);
    const kept = await new VmGroupManager(client, spec()).destroy(folder, record("web-0"));
    assert.deepEqual(calls, ["destroy vm-1"], "the group's VM goes, the folder stays");
    assert.match(kept.folderKept!, /payroll/);
  });

  it("removes the folder only when it created it and it is empty", async () => {
    const a = scripted([{ obj: folder, props: { name: "web" } }, vmObj("vm-1", vmProps("web-0", "poweredOff"))]);
    await new VmGroupManager(a.client, spec()).destroy(folder, record("web-0"));
    assert.deepEqual(a.calls, ["destroy vm-1", "destroy group-v9"]);
    const b = scripted([{ obj: folder, props: { name: "web" } }, vmObj("vm-1", vmProps("web-0", "poweredOff"))]);
    const kept = await new VmGroupManager(b.client, spec()).destroy(folder, {
      ...record("web-0"),
      folderCreated: false,
    });
    assert.deepEqual(b.calls, ["destroy vm-1"], "an adopted folder stays");
    assert.match(kept.folderKept!, /adopted/);
  });
});

describe("ownership marker in vim25 requests", () => {
  it("puts extraConfig after memoryMB (XSD order) as an OptionValue with xsi:type xsd:string, escaped", () => {
    assert.equal(
      configSpecXml("spec", { numCPUs: 2, memoryMB: 256, extraConfig: [{ key: OWNER_KEY, value: "urn:a::b<&>" }] }),
      "<spec><numCPUs>2</numCPUs><memoryMB>256</memoryMB><extraConfig><key>pulumi-vmware-kit.owner</key>" +
        '<value xsi:type="xsd:string">urn:a::b&lt;&amp;&gt;</value></extraConfig></spec>',
    );
    assert.equal(
      configSpecXml("spec", { extraConfig: [{ key: "k", value: "v" }] }),
      '<spec><extraConfig><key>k</key><value xsi:type="xsd:string">v</value></extraConfig></spec>',
    );
    const clone = cloneVmXml({ type: "VirtualMachine", value: "vm-1" }, folder, "web-0", {
      extraConfig: [{ key: OWNER_KEY, value: owner }],
    });
    assert.match(
      clone,
      /<template>false<\/template><config><extraConfig><key>pulumi-vmware-kit\.owner<\/key>.*<\/config><powerOn>false<\/powerOn>/,
    );
  });
});
