// Pure planning for a VM group: what to clone, reconfigure, power and remove, given what vCenter shows, as the
// ordered operations the executor replays. No I/O here, so every rule (scale-down order, when vCenter needs a
// power cycle, what a VM goes through for it) is unit-tested directly.
import type {
  ConvergeStep,
  DesiredGroup,
  GroupPlan,
  GroupSpec,
  GroupSummary,
  ObservedVm,
  Reconfigure,
  RemoveStep,
  Step,
  VmOperation,
  VmSpec,
} from "./model";
import { folderName, vmName } from "./names";

export function desiredOf(spec: GroupSpec): DesiredGroup {
  return {
    prefix: folderName(spec.folder),
    replicas: spec.replicas,
    cpu: spec.cpu,
    memoryMB: spec.memoryMB,
    powerState: spec.powerState,
  };
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

function wantsPower(vm: ObservedVm, declared: "on" | "off" | undefined, cycled: boolean): "on" | "off" | undefined {
  const isOn = vm.powerState === "poweredOn" && !cycled;
  // Not declared: a power cycle brings a running VM back on; otherwise the VM keeps its state.
  const desired = declared ?? (vm.powerState === "poweredOn" ? "on" : undefined);
  if (desired === "on" && !isOn) return "on";
  if (desired === "off" && vm.powerState !== "poweredOff") return "off";
  return undefined;
}

/**
 * The operations for a change: a VM not powered off (suspended included: vCenter reconfigures only powered-off
 * VMs, or hot-adds on running ones) is stopped first when the change needs a power cycle or the VM is to be off.
 */
function operationsFor(vm: ObservedVm, reconfigure: Reconfigure | undefined, power: "on" | "off" | undefined) {
  const ops: VmOperation[] = [];
  if (!reconfigure) {
    if (power === "on") ops.push({ kind: "powerOn" });
    if (power === "off") ops.push({ kind: "powerOff" });
    return ops;
  }
  if (vm.powerState !== "poweredOff" && (reconfigure.powerCycle || power === "off")) ops.push({ kind: "powerOff" });
  ops.push({ kind: "reconfigure", numCPUs: reconfigure.numCPUs, memoryMB: reconfigure.memoryMB });
  if (power === "on") ops.push({ kind: "powerOn" });
  return ops;
}

/** Step needed to bring one existing VM to the spec, or undefined when it already matches. */
export function convergeStep(vm: ObservedVm, desired: VmSpec): ConvergeStep | undefined {
  const reconfigure = reconfigureFor(vm, desired.cpu, desired.memoryMB);
  // A VM that will be off anyway needs no cycle: power it off first, reconfigure, leave it off.
  if (reconfigure && desired.powerState === "off") reconfigure.powerCycle = false;
  const power = wantsPower(vm, desired.powerState, reconfigure?.powerCycle ?? false);
  if (!reconfigure && !power) return undefined;
  return {
    vm,
    reconfigure,
    power,
    operations: operationsFor(vm, reconfigure, power),
    takesDown: !!reconfigure?.powerCycle && vm.powerState === "poweredOn" && power !== "off",
  };
}

/**
 * What a fresh clone (read back after CloneVM_Task, powered off) still needs: the declared hardware and power
 * (powered on when the power state is not declared), and the ownership marker when vCenter dropped the clone-time
 * config (vcsim does), set with the reconfigure when there is one: one task, not two.
 */
export function afterClone(vm: ObservedVm, desired: VmSpec, marked: boolean): VmOperation[] {
  const step = convergeStep(vm, { ...desired, powerState: desired.powerState ?? "on" });
  const ops = step?.operations ?? [];
  if (marked) return ops;
  if (!ops.some((o) => o.kind === "reconfigure")) return [{ kind: "mark" }, ...ops];
  return ops.map((o) => (o.kind === "reconfigure" ? { ...o, mark: true } : o));
}

/** Removing VMs of the group: highest index first, each stopped (unless powered off) and destroyed. */
export function planRemoval(vms: ObservedVm[]): RemoveStep[] {
  return [...vms]
    .sort((a, b) => b.index - a.index)
    .map((vm) => ({
      vm,
      operations: [...(vm.powerState !== "poweredOff" ? [{ kind: "powerOff" } as const] : []), { kind: "destroy" }],
    }));
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
  const removal = planRemoval(observed.filter((vm) => vm.index >= desired.replicas));
  const steps: Step[] = [
    ...removal.map((s) => ({ kind: "remove" as const, ...s })),
    ...create.map((index) => ({
      kind: "clone" as const,
      index,
      name: vmName(desired.prefix, index),
      numCPUs: desired.cpu,
      memoryMB: desired.memoryMB,
    })),
    ...converge.map((s) => ({ kind: "converge" as const, ...s })),
  ];
  return { steps, create, converge, remove: removal.map((s) => s.vm) };
}

/**
 * The names of planned clones already taken in the folder by a VM or template not the group's (`foreignVms`: made
 * by hand, another group's, or one whose marker was removed). vCenter would refuse each such clone (DuplicateName)
 * after the other steps ran, so an update refuses them all first; the group never takes them over. (Another kind
 * of object under the name, e.g. a folder, is rarer: vCenter refuses that clone alone and the rest is recorded.)
 */
export function blockedClones(plan: Pick<GroupPlan, "steps">, foreignVms: string[]): string[] {
  const held = new Set(foreignVms);
  return plan.steps.flatMap((s) => (s.kind === "clone" && held.has(s.name) ? [s.name] : []));
}

/** READY when the observed group needs no step at all. */
export function summarize(desired: DesiredGroup, observed: ObservedVm[]): GroupSummary {
  const plan = planGroup(desired, observed);
  const inSpec = observed.filter((vm) => vm.index < desired.replicas).length - plan.converge.length;
  const pending = plan.steps.length;
  return {
    phase: pending === 0 ? "READY" : "PENDING",
    currentReplicas: observed.length,
    message:
      pending === 0
        ? `${observed.length}/${desired.replicas} VMs match the spec`
        : `${inSpec}/${desired.replicas} VMs match the spec; ${plan.create.length} missing, ${plan.converge.length} drifted, ${plan.remove.length} extra`,
  };
}
