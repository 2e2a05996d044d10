// Pure planning for a VM group: what to clone, reconfigure, power and remove, given what vCenter shows.
// No I/O here, so every rule (naming, scale-down order, when vCenter needs a power cycle) is unit-tested directly.

export type PowerState = "poweredOn" | "poweredOff" | "suspended";

export interface ObservedVm {
  name: string;
  moref: string;
  index: number;
  powerState: PowerState;
  cpu: number;
  memoryMB: number;
  instanceUuid: string;
  cpuHotAddEnabled: boolean;
  cpuHotRemoveEnabled: boolean;
  memoryHotAddEnabled: boolean;
  /** config.hotPlugMemoryLimit / hotPlugMemoryIncrementSize (MB): hot add can only grow to, and in steps of, these. */
  hotPlugMemoryLimitMB?: number;
  hotPlugMemoryIncrementMB?: number;
  /** The ownership marker (extraConfig OWNER_KEY) the VM carries, if any. */
  owner?: string;
  /** Name of the folder the VM sits in, when that is not the group's folder (moved outside Pulumi). */
  movedTo?: string;
}

export interface DesiredGroup {
  /** VM name prefix: the group folder's name. VMs are `<prefix>-<index>`, index from 0. */
  prefix: string;
  replicas: number;
  cpu: number;
  memoryMB: number;
  /** undefined: not declared (only with adopt): each VM keeps the power state it has; new clones are powered on. */
  powerState: "on" | "off" | undefined;
}

export function vmName(prefix: string, index: number): string {
  return `${prefix}-${index}`;
}

/** The index encoded in a VM name of this group, or undefined for a VM the group does not own. */
export function vmIndex(prefix: string, name: string): number | undefined {
  if (!name.startsWith(prefix + "-")) return undefined;
  const rest = name.slice(prefix.length + 1);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : undefined;
}

export interface Reconfigure {
  numCPUs?: number;
  memoryMB?: number;
  /** vCenter refuses this change on a running VM (no hot add/remove, or memory shrinking): power off first. */
  powerCycle: boolean;
}

/** The hardware change a VM needs, and whether vCenter requires it to be powered off for it. */
export function reconfigureFor(vm: ObservedVm, cpu: number, memoryMB: number): Reconfigure | undefined {
  const numCPUs = vm.cpu !== cpu ? cpu : undefined;
  const mem = vm.memoryMB !== memoryMB ? memoryMB : undefined;
  if (numCPUs === undefined && mem === undefined) return undefined;
  const running = vm.powerState === "poweredOn";
  const cpuNeedsOff = numCPUs !== undefined && (numCPUs > vm.cpu ? !vm.cpuHotAddEnabled : !vm.cpuHotRemoveEnabled);
  const memNeedsOff = mem !== undefined && !memoryHotAddable(vm, mem);
  // vCenter refuses any hardware change on a suspended VM (InvalidPowerState), hot add or not.
  const suspended = vm.powerState === "suspended";
  return { numCPUs, memoryMB: mem, powerCycle: suspended || (running && (cpuNeedsOff || memNeedsOff)) };
}

/** Memory never shrinks hot; it grows hot only with hot add on, up to hotPlugMemoryLimit, in whole increments. */
function memoryHotAddable(vm: ObservedVm, memoryMB: number): boolean {
  if (memoryMB < vm.memoryMB || !vm.memoryHotAddEnabled) return false;
  if (vm.hotPlugMemoryLimitMB !== undefined && memoryMB > vm.hotPlugMemoryLimitMB) return false;
  const step = vm.hotPlugMemoryIncrementMB;
  return !step || (memoryMB - vm.memoryMB) % step === 0;
}

export interface ConvergeStep {
  vm: ObservedVm;
  reconfigure?: Reconfigure;
  power?: "on" | "off";
}

export interface GroupPlan {
  /** Indexes to clone, lowest first. */
  create: number[];
  /** Existing VMs whose hardware or power state differs from the spec. */
  converge: ConvergeStep[];
  /** VMs beyond `replicas`, highest index first (ReplicaSet-like, deterministic). */
  remove: ObservedVm[];
}

