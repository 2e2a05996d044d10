// A VM group in vCenter: placement lookup, one-round-trip reads, reconcile (clone, reconfigure, power, scale
// down) and teardown. Decisions come from planner.ts; this file only talks to vCenter.
import { mapLimit } from "../../http";
import type { VimClient } from "../client";
import { isFault } from "../errors";
import type { MoRef } from "../types";
import { convergeStep, ConvergeStep, DesiredGroup, ObservedVm, planGroup, PowerState, vmIndex, vmName } from "./planner";

export interface GroupSpec {
  /** Name used in messages, e.g. the Pulumi resource name. */
  label: string;
  datacenter: string;
  template: string;
  folder: string;
  replicas: number;
  cpu: number;
  memoryMB: number;
  powerState: "on" | "off";
  cluster?: string;
  resourcePool?: string;
  datastore?: string;
  maxConcurrency: number;
}

export interface Placement {
  template: MoRef;
  pool: MoRef;
  /** Set only when the pool's cluster has DRS off: vCenter then refuses a clone without a host. */
  host?: MoRef;
  datastore?: MoRef;
  parentFolder: MoRef;
}

/** A user-facing error: says what is wrong and where we looked. */
export class GroupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GroupError";
  }
}

/** Some VMs could not be brought to the spec; the group as it now stands is in `observed`. */
export class PartialGroupError extends GroupError {
  constructor(
    message: string,
    readonly observed: ObservedVm[],
  ) {
    super(message);
  }
}

const VM_PROPS = [
  "name",
  "runtime.powerState",
  "config.hardware.numCPU",
  "config.hardware.memoryMB",
  "config.instanceUuid",
  "config.cpuHotAddEnabled",
  "config.cpuHotRemoveEnabled",
  "config.memoryHotAddEnabled",
  "config.hotPlugMemoryLimit",
  "config.hotPlugMemoryIncrementSize",
  "config.template",
];

/**
 * A name as vCenter stores it: "%" (unless it starts an %xx escape), "/" and "\\" become %25, %2f and %5c. The
 * `name` property, FindChild and FindByInventoryPath segments all use this form, so names are compared in it, and
 * CloneVM_Task expects its `name` escaped so.
 */
export function escapeEntityName(name: string): string {
  return name.replace(/%(?![0-9a-fA-F]{2})|[/\\]/g, (c) => (c === "%" ? "%25" : c === "/" ? "%2f" : "%5c"));
}

/** The inverse, for CreateFolder: the server escapes that name itself (vcsim even re-escapes a "%25"). */
export function unescapeEntityName(name: string): string {
  return name.replace(/%(2f|5c|25)/gi, (e) => ({ "2f": "/", "5c": "\\", "25": "%" })[e.slice(1).toLowerCase()]!);
}

/** An inventory path ("a/b/c") with each segment escaped; "/" stays the separator. */
export const inventoryPath = (...parts: string[]) => parts.join("/").split("/").map(escapeEntityName).join("/");

export const folderName = (folder: string) => escapeEntityName(folder.split("/").pop()!);
const folderParentPath = (spec: Pick<GroupSpec, "datacenter" | "folder">) =>
  inventoryPath(spec.datacenter, "vm", ...spec.folder.split("/").slice(0, -1));

export function desiredOf(spec: GroupSpec): DesiredGroup {
  return { prefix: folderName(spec.folder), replicas: spec.replicas, cpu: spec.cpu, memoryMB: spec.memoryMB, powerState: spec.powerState };
}

function toObserved(prefix: string, obj: MoRef, p: Record<string, unknown>): ObservedVm | undefined {
  const name = p["name"] as string | undefined;
  const index = name === undefined ? undefined : vmIndex(prefix, name);
  // A template is not a group member even when its name fits: it cannot be powered on or reconfigured.
  if (index === undefined || p["config.template"] === true) return undefined;
  const optionalNumber = (v: unknown) => (typeof v === "number" && v > 0 ? v : undefined);
  return {
    name: name!,
    moref: obj.value,
    index,
    powerState: (p["runtime.powerState"] as PowerState) ?? "poweredOff",
    cpu: Number(p["config.hardware.numCPU"] ?? 0),
    memoryMB: Number(p["config.hardware.memoryMB"] ?? 0),
    instanceUuid: String(p["config.instanceUuid"] ?? ""),
    cpuHotAddEnabled: p["config.cpuHotAddEnabled"] === true,
    cpuHotRemoveEnabled: p["config.cpuHotRemoveEnabled"] === true,
    memoryHotAddEnabled: p["config.memoryHotAddEnabled"] === true,
    hotPlugMemoryLimitMB: optionalNumber(p["config.hotPlugMemoryLimit"]),
    hotPlugMemoryIncrementMB: optionalNumber(p["config.hotPlugMemoryIncrementSize"]),
  };
}

