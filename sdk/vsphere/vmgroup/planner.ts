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
}

export interface DesiredGroup {
  /** VM name prefix: the group folder's name. VMs are `<prefix>-<index>`, index from 0. */
  prefix: string;
  replicas: number;
  cpu: number;
  memoryMB: number;
  powerState: "on" | "off";
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

function wantsPower(vm: ObservedVm, desired: "on" | "off", cycled: boolean): "on" | "off" | undefined {
  const isOn = vm.powerState === "poweredOn" && !cycled;
  if (desired === "on" && !isOn) return "on";
  if (desired === "off" && vm.powerState !== "poweredOff") return "off";
  return undefined;
}

/** Step needed to bring one existing VM to the spec, or undefined when it already matches. */
export function convergeStep(vm: ObservedVm, desired: Omit<DesiredGroup, "prefix" | "replicas">): ConvergeStep | undefined {
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
 * What the group looks like in terms of its own inputs, for refresh: the observed count, and for cpu, memory and
 * power the first value that differs from the declared one (so a drifted VM shows up as a changed input).
 */
export function observedInputs(
  declared: { replicas: number; cpu: number; memoryMB: number; powerState: "on" | "off" },
  observed: ObservedVm[],
): { replicas: number; cpu: number; memoryMB: number; powerState: "on" | "off" } {
  const differing = <T>(values: T[], want: T): T => values.find((v) => v !== want) ?? want;
  const inSpec = observed.filter((vm) => vm.index < declared.replicas || declared.replicas === 0);
  const vms = inSpec.length ? inSpec : observed;
  return {
    replicas: observed.length,
    cpu: differing(vms.map((v) => v.cpu), declared.cpu),
    memoryMB: differing(vms.map((v) => v.memoryMB), declared.memoryMB),
    powerState: differing(vms.map((v) => (v.powerState === "poweredOn" ? "on" : "off") as "on" | "off"), declared.powerState),
  };
}

/** Properties whose change forces a new group (new folder, new clones), in the order a diff reports them. */
export const REPLACE_KEYS = ["datacenter", "template", "folder"] as const;
/** Properties an update reconciles in place. */
export const UPDATE_KEYS = ["replicas", "cpu", "memoryMB", "powerState", "cluster", "resourcePool", "datastore", "maxConcurrency"] as const;

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
  return {
    replaces,
    updates,
    deleteBeforeReplace: replaces.length > 0 && same("datacenter") && same("folder"),
  };
}
