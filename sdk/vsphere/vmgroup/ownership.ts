// Who owns what: a VM group's ownership is recorded, never inferred from a name.
//
// Where the record lives:
// - On each VM, the extraConfig key OWNER_KEY holding the owner id (the Pulumi URN of the resource, which names
//   project, stack and resource). extraConfig rather than a custom attribute because vCenter applies it with the
//   clone itself (CloneSpec.config.extraConfig), so no VM of ours ever exists unmarked, it needs no global field
//   definition or Global.* privilege, and it travels with the VM (vMotion, re-registration). vcsim 0.46 drops
//   clone-time config, so the group checks after the clone and sets it with ReconfigVM_Task when missing.
//   Tags are not used: they live in the vAPI REST endpoint (another session and API), which vcsim's SOAP lacks.
// - On the folder, a custom attribute of the same name (folders have no extraConfig); it needs the privileges
//   Global.ManageCustomFields (once, to define it) and Global.SetCustomField.
// - In the Pulumi state: the owner id, the instance UUID and index of every VM, and whether the group created its
//   folder. A VM is the group's only when both agree (UUID recorded and marker present): a hand-made copy of a
//   group VM carries the marker but a new instance UUID, and a VM whose marker was removed is let go.
import type { ConvergeStep, DesiredGroup, GroupPlan, ObservedVm } from "./model";
import { vmIndex, vmName } from "./names";
import { planGroup } from "./planner";

export const OWNER_KEY = "pulumi-vmware-kit.owner";

/** A VM as the state records it. */
export interface RecordedVm {
  index: number;
  instanceUuid: string;
  /**
   * Cloned by the group but not yet marked (vcsim drops clone-time config, and the marking reconfigure may fail):
   * the recorded UUID, taken from the clone's result, proves it is the group's; the next update marks it.
   */
  markPending?: boolean;
}

/** What the Pulumi state says the group owns. */
export interface GroupRecord {
  /** Owner id written into the markers (the resource's URN). */
  owner: string;
  vms: RecordedVm[];
  /** The group created its folder (so it may remove it once empty); false when it adopted an existing one. */
  folderCreated: boolean;
  /**
   * State written before markers existed: the recorded UUIDs alone prove ownership, and the next update marks
   * those VMs.
   */
  unmarked?: boolean;
  /** Clones the group gave up waiting for (a time limit), still to be settled: see PendingClone. */
  pendingClones?: PendingClone[];
}

/**
 * A clone whose wait ended before its task did (the `timeouts` limit or the task timeout): the task was asked to
 * cancel, but vSphere's CancelTask is a request ("if the task is cancelable"), so the clone may still complete.
 * The task proves what it made: a success result is the group's VM (claimed by index, marked at the next
 * update); an error ends it. A cancelled task is followed until it reports success or vCenter forgets it.
 */
export interface PendingClone {
  index: number;
  /** The CloneVM_Task's managed object id (Task:<task>). */
  task: string;
}

/** The value of `key` in a decoded config.extraConfig (an array of OptionValue). */
export function extraConfigValue(extraConfig: unknown, key: string): string | undefined {
  const list = Array.isArray(extraConfig) ? extraConfig : extraConfig ? [extraConfig] : [];
  const hit = list.find((o) => o && typeof o === "object" && (o as { key?: unknown }).key === key) as
    { value?: unknown } | undefined;
  return hit?.value === undefined || hit.value === "" ? undefined : String(hit.value);
}

/** The value of custom attribute `key` in a decoded ManagedEntity.customValue. */
export function customValue(values: unknown, key: number | undefined): string | undefined {
  if (key === undefined) return undefined;
  const list = Array.isArray(values) ? values : values ? [values] : [];
  const hit = list.find((o) => o && typeof o === "object" && Number((o as { key?: unknown }).key) === key) as
    { value?: unknown } | undefined;
  return hit?.value === undefined || hit.value === "" ? undefined : String(hit.value);
}

/** The group's VMs among `vms` (indexes from the record) and everything else. */
export function claimRecorded(record: GroupRecord, vms: ObservedVm[]): { own: ObservedVm[]; others: ObservedVm[] } {
  const byUuid = new Map(record.vms.map((r) => [r.instanceUuid, r]));
  const own: ObservedVm[] = [];
  const others: ObservedVm[] = [];
  for (const vm of vms) {
    const r = byUuid.get(vm.instanceUuid);
    if (r && (vm.owner === record.owner || ((record.unmarked || r.markPending) && vm.owner === undefined)))
      own.push({ ...vm, index: r.index });
    else others.push(vm);
  }
  own.sort((a, b) => a.index - b.index);
  return { own, others };
}

/** What a create finds in place, read before anything is changed. */
export interface CreateSurvey {
  /** Inventory path of the group folder, for messages, e.g. "DC0/vm/web". */
  folderPath: string;
  folderExists: boolean;
  /** Owner marker of the existing folder. */
  folderOwner?: string;
  /** VMs directly in the existing folder (with their markers); templates included (config.template true). */
  vms: Array<ObservedVm & { template?: boolean }>;
  /** Names of every other object in the folder (sub-folders, vApps). */
  otherObjects: string[];
}