const vmRef = (value: string): MoRef => ({ type: "VirtualMachine", value });

export class VmGroupManager {
  constructor(
    private readonly client: VimClient,
    private readonly spec: GroupSpec,
  ) {}

  private get prefix() {
    return folderName(this.spec.folder);
  }

  private fail(message: string): never {
    throw new GroupError(`VmGroup "${this.spec.label}": ${message}`);
  }

  /** Finds the template, pool, datastore and parent folder; errors name what was missing and where we looked. */
  async resolvePlacement(): Promise<Placement> {
    const { datacenter } = this.spec;
    const c = this.client;
    const dc = await c.findByInventoryPath(inventoryPath(datacenter));
    if (!dc || dc.type !== "Datacenter") this.fail(`datacenter "${datacenter}" not found (looked for /${datacenter})`);

    const parentPath = folderParentPath(this.spec);
    const parentFolder = await c.findByInventoryPath(parentPath);
    if (!parentFolder) this.fail(`parent folder "${parentPath}" not found; create it or change \`folder\``);

    const template = await this.findTemplate();
    const [tpl] = await c.retrieveProperties({
      propSet: [{ type: "VirtualMachine", pathSet: ["resourcePool", "runtime.host"] }],
      objectSet: [{ obj: template }],
    });
    const templateHost = tpl?.props["runtime.host"] as MoRef | undefined;

    const pool = await this.findPool(tpl?.props["resourcePool"] as MoRef | undefined, templateHost);
    let datastore: MoRef | undefined;
    if (this.spec.datastore) {
      datastore = await c.findByInventoryPath(inventoryPath(datacenter, "datastore", this.spec.datastore));
      if (!datastore) this.fail(`datastore "${this.spec.datastore}" not found (looked in ${datacenter}/datastore)`);
      // A datastore cluster (StoragePod) needs Storage DRS placement, which CloneVM_Task does not do.
      if (datastore!.type !== "Datastore") this.fail(`datastore "${this.spec.datastore}" is a ${datastore!.type}, not a datastore`);
    }
    const host = await this.hostForPool(pool, templateHost);
    return { template, pool, datastore, parentFolder: parentFolder!, ...(host ? { host } : {}) };
  }

  private async findTemplate(): Promise<MoRef> {
    const { datacenter, template } = this.spec;
    const direct = await this.client.findByInventoryPath(inventoryPath(datacenter, "vm", template));
    if (direct?.type === "VirtualMachine") return direct;
    if (!template.includes("/")) {
      // Not at the top of the VM folder: search the whole tree by name (one property-collector pass).
      const vmFolder = await this.client.findByInventoryPath(inventoryPath(datacenter, "vm"));
      if (vmFolder) {
        const view = await this.client.createContainerView(vmFolder, ["VirtualMachine"], true);
        try {
          const all = await this.client.retrieveProperties({
            propSet: [{ type: "VirtualMachine", pathSet: ["name"] }],
            objectSet: [{ obj: view, skip: true, selectSet: [{ name: "view", type: "ContainerView", path: "view", skip: false }] }],
          });
          // vCenter reports names escaped (see escapeEntityName).
          const hit = all.find((o) => o.props["name"] === escapeEntityName(template));
          if (hit) return hit.obj;
        } finally {
          await this.client.destroyView(view).catch(() => undefined);
        }
      }
    }
    this.fail(`template "${template}" not found in datacenter "${datacenter}" (looked in ${datacenter}/vm/**)`);
  }