function wantsPower(vm: ObservedVm, declared: "on" | "off" | undefined, cycled: boolean): "on" | "off" | undefined {
  const isOn = vm.powerState === "poweredOn" && !cycled;
  // Not declared: a power cycle brings a running VM back on; otherwise the VM keeps its state.
  const desired = declared ?? (vm.powerState === "poweredOn" ? "on" : undefined);
  if (desired === "on" && !isOn) return "on";
  if (desired === "off" && vm.powerState !== "poweredOff") return "off";
  return undefined;
}

/** Step needed to bring one existing VM to the spec, or undefined when it already matches. */
export function convergeStep(
  vm: ObservedVm,
  desired: Omit<DesiredGroup, "prefix" | "replicas">,
): ConvergeStep | undefined {
  const reconfigure = reconfigureFor(vm, desired.cpu, desired.memoryMB);
  // A VM that will be off anyway needs no cycle: power it off first, reconfigure, leave it off.
  if (reconfigure && desired.powerState === "off") reconfigure.powerCycle = false;
  const power = wantsPower(vm, desired.powerState, reconfigure?.powerCycle ?? false);
  if (!reconfigure && !power) return undefined;
  return { vm, reconfigure, power };
}

export function planGroup(desired: DesiredGroup, observed: ObservedVm[]): GroupPlan {
  const byIndex = new Map(observed.map((vm) => [vm.index, vm]));
  const create: number[] = [];
  const converge: ConvergeStep[] = [];
  for (let i = 0; i < desired.replicas; i++) {
    const vm = byIndex.get(i);
    if (!vm) create.push(i);
    else {
      const step = convergeStep(vm, desired);
      if (step) converge.push(step);
    }
  }
  const remove = observed.filter((vm) => vm.index >= desired.replicas).sort((a, b) => b.index - a.index);
  return { create, converge, remove };
}

/** The VM's hardware and power differences from the spec, as observed values ({} when it matches). */
export function vmDrift(vm: ObservedVm, desired: Omit<DesiredGroup, "prefix" | "replicas">): VmDrift {
  const d: VmDrift = {};
  if (vm.cpu !== desired.cpu) d.cpu = vm.cpu;
  if (vm.memoryMB !== desired.memoryMB) d.memoryMB = vm.memoryMB;
  const on = vm.powerState === "poweredOn";
  if (desired.powerState !== undefined && on !== (desired.powerState === "on")) d.powerState = vm.powerState;
  return d;
}

/**
 * One VM's drift. cpu, memoryMB and powerState are the observed values where they differ from the spec (`up`
 * puts them back); renamedTo, movedTo, deleted and released are reported only: the group never renames, moves or
 * recreates a VM it did not lose, and never takes back a VM whose marker was removed.
 */
export interface VmDrift {
  cpu?: number;
  memoryMB?: number;
  powerState?: PowerState;
  /** The VM's name now, when it was renamed outside Pulumi (it stays in the group under its index). */
  renamedTo?: string;
  /** The folder the VM was moved to outside Pulumi (it stays in the group). */
  movedTo?: string;
  /** The VM is gone (destroyed outside Pulumi): `up` clones its index again. */
  deleted?: true;
  /** The VM is there but no longer carries the group's marker: it is not the group's any more, `up` clones a new one. */
  released?: true;
}

/** Drift of the whole group, keyed by the name the group gave each VM; `folder` when its folder was renamed. */
export interface GroupDrift {
  folder?: { renamedTo: string };
  vms?: Record<string, VmDrift>;
}

/** Drift `up` can put back (hardware and power); renames and moves are only reported. */
export function fixableDrift(drift: GroupDrift | undefined): boolean {
  return Object.values(drift?.vms ?? {}).some(
    (d) => d.cpu !== undefined || d.memoryMB !== undefined || d.powerState !== undefined,
  );
}

