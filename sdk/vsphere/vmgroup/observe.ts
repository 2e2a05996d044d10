// Reads a VM group from vCenter in as few round trips as it can: the folder and its children at once, the group's
// VMs claimed by the state's record and their markers, and recorded VMs found wherever they went.
import type { VimClient } from "../client";
import { isFault } from "../errors";
import type { MoRef, ObjectContent } from "../types";
import { fail, GroupSpec, GroupView, ObservedVm, PowerState } from "./model";
import { folderName, inventoryPath, vmIndex } from "./names";
import {
  claimRecorded,
  CreateSurvey,
  customValue,
  extraConfigValue,
  GroupRecord,
  OWNER_KEY,
  RecordedVm,
} from "./ownership";

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

type SurveyedVm = ObservedVm & { template: boolean };

/** A VM as the group sees it; `index` is the one its name encodes (-1 when none), the record may override it. */
function toObserved(prefix: string, obj: MoRef, p: Record<string, unknown>): SurveyedVm {
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

export class GroupObserver {
  private ownerKey: number | undefined;

  constructor(
    private readonly client: VimClient,
    private readonly spec: Pick<GroupSpec, "label" | "datacenter" | "folder" | "owner">,
  ) {}

  private get prefix() {
    return folderName(this.spec.folder);
  }

  /** The key of the folder ownership attribute; undefined when it is not defined (no folder is marked then). */
  async folderOwnerKey(define: boolean): Promise<number | undefined> {
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

  /** The folder and its direct children in one round trip; undefined when the folder is gone. */
  async readFolder(folder: MoRef): Promise<ObjectContent[] | undefined> {
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

  /** What a create finds under `parentFolder` where the group folder goes, before anything is changed. */
  async survey(parentFolder: MoRef): Promise<{ folder?: MoRef; survey: CreateSurvey }> {
    const name = this.prefix;
    const folderPath = `${this.spec.datacenter}/vm/${this.spec.folder}`;
    const existing = await this.client.findChild(parentFolder, name);
    const survey: CreateSurvey = { folderPath, folderExists: false, vms: [], otherObjects: [] };
    if (existing) {
      if (existing.type !== "Folder")
        fail(this.spec.label, `"${folderPath}" is a ${existing.type}, not a folder; choose another folder`);
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
    return { folder: existing, survey };
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
    const currentName = String(self.props["name"] ?? "");
    if (currentName !== this.prefix && !own.length) {
      // Renamed, or an unrelated folder that reuses the id (a restarted simulator): only the marker tells.
      const owner = customValue(self.props["customValue"], await this.folderOwnerKey(false));
      if (owner !== this.spec.owner) return undefined;
    }
    const foreignVms = [...otherVms.map((v) => v.name), ...vms.filter((v) => v.template).map((v) => v.name)];
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
    return { folderName: currentName, own, foreign: [...foreignVms, ...others], foreignVms, deleted, released };
  }

  /** The recorded VMs that still carry the group's marker, wherever they are (the folder is gone). */
  async findRecordedAnywhere(record: GroupRecord): Promise<ObservedVm[]> {
    const out: ObservedVm[] = [];
    for (const r of record.vms) {
      const where = await this.findElsewhere(r.instanceUuid);
      const [vm] = where ? claimRecorded(record, [where.vm]).own : [];
      if (vm) out.push(vm);
    }
    return out;
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

  /** One VM, e.g. a clone just made. */
  async readVm(vm: MoRef): Promise<ObservedVm> {
    const [o] = await this.client.retrieveProperties({
      propSet: [{ type: "VirtualMachine", pathSet: VM_PROPS }],
      objectSet: [{ obj: vm }],
    });
    if (!o) fail(this.spec.label, `VM ${vm.value} vanished while it was being configured`);
    return strip(toObserved(this.prefix, vm, o.props));
  }
}