  private async findPool(templatePool: MoRef | undefined, templateHost: MoRef | undefined): Promise<MoRef> {
    const { datacenter, cluster, resourcePool } = this.spec;
    const c = this.client;
    if (resourcePool) {
      const path = cluster ? inventoryPath(datacenter, "host", cluster, "Resources", resourcePool) : inventoryPath(datacenter, "host", resourcePool);
      const pool = await c.findByInventoryPath(path);
      if (!pool) this.fail(`resource pool "${resourcePool}" not found (looked for ${path})`);
      if (pool!.type !== "ResourcePool" && pool!.type !== "VirtualApp") this.fail(`"${path}" is a ${pool!.type}, not a resource pool`);
      return pool!;
    }
    if (cluster) {
      const path = inventoryPath(datacenter, "host", cluster);
      const cr = await c.findByInventoryPath(path);
      if (!cr) this.fail(`cluster "${cluster}" not found (looked for ${path})`);
      if (!/ComputeResource$/.test(cr!.type)) this.fail(`"${path}" is a ${cr!.type}, not a cluster or host`);
      return this.rootPool(cr!);
    }
    if (templatePool) return templatePool;
    // A template has no pool: use the root pool of the compute resource it is registered on, whose hosts see its
    // datastore (an arbitrary cluster of the datacenter may not).
    if (templateHost) {
      const [h] = await c.retrieveProperties({ propSet: [{ type: "HostSystem", pathSet: ["parent"] }], objectSet: [{ obj: templateHost }] });
      const owner = h?.props["parent"] as MoRef | undefined;
      if (owner && /ComputeResource$/.test(owner.type)) return this.rootPool(owner);
    }
    const hostFolder = await c.findByInventoryPath(inventoryPath(datacenter, "host"));
    const crs = hostFolder
      ? await c.retrieveProperties({
          propSet: [
            { type: "ComputeResource", pathSet: ["resourcePool"] },
            { type: "ClusterComputeResource", pathSet: ["resourcePool"] },
          ],
          objectSet: [{ obj: hostFolder, skip: true, selectSet: [{ name: "children", type: "Folder", path: "childEntity", skip: false, selectSet: ["children"] }] }],
        })
      : [];
    const first = crs.find((o) => o.props["resourcePool"]);
    if (!first) this.fail(`no resource pool found in ${datacenter}/host; set \`cluster\` or \`resourcePool\``);
    return first!.props["resourcePool"] as MoRef;
  }

  private async rootPool(computeResource: MoRef): Promise<MoRef> {
    const [o] = await this.client.retrieveProperties({ propSet: [{ type: computeResource.type, pathSet: ["resourcePool"] }], objectSet: [{ obj: computeResource }] });
    return o.props["resourcePool"] as MoRef;
  }

  /**
   * A clone into a cluster with DRS off must name a host (InvalidArgument spec.location.host otherwise): the
   * template's own host when it is in that cluster, else the first connected host not in maintenance mode.
   */
  private async hostForPool(pool: MoRef, templateHost: MoRef | undefined): Promise<MoRef | undefined> {
    const c = this.client;
    const [p] = await c.retrieveProperties({ propSet: [{ type: pool.type, pathSet: ["owner"] }], objectSet: [{ obj: pool }] });
    const owner = p?.props["owner"] as MoRef | undefined;
    if (owner?.type !== "ClusterComputeResource") return undefined;
    const [cl] = await c.retrieveProperties({ propSet: [{ type: owner.type, pathSet: ["configurationEx", "host"] }], objectSet: [{ obj: owner }] });
    const drs = ((cl?.props["configurationEx"] ?? {}) as { drsConfig?: { enabled?: unknown } }).drsConfig;
    // Nested fields carry no xsi:type, so the flag decodes as the string "true".
    if (String(drs?.enabled) === "true") return undefined;
    const hosts = (cl?.props["host"] ?? []) as MoRef[];
    if (templateHost && hosts.some((h) => h.value === templateHost.value)) return templateHost;
    const states = hosts.length
      ? await c.retrieveProperties({
          propSet: [{ type: "HostSystem", pathSet: ["runtime.connectionState", "runtime.inMaintenanceMode"] }],
          objectSet: hosts.map((obj) => ({ obj })),
        })
      : [];
    const usable = states.find((h) => h.props["runtime.connectionState"] === "connected" && h.props["runtime.inMaintenanceMode"] !== true);
    if (!usable) this.fail(`cluster ${owner.value} has DRS off and no connected host outside maintenance mode to clone onto`);
    return usable!.obj;
  }