export interface CreatePlan {
  /** The group creates the folder (it did not exist, or this group's marker is on it from an interrupted create). */
  folderCreated: boolean;
  /** VMs the group starts with: its own from an interrupted create, plus those adopted. */
  members: ObservedVm[];
  /** Existing VMs taken over by `adopt` (they get the group's marker). */
  adopted: ObservedVm[];
  /** Everything in the folder the group leaves exactly as it is. */
  kept: string[];
  plan: GroupPlan;
  /** Why the create must not go ahead; nothing has been changed. */
  refusal?: string;
  /** The plan in words, one line per object: shown in `preview --diff` as `plannedAdoption`. */
  lines: string[];
}

const list = (names: string[]) => names.map((n) => `"${n}"`).join(", ");

/**
 * Decides what a create (or an adoption) does with what exists. Without adopt, it refuses a folder or a VM in one
 * of the group's slots (`<prefix>-<index>` below replicas) that is not marked as this group's. With adopt, it uses
 * the folder as is (never removing it) and takes over the unmarked VMs in the group's slots; VMs beyond `replicas`,
 * other names, templates and other objects are kept untouched, and a VM marked by another owner is never taken.
 */
export function planCreate(desired: DesiredGroup, owner: string, adopt: boolean, survey: CreateSurvey): CreatePlan {
  const { folderPath } = survey;
  const ours = survey.folderExists && survey.folderOwner === owner;
  const folderCreated = !survey.folderExists || ours;
  const members: ObservedVm[] = [];
  const adopted: ObservedVm[] = [];
  const kept: string[] = [...survey.otherObjects];
  const problems: string[] = [];
  const unadopted: string[] = [];
  for (const vm of survey.vms) {
    const index = vmIndex(desired.prefix, vm.name);
    if (vm.owner === owner && index !== undefined && !vm.template) {
      members.push({ ...vm, index });
      continue;
    }
    const inSlot = index !== undefined && index < desired.replicas;
    if (!inSlot) {
      kept.push(vm.name);
    } else if (vm.owner !== undefined && vm.owner !== owner) {
      problems.push(
        `VM "${vm.name}" in ${folderPath} belongs to another group (its marker names ${vm.owner}); it is never taken over`,
      );
    } else if (vm.template) {
      problems.push(`"${vm.name}" in ${folderPath} is a template, not a VM the group can use; rename or remove it`);
    } else if (adopt) {
      adopted.push({ ...vm, index: index! });
    } else {
      unadopted.push(vm.name);
    }
  }
  if (survey.folderExists && !ours && !adopt) {
    const held = [...survey.vms.map((v) => v.name), ...survey.otherObjects];
    problems.unshift(
      `folder ${folderPath} already exists and was not created by this group (${survey.folderOwner ? `its marker names ${survey.folderOwner}` : "it carries no ownership marker"})` +
        `${held.length ? `; it holds ${list(held)}` : ""}. Set adopt: true to use it (preview --diff then lists every change adoption makes), or choose another folder`,
    );
  } else if (unadopted.length) {
    problems.push(
      `${list(unadopted)} in ${folderPath} exist and are not marked as this group's; set adopt: true to take them over, or remove them`,
    );
  }
  const all = [...members, ...adopted].sort((a, b) => a.index - b.index);
  const plan = planGroup(desired, all);
  const lines: string[] = [];
  lines.push(
    !survey.folderExists
      ? `folder ${folderPath}: create`
      : ours
        ? `folder ${folderPath}: created by this group earlier (an interrupted create); continue`
        : `folder ${folderPath}: exists; use it as is (the group never removes it)`,
  );
  const steps = new Map(plan.converge.map((s) => [s.vm.instanceUuid, s]));
  for (const vm of members)
    lines.push(
      `${vm.name} (${vm.moref}): created by this group earlier; ${describeStep(steps.get(vm.instanceUuid), desired)}`,
    );
  for (const vm of adopted)
    lines.push(
      `${vm.name} (${vm.moref}): adopt (mark as this group's); ${describeStep(steps.get(vm.instanceUuid), desired)}`,
    );
  for (const vm of plan.remove) lines.push(`${vm.name} (${vm.moref}): remove (beyond replicas)`);
  if (plan.create.length) lines.push(`clone ${plan.create.map((i) => vmName(desired.prefix, i)).join(", ")}`);
  if (kept.length) lines.push(`keep as is (not declared, never touched): ${kept.join(", ")}`);
  return {
    folderCreated,
    members,
    adopted,
    kept,
    plan,
    lines,
    ...(problems.length ? { refusal: problems.join("; ") } : {}),
  };
}

/** "no change", "power on (now poweredOff)", "cpu 1 => 2 (guest shutdown, reconfigure, power on)". */
export function describeStep(step: ConvergeStep | undefined, desired: Pick<DesiredGroup, "cpu" | "memoryMB">): string {
  if (!step) return "no change";
  const r = step.reconfigure;
  const now = `now ${step.vm.powerState}`;
  if (!r) return step.power === "on" ? `power on (${now})` : `power off (guest shutdown; ${now})`;
  const what = [
    r.numCPUs !== undefined && `cpu ${step.vm.cpu} => ${desired.cpu}`,
    r.memoryMB !== undefined && `memoryMB ${step.vm.memoryMB} => ${desired.memoryMB}`,
  ]
    .filter(Boolean)
    .join(", ");
  if (r.powerCycle) return `${what} (guest shutdown, reconfigure${step.power === "on" ? ", power on" : ""})`;
  if (step.power === "off") return `${what}; power off first (guest shutdown; ${now})`;
  if (step.power === "on") return `${what}; then power on (${now})`;
  return what;
}
