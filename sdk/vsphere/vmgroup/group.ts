// A VM group in vCenter: placement lookup, one-round-trip reads, reconcile (clone, reconfigure, power, scale
// down) and teardown. Decisions come from planner.ts; this file only talks to vCenter.
import { randomBytes } from "crypto";
import { mapLimit, provesNotSent, sleep, TransportError } from "../../http";
import type { VimClient } from "../client";
import { isFault, VimFault } from "../errors";
import type { MoRef } from "../types";
import {
  claimRecorded,
  CreatePlan,
  CreateSurvey,
  customValue,
  extraConfigValue,
  GroupRecord,
  OWNER_KEY,
  planCreate,
  RecordedVm,
} from "./ownership";
import {
  convergeStep,
  ConvergeStep,
  DesiredGroup,
  ObservedVm,
  planGroup,
  PowerState,
  vmIndex,
  vmName,
} from "./planner";

export interface GroupSpec {
  /** Name used in messages, e.g. the Pulumi resource name. */
  label: string;
  datacenter: string;
  template: string;
  folder: string;
  replicas: number;
  cpu: number;
  memoryMB: number;
  /** undefined: not declared (with adopt): VMs keep their power state; new clones are powered on. */
  powerState: "on" | "off" | undefined;
  cluster?: string;
  resourcePool?: string;
  datastore?: string;
  maxConcurrency: number;
  /** VMs powered down at once for a power-cycling reconfiguration (default 1). */
  maxUnavailable?: number;
  /** How long a guest shutdown may take before the VM is powered off hard, in seconds; 0 = power off at once. */
  shutdownTimeoutSeconds?: number;
  /** Owner id written into the markers (the resource's URN). */
  owner: string;
  /** Take over an existing folder and the unmarked VMs in the group's slots at create. */
  adopt?: boolean;
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
  "config.extraConfig",
  "parent",
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
  return {
    prefix: folderName(spec.folder),
    replicas: spec.replicas,
    cpu: spec.cpu,
    memoryMB: spec.memoryMB,
    powerState: spec.powerState,
  };
}

/** A VM as the group sees it; `index` is the one its name encodes (-1 when none), the record may override it. */
function toObserved(prefix: string, obj: MoRef, p: Record<string, unknown>): ObservedVm & { template: boolean } {
  const name = String(p["name"] ?? obj.value);
  const optionalNumber = (v: unknown) => (typeof v === "number" && v > 0 ? v : undefined);
  const owner = extraConfigValue(p["config.extraConfig"], OWNER_KEY);
  return {
    name,
    moref: obj.value,
    index: vmIndex(prefix, name) ?? -1,
    powerState: (p["runtime.powerState"] as PowerState) ?? "poweredOff",
    cpu: Number(p["config.hardware.numCPU"] ?? 0),
    memoryMB: Number(p["config.hardware.memoryMB"] ?? 0),
    instanceUuid: String(p["config.instanceUuid"] ?? ""),
    cpuHotAddEnabled: p["config.cpuHotAddEnabled"] === true,
    cpuHotRemoveEnabled: p["config.cpuHotRemoveEnabled"] === true,
    memoryHotAddEnabled: p["config.memoryHotAddEnabled"] === true,
    hotPlugMemoryLimitMB: optionalNumber(p["config.hotPlugMemoryLimit"]),
    hotPlugMemoryIncrementMB: optionalNumber(p["config.hotPlugMemoryIncrementSize"]),
    ...(owner !== undefined ? { owner } : {}),
    template: p["config.template"] === true,
  };
}

const strip = ({ template: _t, ...vm }: ObservedVm & { template?: boolean }): ObservedVm => vm;

/** The group as read from vCenter against the state's record. */
export interface GroupView {
  /** The folder's current name (escaped as vCenter stores it). */
  folderName: string;
  /** The group's VMs (recorded and marked), wherever they are; `movedTo` set for those outside the folder. */
  own: ObservedVm[];
  /** Names of everything else in the folder: never touched. */
  foreign: string[];
  /** Recorded VMs that are gone, and those whose marker was removed (no longer the group's). */
  deleted: RecordedVm[];
  released: Array<RecordedVm & { name: string }>;
}

