// VmGroupManager against a scripted client: the order of vCenter calls for cases vcsim does not enforce
// (suspended VMs, vApps in the folder) and vCenter's escaped entity names.
import { strict as assert } from "assert";
import type { VimClient } from "../../sdk/vsphere/client";
import type { MoRef, ObjectContent, PropertyFilterSpec } from "../../sdk/vsphere/types";
import { GroupSpec, VmGroupManager, escapeEntityName, inventoryPath, unescapeEntityName } from "../../sdk/vsphere/vmgroup/group";

const folder: MoRef = { type: "Folder", value: "group-v9" };
const spec = (over: Partial<GroupSpec> = {}): GroupSpec => ({
  label: "t", datacenter: "DC0", template: "tpl", folder: "web", replicas: 1, cpu: 2, memoryMB: 1024,
  powerState: "on", maxConcurrency: 1, ...over,
});

const vmProps = (name: string, powerState: string, cpu = 2, memoryMB = 1024) => ({
  name,
  "runtime.powerState": powerState,
  "config.hardware.numCPU": cpu,
  "config.hardware.memoryMB": memoryMB,
  "config.instanceUuid": `uuid-${name}`,
  "config.template": false,
});

/** A client whose property reads return `contents`, filtered by type the way vCenter's PropertyCollector does. */
function scripted(contents: ObjectContent[]) {
  const calls: string[] = [];
  const subtypes: Record<string, string[]> = { ManagedEntity: ["Folder", "VirtualMachine", "VirtualApp", "ResourcePool"] };
  const client = {
    async retrieveProperties(s: PropertyFilterSpec): Promise<ObjectContent[]> {
      const types = new Set(s.propSet.flatMap((p) => [p.type, ...(subtypes[p.type] ?? [])]));
      return contents.filter((o) => types.has(o.obj.type));
    },
    async powerOffVM(vm: MoRef) {
      calls.push(`powerOff ${vm.value}`);
    },
    async powerOnVM(vm: MoRef) {
      calls.push(`powerOn ${vm.value}`);
    },
    async reconfigVM(vm: MoRef, c: { numCPUs?: number; memoryMB?: number }) {
      calls.push(`reconfig ${vm.value} cpu=${c.numCPUs} mem=${c.memoryMB}`);
    },
    async destroy(obj: MoRef) {
      calls.push(`destroy ${obj.value}`);
    },
  };
  return { client: client as unknown as VimClient, calls };
}

describe("VmGroupManager (scripted client)", () => {
  it("powers a suspended VM off before changing its hardware, then on again", async () => {
    const { client, calls } = scripted([
      { obj: folder, props: { name: "web" } },
      { obj: { type: "VirtualMachine", value: "vm-1" }, props: vmProps("web-0", "suspended") },
    ]);
    await new VmGroupManager(client, spec({ cpu: 4 })).reconcile(folder, async () => assert.fail("nothing to clone"));
    assert.deepEqual(calls, ["powerOff vm-1", "reconfig vm-1 cpu=4 mem=undefined", "powerOn vm-1"]);
  });

  it("powers a suspended VM off, not on, when the group is to be off", async () => {
    const { client, calls } = scripted([
      { obj: folder, props: { name: "web" } },
      { obj: { type: "VirtualMachine", value: "vm-1" }, props: vmProps("web-0", "suspended", 2, 512) },
    ]);
    await new VmGroupManager(client, spec({ powerState: "off" })).reconcile(folder, async () => assert.fail("nothing to clone"));
    assert.deepEqual(calls, ["powerOff vm-1", "reconfig vm-1 cpu=undefined mem=1024"]);
  });

  it("sees a vApp in the folder and refuses to destroy the folder (vCenter would destroy it with the folder)", async () => {
    const { client, calls } = scripted([
      { obj: folder, props: { name: "web" } },
      { obj: { type: "VirtualMachine", value: "vm-1" }, props: vmProps("web-0", "poweredOff") },
      { obj: { type: "VirtualApp", value: "resgroup-v5" }, props: { name: "payroll" } },
    ]);
    await assert.rejects(new VmGroupManager(client, spec()).destroy(folder), /did not create \(payroll\)/);
    assert.deepEqual(calls, ["destroy vm-1"], "the group's VM goes, the folder stays");
  });
});

describe("vCenter entity names", () => {
  it("escapes %, / and \\ as vCenter stores them, keeping escapes already there", () => {
    assert.equal(escapeEntityName("50% off/on\\x"), "50%25 off%2fon%5cx");
    assert.equal(escapeEntityName("a%2fb"), "a%2fb");
    assert.equal(escapeEntityName(escapeEntityName("100%")), "100%25", "idempotent");
    assert.equal(unescapeEntityName("50%25 off%2Fon%5cx"), "50% off/on\\x");
  });

  it("escapes each inventory path segment and keeps / as the separator", () => {
    assert.equal(inventoryPath("DC 1", "vm", "apps/50%"), "DC 1/vm/apps/50%25");
  });
});