  /** The group's folder: found by name under its parent, or created. */
  async ensureFolder(parent: MoRef): Promise<MoRef> {
    const name = this.prefix;
    const existing = await this.client.findChild(parent, name);
    if (existing) {
      if (existing.type !== "Folder") this.fail(`"${name}" under the parent folder is a ${existing.type}, not a folder`);
      return existing;
    }
    try {
      return await this.client.createFolder(parent, unescapeEntityName(name));
    } catch (err) {
      // Someone made it between our lookup and the create: adopt it.
      if (isFault(err, "DuplicateName")) {
        const again = await this.client.findChild(parent, name);
        if (again?.type === "Folder") return again;
      }
      throw err;
    }
  }

  /**
   * The group's VMs in one property-collector round trip (folder plus its children), or undefined when the
   * folder no longer exists. Everything else in the folder (VMs the group did not name, templates, sub-folders,
   * vApps) is reported in `foreign`.
   */
  async read(folder: MoRef): Promise<{ vms: ObservedVm[]; foreign: string[] } | undefined> {
    let contents;
    try {
      contents = await this.client.retrieveProperties({
        // ManagedEntity (subtypes included) so that a vApp or any other child shows up: vCenter's Destroy_Task on
        // the folder would take it along.
        propSet: [
          { type: "ManagedEntity", pathSet: ["name"] },
          { type: "VirtualMachine", pathSet: VM_PROPS },
        ],
        objectSet: [{ obj: folder, skip: false, selectSet: [{ name: "children", type: "Folder", path: "childEntity", skip: false }] }],
      });
    } catch (err) {
      if (isFault(err, "ManagedObjectNotFound")) return undefined;
      throw err;
    }
    // A folder of another name under this id is not ours (ids are reused, e.g. by a restarted simulator).
    const self = contents.find((o) => o.obj.type === "Folder" && o.obj.value === folder.value);
    if (!self || self.props["name"] !== this.prefix) return undefined;
    const vms: ObservedVm[] = [];
    const foreign: string[] = [];
    for (const o of contents) {
      if (o.obj.type === "Folder" && o.obj.value === folder.value) continue;
      const vm = o.obj.type === "VirtualMachine" ? toObserved(this.prefix, o.obj, o.props) : undefined;
      if (vm) vms.push(vm);
      else foreign.push(String(o.props["name"] ?? o.obj.value));
    }
    vms.sort((a, b) => a.index - b.index);
    return { vms, foreign };
  }

  private async readVm(vm: MoRef): Promise<ObservedVm> {
    const [o] = await this.client.retrieveProperties({ propSet: [{ type: "VirtualMachine", pathSet: VM_PROPS }], objectSet: [{ obj: vm }] });
    const observed = o && toObserved(this.prefix, vm, o.props);
    if (!observed) throw new GroupError(`VmGroup "${this.spec.label}": VM ${vm.value} vanished while it was being configured`);
    return observed;
  }

  /**
   * Brings the group to the spec: removes extra VMs (highest index first), clones missing ones and converges
   * every VM's hardware and power state, at most `maxConcurrency` operations at a time. Steps that fail do not
   * stop the others; the error then carries the group as it stands so the caller can record it.
   */
  async reconcile(folder: MoRef, placement: Placement | (() => Promise<Placement>)): Promise<ObservedVm[]> {
    const desired = desiredOf(this.spec);
    const current = await this.read(folder);
    if (!current) this.fail(`folder ${folder.value} disappeared during the update`);
    const plan = planGroup(desired, current!.vms);
    const limit = this.spec.maxConcurrency;
    const failures: string[] = [];
    const collect = (results: PromiseSettledResult<unknown>[], what: (i: number) => string) =>
      results.forEach((r, i) => r.status === "rejected" && failures.push(`${what(i)}: ${(r.reason as Error).message ?? r.reason}`));

    collect(await mapLimit(plan.remove, limit, (vm) => this.removeVm(vm)), (i) => `remove ${plan.remove[i].name}`);

    let resolved: Placement | undefined;
    if (plan.create.length) resolved = typeof placement === "function" ? await placement() : placement;
    const work: Array<{ label: string; run: () => Promise<void> }> = [
      ...plan.create.map((index) => ({ label: `create ${vmName(desired.prefix, index)}`, run: () => this.createVm(folder, resolved!, index) })),
      ...plan.converge.map((step) => ({ label: `update ${step.vm.name}`, run: () => this.applyStep(step) })),
    ];
    collect(await mapLimit(work, limit, (w) => w.run()), (i) => work[i].label);

    const after = (await this.read(folder))?.vms ?? [];
    if (failures.length) {
      throw new PartialGroupError(
        `VmGroup "${this.spec.label}": ${failures.length} of ${plan.remove.length + work.length} operations failed: ${failures.join("; ")}`,
        after,
      );
    }
    return after;
  }