/** The outcome of a create. */
export interface CreatedGroup {
  folder: MoRef;
  folderCreated: boolean;
  vms: ObservedVm[];
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
      if (datastore!.type !== "Datastore")
        this.fail(`datastore "${this.spec.datastore}" is a ${datastore!.type}, not a datastore`);
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
            objectSet: [
              {
                obj: view,
                skip: true,
                selectSet: [{ name: "view", type: "ContainerView", path: "view", skip: false }],
              },
            ],
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
      const path = cluster
        ? inventoryPath(datacenter, "host", cluster, "Resources", resourcePool)
        : inventoryPath(datacenter, "host", resourcePool);
      const pool = await c.findByInventoryPath(path);
      if (!pool) this.fail(`resource pool "${resourcePool}" not found (looked for ${path})`);
      if (pool!.type !== "ResourcePool" && pool!.type !== "VirtualApp")
        this.fail(`"${path}" is a ${pool!.type}, not a resource pool`);
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
      const [h] = await c.retrieveProperties({
        propSet: [{ type: "HostSystem", pathSet: ["parent"] }],
        objectSet: [{ obj: templateHost }],
      });
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
          objectSet: [
            {
              obj: hostFolder,
              skip: true,
              selectSet: [
                { name: "children", type: "Folder", path: "childEntity", skip: false, selectSet: ["children"] },
              ],
            },
          ],
        })
      : [];
    const first = crs.find((o) => o.props["resourcePool"]);
    if (!first) this.fail(`no resource pool found in ${datacenter}/host; set \`cluster\` or \`resourcePool\``);
    return first!.props["resourcePool"] as MoRef;
  }

  private async rootPool(computeResource: MoRef): Promise<MoRef> {
    const [o] = await this.client.retrieveProperties({
      propSet: [{ type: computeResource.type, pathSet: ["resourcePool"] }],
      objectSet: [{ obj: computeResource }],
    });
    return o.props["resourcePool"] as MoRef;
  }

  /**
   * A clone into a cluster with DRS off must name a host (InvalidArgument spec.location.host otherwise): the
   * template's own host when it is in that cluster, else the first connected host not in maintenance mode.
   */
  private async hostForPool(pool: MoRef, templateHost: MoRef | undefined): Promise<MoRef | undefined> {
    const c = this.client;
    const [p] = await c.retrieveProperties({
      propSet: [{ type: pool.type, pathSet: ["owner"] }],
      objectSet: [{ obj: pool }],
    });
    const owner = p?.props["owner"] as MoRef | undefined;
    if (owner?.type !== "ClusterComputeResource") return undefined;
    const [cl] = await c.retrieveProperties({
      propSet: [{ type: owner.type, pathSet: ["configurationEx", "host"] }],
      objectSet: [{ obj: owner }],
    });
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
    const usable = states.find(
      (h) => h.props["runtime.connectionState"] === "connected" && h.props["runtime.inMaintenanceMode"] !== true,
    );
    if (!usable)
      this.fail(`cluster ${owner.value} has DRS off and no connected host outside maintenance mode to clone onto`);
    return usable!.obj;
  }

  /** The key of the folder ownership attribute; undefined when it is not defined (no folder is marked then). */
  private async folderOwnerKey(define: boolean): Promise<number | undefined> {
    if (this.ownerKey !== undefined) return this.ownerKey;
    if (define) this.ownerKey = await this.client.ensureCustomFieldDef(OWNER_KEY, "Folder");
    else {
      const mgr = await this.client.customFieldsManager().catch(() => undefined);
      if (!mgr) return undefined;
      const [o] = await this.client.retrieveProperties({
        propSet: [{ type: "CustomFieldsManager", pathSet: ["field"] }],
        objectSet: [{ obj: mgr }],
      });
      const defs = (o?.props["field"] ?? []) as Array<{ key?: unknown; name?: unknown }>;
      const def = defs.find((d) => d.name === OWNER_KEY);
      this.ownerKey = def === undefined ? undefined : Number(def.key);
    }
    return this.ownerKey;
  }
  private ownerKey: number | undefined;

  /** The folder and its direct children in one round trip; undefined when the folder is gone. */
  private async readFolder(folder: MoRef) {
    try {
      return await this.client.retrieveProperties({
        // ManagedEntity (subtypes included) so that a vApp or any other child shows up: vCenter's Destroy_Task on
        // the folder would take it along.
        propSet: [
          { type: "ManagedEntity", pathSet: ["name"] },
          { type: "Folder", pathSet: ["customValue"] },
          { type: "VirtualMachine", pathSet: VM_PROPS },
        ],
        objectSet: [
          {
            obj: folder,
            skip: false,
            selectSet: [{ name: "children", type: "Folder", path: "childEntity", skip: false }],
          },
        ],
      });
    } catch (err) {
      if (isFault(err, "ManagedObjectNotFound")) return undefined;
      throw err;
    }
  }

  /** Everything a create needs to decide, read before anything is changed (also what check() shows for adopt). */
  async survey(placement: Placement): Promise<{ folder?: MoRef; plan: CreatePlan }> {
    const name = this.prefix;
    const folderPath = `${this.spec.datacenter}/vm/${this.spec.folder}`;
    const existing = await this.client.findChild(placement.parentFolder, name);
    const survey: CreateSurvey = { folderPath, folderExists: false, vms: [], otherObjects: [] };
    if (existing) {
      if (existing.type !== "Folder")
        this.fail(`"${folderPath}" is a ${existing.type}, not a folder; choose another folder`);
      const contents = (await this.readFolder(existing)) ?? [];
      survey.folderExists = true;
      const self = contents.find((o) => o.obj.value === existing.value);
      survey.folderOwner = customValue(self?.props["customValue"], await this.folderOwnerKey(false));
      for (const o of contents) {
        if (o === self) continue;
        if (o.obj.type === "VirtualMachine") survey.vms.push(toObserved(this.prefix, o.obj, o.props));
        else survey.otherObjects.push(String(o.props["name"] ?? o.obj.value));
      }
    }
    return {
      folder: existing,
      plan: planCreate(desiredOf(this.spec), this.spec.owner, this.spec.adopt === true, survey),
    };
  }

  /**
   * Creates the group: refuses (changing nothing) what planCreate refuses; with adopt, refuses too when the plan
   * differs from `plannedLines` (what preview showed). Then creates and marks the folder (unless adopted), marks
   * the adopted VMs, and reconciles. `onFolder` learns the folder as soon as it exists, for partial-failure state.
   */
  async create(
    placement: Placement,
    opts: { plannedLines?: string[]; onFolder?: (f: MoRef, created: boolean) => void } = {},
  ): Promise<CreatedGroup> {
    const { folder: existing, plan } = await this.survey(placement);
    if (plan.refusal) this.fail(plan.refusal);
    if (this.spec.adopt && opts.plannedLines && JSON.stringify(opts.plannedLines) !== JSON.stringify(plan.lines)) {
      this.fail(`what exists changed since the plan was made; run preview again. Now: ${plan.lines.join("; ")}`);
    }
    const folder = existing ?? (await this.createOwnedFolder(placement.parentFolder));
    opts.onFolder?.(folder, plan.folderCreated);
    for (const vm of plan.adopted) await this.mark(vmRef(vm.moref));
    this.adoptedRecord.push(
      ...[...plan.members, ...plan.adopted].map((v) => ({ index: v.index, instanceUuid: v.instanceUuid })),
    );
    const record: GroupRecord = {
      owner: this.spec.owner,
      folderCreated: plan.folderCreated,
      vms: [...this.adoptedRecord],
    };
    return { folder, folderCreated: plan.folderCreated, vms: await this.reconcile(folder, record, placement) };
  }

  /**
   * Creates the group folder, marked, so that an interruption leaves either no folder or one provably ours.
   * CreateFolder is not a task: a lost answer leaves nothing to find it by, and a folder then found under the
   * group's name could be anyone's (ownership is never inferred from a name). So the folder is made under a name
   * only this call knows (the group's name and a random suffix), a lost answer is resolved by looking up that name,
   * and the folder is marked and only then renamed to the group's name (Rename_Task: a lost answer is found among
   * the folder's recent tasks). Should marking or renaming fail, the temporary folder (ours, empty) is removed.
   */
  private async createOwnedFolder(parent: MoRef): Promise<MoRef> {
    const key = (await this.folderOwnerKey(true))!;
    // vCenter names are at most 80 characters; the suffix is what makes the name ours.
    const suffix = `.creating-${randomBytes(6).toString("hex")}`;
    const temp = escapeEntityName(unescapeEntityName(this.prefix).slice(0, 80 - suffix.length) + suffix);
    let folder: MoRef;
    try {
      folder = await this.client.createFolder(parent, unescapeEntityName(temp));
    } catch (err) {
      if (!(err instanceof TransportError) || provesNotSent(err)) throw err;
      const found = await this.client.findChild(parent, temp);
      if (found?.type !== "Folder") throw err;
      folder = found;
    }
    let renaming = false;
    try {
      await this.client.setCustomField(folder, key, this.spec.owner);
      renaming = true;
      await this.client.rename(folder, this.prefix);
    } catch (err) {
      await this.client.destroy(folder).catch(() => undefined);
      // Made by someone else between the survey and now (vcsim says InvalidArgument): not ours.
      if (renaming && (isFault(err, "DuplicateName") || isFault(err, "InvalidArgument"))) {
        this.fail(
          `folder ${this.spec.datacenter}/vm/${this.spec.folder} was created by someone else just now; run preview again`,
        );
      }
      throw err;
    }
    return folder;
  }

  private mark(vm: MoRef): Promise<void> {
    return this.client.reconfigVM(vm, { extraConfig: [{ key: OWNER_KEY, value: this.spec.owner }] });
  }

  /**
   * The group as it stands: its VMs (recorded in `record` and carrying its marker) wherever they are, the rest of
   * the folder, and what was lost. Undefined when the folder no longer exists (or its id now names an unrelated
   * folder). A folder renamed outside Pulumi is still found (by id) and reported by its new name.
   */
  async read(folder: MoRef, record: GroupRecord): Promise<GroupView | undefined> {
    const contents = await this.readFolder(folder);
    const self = contents?.find((o) => o.obj.type === "Folder" && o.obj.value === folder.value);
    if (!contents || !self) return undefined;
    const vms = contents
      .filter((o) => o.obj.type === "VirtualMachine")
      .map((o) => toObserved(this.prefix, o.obj, o.props));
    const others = contents
      .filter((o) => o !== self && o.obj.type !== "VirtualMachine")
      .map((o) => String(o.props["name"] ?? o.obj.value));
    const { own, others: otherVms } = claimRecorded(record, vms.filter((v) => !v.template).map(strip));
    const folderName = String(self.props["name"] ?? "");
    if (folderName !== this.prefix && !own.length) {
      // Renamed, or an unrelated folder that reuses the id (a restarted simulator): only the marker tells.
      const owner = customValue(self.props["customValue"], await this.folderOwnerKey(false));
      if (owner !== this.spec.owner) return undefined;
    }
    const foreign = [...otherVms.map((v) => v.name), ...vms.filter((v) => v.template).map((v) => v.name), ...others];
    // Recorded VMs not in the folder: moved elsewhere, released (marker removed) or deleted.
    const seen = new Set(vms.map((v) => v.instanceUuid));
    const missing = record.vms.filter((r) => !seen.has(r.instanceUuid));
    const deleted: RecordedVm[] = [];
    const released: Array<RecordedVm & { name: string }> = [];
    for (const r of missing) {
      const where = await this.findElsewhere(r.instanceUuid);
      if (!where) deleted.push(r);
      else {
        const [vm] = claimRecorded(record, [where.vm]).own;
        if (vm) own.push({ ...vm, movedTo: where.folderName });
        else released.push({ ...r, name: where.vm.name });
      }
    }
    for (const o of otherVms.filter((v) => record.vms.some((r) => r.instanceUuid === v.instanceUuid))) {
      const r = record.vms.find((x) => x.instanceUuid === o.instanceUuid)!;
      released.push({ ...r, name: o.name });
    }
    own.sort((a, b) => a.index - b.index);
    return { folderName, own, foreign, deleted, released };
  }

  private async findElsewhere(uuid: string): Promise<{ vm: ObservedVm; folderName: string } | undefined> {
    const dc = await this.client.findByInventoryPath(inventoryPath(this.spec.datacenter));
    const ref = await this.client.findVmByInstanceUuid(uuid, dc);
    if (!ref) return undefined;
    const [o] = await this.client
      .retrieveProperties({ propSet: [{ type: "VirtualMachine", pathSet: VM_PROPS }], objectSet: [{ obj: ref }] })
      .catch(() => []);
    if (!o) return undefined;
    const parent = o.props["parent"] as MoRef | undefined;
    const [p] = parent
      ? await this.client
          .retrieveProperties({ propSet: [{ type: "ManagedEntity", pathSet: ["name"] }], objectSet: [{ obj: parent }] })
          .catch(() => [])
      : [];
    return {
      vm: strip(toObserved(this.prefix, ref, o.props)),
      folderName: String(p?.props["name"] ?? parent?.value ?? "?"),
    };
  }

  private async readVm(vm: MoRef): Promise<ObservedVm> {
    const [o] = await this.client.retrieveProperties({
      propSet: [{ type: "VirtualMachine", pathSet: VM_PROPS }],
      objectSet: [{ obj: vm }],
    });
    if (!o) throw new GroupError(`VmGroup "${this.spec.label}": VM ${vm.value} vanished while it was being configured`);
    return strip(toObserved(this.prefix, vm, o.props));
  }

  /**
   * Brings the group to the spec, acting only on its own VMs: removes extra VMs (highest index first), clones
   * missing ones and converges every VM's hardware and power state, at most `maxConcurrency` operations at a time
   * and at most `maxUnavailable` VMs down for a power cycle at once. Steps that fail do not stop the others; the
   * error then carries the group as it stands so the caller can record it. Notes (e.g. a forced power-off) go
   * to `this.notes`.
   */
  async reconcile(
    folder: MoRef,
    record: GroupRecord,
    placement: Placement | (() => Promise<Placement>),
  ): Promise<ObservedVm[]> {
    const desired = desiredOf(this.spec);
    const current = await this.read(folder, record);
    if (!current) this.fail(`folder ${folder.value} disappeared during the update`);
    // State from before markers, or an owner id that changed (the resource renamed with an alias): mark the
    // recorded VMs with the current id, then claim by it.
    for (const vm of current!.own.filter((v) => v.owner !== this.spec.owner)) await this.mark(vmRef(vm.moref));
    record = { ...record, owner: this.spec.owner, unmarked: false };
    const plan = planGroup(desired, current!.own);
    const limit = this.spec.maxConcurrency;
    const failures: string[] = [];
    const collect = (results: PromiseSettledResult<unknown>[], what: (i: number) => string) =>
      results.forEach(
        (r, i) => r.status === "rejected" && failures.push(`${what(i)}: ${(r.reason as Error).message ?? r.reason}`),
      );

    collect(await mapLimit(plan.remove, limit, (vm) => this.removeVm(vm)), (i) => `remove ${plan.remove[i].name}`);

    let resolved: Placement | undefined;
    if (plan.create.length) resolved = typeof placement === "function" ? await placement() : placement;
    // Power cycles take VMs down: at most maxUnavailable at once, each back up before the next goes down.
    const cycles = plan.converge.filter(
      (s) => s.reconfigure?.powerCycle && s.vm.powerState === "poweredOn" && s.power !== "off",
    );
    const rest = plan.converge.filter((s) => !cycles.includes(s));
    // The bound is on operations, not on VMs: a VM whose clone is done frees its slot for the next clone while it
    // queues for its reconfigure and power-on (ahead of clones not yet started, so VMs finish in order). Holding a
    // slot for a VM's whole clone -> reconfigure -> power-on chain left clone slots idle for the follow-up steps.
    const gate = new OperationGate(limit);
    const work: Array<{ label: string; run: () => Promise<void> }> = [
      ...plan.create.map((index) => ({
        label: `create ${vmName(desired.prefix, index)}`,
        run: () => this.createVm(folder, resolved!, index, gate),
      })),
      ...rest.map((step) => ({
        label: `update ${step.vm.name}`,
        run: () => gate.run(NEW_WORK, () => this.applyStep(step)),
      })),
    ];
    const cycleWork = cycles.map((step) => ({ label: `update ${step.vm.name}`, run: () => this.applyStep(step) }));
    const [a, b] = await Promise.all([
      Promise.allSettled(work.map((w) => w.run())),
      mapLimit(cycleWork, Math.min(this.spec.maxUnavailable ?? 1, limit), (w) => w.run()),
    ]);
    collect(a, (i) => work[i].label);
    collect(b, (i) => cycleWork[i].label);

    const after = (await this.read(folder, { ...record, vms: [...record.vms, ...this.created] }))?.own ?? [];
    if (failures.length) {
      throw new PartialGroupError(
        `VmGroup "${this.spec.label}": ${failures.length} of ${plan.remove.length + work.length + cycleWork.length} operations failed: ${failures.join("; ")}`,
        after,
      );
    }
    return after;
  }

  /** VMs a create started with (from an interrupted create, or adopted), for partial-failure state. */
  readonly adoptedRecord: RecordedVm[] = [];
  /** VMs cloned by this manager, so reads after a clone count them as recorded. */
  readonly created: RecordedVm[] = [];
  /** What happened that a user should know (forced power-offs), for lastMessage. */
  readonly notes: string[] = [];

  private async createVm(folder: MoRef, placement: Placement, index: number, gate: OperationGate): Promise<void> {
    const name = vmName(this.prefix, index);
    // A VM of that name already in the folder is not taken: vCenter refuses the clone (DuplicateName) and the
    // error names it. Ownership comes from the marker set here, never from the name.
    const vm = await gate.run(NEW_WORK, () =>
      this.client.cloneVM(placement.template, folder, name, {
        pool: placement.pool,
        host: placement.host,
        datastore: placement.datastore,
        numCPUs: this.spec.cpu,
        memoryMB: this.spec.memoryMB,
        powerOn: false,
        extraConfig: [{ key: OWNER_KEY, value: this.spec.owner }],
      }),
    );
    let observed = await this.readVm(vm);
    // Clone-time config is not honoured everywhere (vcsim ignores it): check, then set the marker (with the
    // hardware change when there is one: one task, not two) and converge. Recorded at once, marked or not, so a
    // failure from here on leaves a VM the state knows (and destroy removes).
    const unmarked = observed.owner !== this.spec.owner;
    this.created.push({ index, instanceUuid: observed.instanceUuid, ...(unmarked ? { markPending: true } : {}) });
    observed = { ...observed, owner: this.spec.owner };
    const step = convergeStep({ ...observed, index }, { ...this.spec, powerState: this.spec.powerState ?? "on" });
    await gate.run(FOLLOW_UP, async () => {
      if (unmarked && !step?.reconfigure) await this.mark(vm);
      if (step) await this.applyStep(step, unmarked);
    });
  }

  private async applyStep(step: ConvergeStep, mark = false): Promise<void> {
    const vm = vmRef(step.vm.moref);
    // Suspended counts as not stopped: vCenter reconfigures only powered-off VMs (or hot-adds on running ones).
    const stopped = step.vm.powerState === "poweredOff";
    if (step.reconfigure) {
      const mustStop = !stopped && (step.reconfigure.powerCycle || step.power === "off");
      if (mustStop) await this.stop(vm, step.vm.name);
      await this.client.reconfigVM(vm, {
        numCPUs: step.reconfigure.numCPUs,
        memoryMB: step.reconfigure.memoryMB,
        ...(mark ? { extraConfig: [{ key: OWNER_KEY, value: this.spec.owner }] } : {}),
      });
      if (step.power === "on") await this.powerOn(vm);
      return;
    }
    if (step.power === "on") await this.powerOn(vm);
    if (step.power === "off") await this.stop(vm, step.vm.name);
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

  /**
   * Shuts the guest down (ShutdownGuest), waits up to shutdownTimeoutSeconds (default 180, as
   * terraform-provider-vsphere's shutdown_wait_timeout) for it to power off, and powers it off hard if it does not
   * or if the guest cannot be asked (no VMware Tools: ToolsUnavailable; suspended: InvalidPowerState).
   */
  private async stop(vm: MoRef, name: string): Promise<void> {
    const timeoutMs = (this.spec.shutdownTimeoutSeconds ?? DEFAULT_SHUTDOWN_TIMEOUT_SECONDS) * 1000;
    if (timeoutMs > 0) {
      let asked = true;
      try {
        await this.client.shutdownGuest(vm);
      } catch (err) {
        if (!(err instanceof VimFault)) throw err;
        asked = false;
        if (!isFault(err, "InvalidPowerState"))
          this.notes.push(`${name}: guest shutdown refused (${(err as VimFault).fault}), powered off`);
      }
      if (asked) {
        if (await this.waitPoweredOff(vm, timeoutMs)) return;
        this.notes.push(`${name}: guest did not shut down within ${timeoutMs / 1000} s, powered off`);
      }
    }
    await this.powerOff(vm);
  }

  private async waitPoweredOff(vm: MoRef, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      const [o] = await this.client.retrieveProperties({
        propSet: [{ type: "VirtualMachine", pathSet: ["runtime.powerState"] }],
        objectSet: [{ obj: vm }],
      });
      if (o?.props["runtime.powerState"] === "poweredOff") return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(delay, Math.max(deadline - Date.now(), 0)));
    }
  }

  private async removeVm(vm: ObservedVm): Promise<void> {
    const ref = vmRef(vm.moref);
    try {
      if (vm.powerState !== "poweredOff") await this.stop(ref, vm.name);
      await this.client.destroy(ref);
    } catch (err) {
      if (!isFault(err, "ManagedObjectNotFound")) throw err; // already gone
    }
  }

  /**
   * Removes the group's own VMs (recorded and marked, wherever they are), then the folder only when the group
   * created it and it is empty. Everything else stays: other VMs, templates, vApps, sub-folders, and a folder the
   * group adopted. vcsim does not destroy a folder's VMs with the folder, and a real vCenter would destroy them
   * all: so the folder goes last, and only empty.
   */
  async destroy(folder: MoRef, record: GroupRecord): Promise<{ folderKept?: string }> {
    const current = await this.read(folder, record);
    // The folder is gone: its VMs may still exist elsewhere (vcsim orphans them; or moved).
    const own = current?.own ?? (await this.findRecordedAnywhere(record));
    const results = await mapLimit(
      [...own].sort((a, b) => b.index - a.index),
      this.spec.maxConcurrency,
      (vm) => this.removeVm(vm),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length)
      this.fail(
        `could not remove ${failed.length} VM(s): ${failed.map((f) => (f.reason as Error).message).join("; ")}`,
      );
    if (!current) return {};
    if (!record.folderCreated) return { folderKept: "adopted: the group did not create it" };
    const left = (await this.readFolder(folder))?.filter((o) => o.obj.value !== folder.value) ?? [];
    if (left.length)
      return {
        folderKept: `it holds objects the group does not own (${left.map((o) => String(o.props["name"] ?? o.obj.value)).join(", ")})`,
      };
    try {
      await this.client.destroy(folder);
    } catch (err) {
      if (!isFault(err, "ManagedObjectNotFound")) throw err;
    }
    return {};
  }

  private async findRecordedAnywhere(record: GroupRecord): Promise<ObservedVm[]> {
    const out: ObservedVm[] = [];
    for (const r of record.vms) {
      const where = await this.findElsewhere(r.instanceUuid);
      const [vm] = where ? claimRecorded(record, [where.vm]).own : [];
      if (vm) out.push(vm);
    }
    return out;
  }
}

export const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 180;

/** Gate priorities: a started VM's next step goes before work not yet begun. */
const NEW_WORK = 0;
const FOLLOW_UP = 1;

/**
 * At most `limit` operations at once; waiters are served highest priority first, in arrival order within one
 * priority. A released slot passes straight to the next waiter, so no newcomer slips in between.
 */
export class OperationGate {
  private active = 0;
  private readonly waiting: Array<{ priority: number; go: () => void }> = [];
  /** The most operations seen at once. */
  peak = 0;

  constructor(readonly limit: number) {}

  async run<T>(priority: number, fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((go) => {
        const at = this.waiting.findIndex((w) => w.priority < priority);
        this.waiting.splice(at < 0 ? this.waiting.length : at, 0, { priority, go });
      });
    } else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next.go();
      else this.active--;
    }
  }
}