/** One line per VM, e.g. `web-2: powerState poweredOff (declared on); web-3: renamed to db-1`. */
export function describeDrift(drift: GroupDrift, desired: Omit<DesiredGroup, "prefix" | "replicas">): string {
  const parts: string[] = [];
  if (drift.folder)
    parts.push(`folder renamed outside Pulumi to "${drift.folder.renamedTo}" (still the group's folder)`);
  for (const [name, d] of Object.entries(drift.vms ?? {})) {
    const what: string[] = [];
    if (d.cpu !== undefined) what.push(`cpu ${d.cpu} (declared ${desired.cpu})`);
    if (d.memoryMB !== undefined) what.push(`memoryMB ${d.memoryMB} (declared ${desired.memoryMB})`);
    if (d.powerState !== undefined) what.push(`powerState ${d.powerState} (declared ${desired.powerState})`);
    if (d.renamedTo !== undefined) what.push(`renamed outside Pulumi to "${d.renamedTo}"`);
    if (d.movedTo !== undefined) what.push(`moved outside Pulumi to folder "${d.movedTo}"`);
    if (d.deleted) what.push("deleted outside Pulumi");
    if (d.released) what.push("its ownership marker was removed: no longer the group's, left as is");
    parts.push(`${name}: ${what.join(", ")}`);
  }
  return parts.join("; ");
}

export interface GroupSummary {
  phase: "READY" | "PENDING";
  currentReplicas: number;
  message: string;
}

/** READY when the observed group needs no step at all. */
export function summarize(desired: DesiredGroup, observed: ObservedVm[]): GroupSummary {
  const plan = planGroup(desired, observed);
  const inSpec = observed.filter((vm) => vm.index < desired.replicas).length - plan.converge.length;
  const pending = plan.create.length + plan.converge.length + plan.remove.length;
  return {
    phase: pending === 0 ? "READY" : "PENDING",
    currentReplicas: observed.length,
    message:
      pending === 0
        ? `${observed.length}/${desired.replicas} VMs match the spec`
        : `${inSpec}/${desired.replicas} VMs match the spec; ${plan.create.length} missing, ${plan.converge.length} drifted, ${plan.remove.length} extra`,
  };
}

/**
 * The group's observed size, for refresh: `replicas` is a property of the whole group, so a VM deleted outside
 * Pulumi shows as `replicas: 3 => 2`. cpu, memory and power are per VM and reported per VM (see GroupDrift):
 * one VM powered off is not the group powered off.
 */
export function observedReplicas(observed: ObservedVm[]): number {
  return observed.length;
}

/** Properties whose change forces a new group (new folder, new clones), in the order a diff reports them. */
export const REPLACE_KEYS = ["datacenter", "template", "folder"] as const;
/** Properties an update reconciles in place. */
export const UPDATE_KEYS = [
  "replicas",
  "cpu",
  "memoryMB",
  "powerState",
  "cluster",
  "resourcePool",
  "datastore",
  "maxConcurrency",
  "maxUnavailable",
  "shutdownTimeoutSeconds",
] as const;

export interface GroupDiff {
  replaces: string[];
  updates: string[];
  /** Delete the old group before creating the new one: both would use the same folder and VM names. */
  deleteBeforeReplace: boolean;
}

export function diffGroup(olds: Record<string, unknown>, news: Record<string, unknown>): GroupDiff {
  const same = (k: string) => JSON.stringify(olds[k] ?? null) === JSON.stringify(news[k] ?? null);
  const replaces = REPLACE_KEYS.filter((k) => !same(k));
  const updates: string[] = UPDATE_KEYS.filter((k) => !same(k));
  if (JSON.stringify(olds.connection ?? null) !== JSON.stringify(news.connection ?? null)) updates.push("connection");
  // Drift found by refresh (a VM off, resized) is put back by an update even when no input changed.
  if (fixableDrift(olds.drift as GroupDrift | undefined)) updates.push("drift");
  return {
    replaces,
    updates,
    deleteBeforeReplace: replaces.length > 0 && same("datacenter") && same("folder"),
  };
}