  private async createVm(folder: MoRef, placement: Placement, index: number): Promise<void> {
    const name = vmName(this.prefix, index);
    let vm: MoRef;
    try {
      vm = await this.client.cloneVM(placement.template, folder, name, {
        pool: placement.pool,
        host: placement.host,
        datastore: placement.datastore,
        numCPUs: this.spec.cpu,
        memoryMB: this.spec.memoryMB,
        powerOn: false,
      });
    } catch (err) {
      // Real vCenter refuses a second VM of the same name in a folder: one exists already, so adopt it.
      if (!isFault(err, "DuplicateName")) throw err;
      const existing = await this.client.findChild(folder, name);
      if (!existing) throw err;
      if (existing.type !== "VirtualMachine") this.fail(`"${name}" in the group folder is a ${existing.type}, not a VM; rename or remove it`);
      const [o] = await this.client.retrieveProperties({ propSet: [{ type: "VirtualMachine", pathSet: ["config.template"] }], objectSet: [{ obj: existing }] });
      if (o?.props["config.template"] === true) this.fail(`"${name}" in the group folder is a template, not a group VM; rename or remove it`);
      vm = existing;
    }
    // Clone-time config is not honoured everywhere (older vcsim, some templates): check, then converge.
    const step = convergeStep(await this.readVm(vm), this.spec);
    if (step) await this.applyStep(step);
  }

  private async applyStep(step: ConvergeStep): Promise<void> {
    const vm = vmRef(step.vm.moref);
    // Suspended counts as not stopped: vCenter reconfigures only powered-off VMs (or hot-adds on running ones).
    const stopped = step.vm.powerState === "poweredOff";
    if (step.reconfigure) {
      const mustStop = !stopped && (step.reconfigure.powerCycle || step.power === "off");
      if (mustStop) await this.powerOff(vm);
      await this.client.reconfigVM(vm, { numCPUs: step.reconfigure.numCPUs, memoryMB: step.reconfigure.memoryMB });
      if (mustStop && this.spec.powerState === "on") await this.powerOn(vm);
      else if (step.power === "on") await this.powerOn(vm);
      return;
    }
    if (step.power === "on") await this.powerOn(vm);
    if (step.power === "off") await this.powerOff(vm);
  }

  private async powerOn(vm: MoRef) {
    try {
      await this.client.powerOnVM(vm);
    } catch (err) {
      if (!isFault(err, "InvalidPowerState")) throw err; // already on
    }
  }

  private async powerOff(vm: MoRef) {
    try {
      await this.client.powerOffVM(vm);
    } catch (err) {
      if (!isFault(err, "InvalidPowerState")) throw err; // already off
    }
  }

  private async removeVm(vm: ObservedVm): Promise<void> {
    const ref = vmRef(vm.moref);
    try {
      if (vm.powerState !== "poweredOff") await this.powerOff(ref);
      await this.client.destroy(ref);
    } catch (err) {
      if (!isFault(err, "ManagedObjectNotFound")) throw err; // already gone
    }
  }

  /**
   * Removes every VM of the group, then the folder. VMs the group did not create are left alone, and so is
   * their folder; the error says which they are. (vcsim does not destroy a folder's VMs with the folder, and a
   * real vCenter would destroy them all: neither is what a user wants.)
   */
  async destroy(folder: MoRef): Promise<void> {
    const current = await this.read(folder);
    if (!current) return;
    const results = await mapLimit(
      [...current.vms].sort((a, b) => b.index - a.index),
      this.spec.maxConcurrency,
      (vm) => this.removeVm(vm),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length) this.fail(`could not remove ${failed.length} VM(s): ${failed.map((f) => (f.reason as Error).message).join("; ")}`);
    if (current.foreign.length) {
      this.fail(
        `folder ${this.spec.datacenter}/vm/${this.spec.folder} also holds objects this group did not create (${current.foreign.join(", ")}); ` +
          `move or delete them, then run destroy again`,
      );
    }
    try {
      await this.client.destroy(folder);
    } catch (err) {
      if (!isFault(err, "ManagedObjectNotFound")) throw err;
    }
  }
}
