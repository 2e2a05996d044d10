// The VM group's plain data: what is declared (GroupSpec, DesiredGroup), what vCenter shows (ObservedVm,
// GroupView), the steps a plan is made of, and the group's errors.
import type { MoRef } from "../types";
import type { PendingClone, RecordedVm } from "./ownership";
import type { CauseOptions } from "../../util/errors";

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

/** Where clones go. */
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
  constructor(message: string, options?: CauseOptions) {
    super(message, options);
    this.name = "GroupError";
  }
}

/** Some VMs could not be brought to the spec; the group as it now stands is in `observed`. */
export class PartialGroupError extends GroupError {
  constructor(
    message: string,
    readonly observed: ObservedVm[],
    options?: CauseOptions,
  ) {
    super(message, options);
  }
}

/** Throws a GroupError that names the group: `VmGroup "<label>": <message>`. */
export function fail(label: string, message: string, options?: CauseOptions): never {
  throw new GroupError(`VmGroup "${label}": ${message}`, options);
}

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

/** What one VM is held to: the group's spec without its size. */
export type VmSpec = Omit<DesiredGroup, "prefix" | "replicas">;

export interface Reconfigure {
  numCPUs?: number;
  memoryMB?: number;
  /** vCenter refuses this change on a running VM (no hot add/remove, or memory shrinking): power off first. */
  powerCycle: boolean;
}

/** One vCenter operation on one VM. A step's operations run in order, each once the previous one has ended. */
export type VmOperation =
  /** Guest shutdown; a hard power-off when the guest cannot be asked or does not stop in shutdownTimeoutSeconds. */
  | { kind: "powerOff" }
  /** ReconfigVM_Task; `mark` sets the ownership marker in the same task. */
  | { kind: "reconfigure"; numCPUs?: number; memoryMB?: number; mark?: true }
  /** The ownership marker alone (ReconfigVM_Task with extraConfig). */
  | { kind: "mark" }
  | { kind: "powerOn" }
  | { kind: "destroy" };

/** An existing VM brought to the spec. */
export interface ConvergeStep {
  vm: ObservedVm;
  reconfigure?: Reconfigure;
  power?: "on" | "off";
  /** What the executor does, in order. */
  operations: VmOperation[];
  /** The VM is running and goes down for the change (a power cycle): counts against maxUnavailable. */
  takesDown: boolean;
}

/** A VM of the group removed: stopped unless already off, then destroyed. */
export interface RemoveStep {
  vm: ObservedVm;
  operations: VmOperation[];
}

/**
 * A VM cloned, powered off, with the ownership marker and the declared hardware in its clone spec. What it needs
 * next is planned once it is read back (afterClone): vCenter does not honour clone-time config everywhere.
 */
export interface CloneStep {
  index: number;
  name: string;
  numCPUs: number;
  memoryMB: number;
}

export type Step =
  ({ kind: "remove" } & RemoveStep) | ({ kind: "clone" } & CloneStep) | ({ kind: "converge" } & ConvergeStep);

export interface GroupPlan {
  /**
   * In the order to run: every remove (highest index first) ends before the rest begins; then the clones (lowest
   * index first) and the converges (by index), concurrently.
   */
  steps: Step[];
  /** Indexes to clone, lowest first. */
  create: number[];
  /** Existing VMs whose hardware or power state differs from the spec. */
  converge: ConvergeStep[];
  /** VMs beyond `replicas`, highest index first (ReplicaSet-like, deterministic). */
  remove: ObservedVm[];
}

export interface GroupSummary {
  phase: "READY" | "PENDING";
  currentReplicas: number;
  message: string;
}

/** The group as read from vCenter against the state's record. */
export interface GroupView {
  /** The folder's current name (escaped as vCenter stores it). */
  folderName: string;
  /** The group's VMs (recorded and marked), wherever they are; `movedTo` set for those outside the folder. */
  own: ObservedVm[];
  /** Names of everything else in the folder: never touched. */
  foreign: string[];
  /** The VMs and templates among them (made by hand, another group's, or released). */
  foreignVms: string[];
  /** Recorded VMs that are gone, and those whose marker was removed (no longer the group's). */
  deleted: RecordedVm[];
  released: Array<RecordedVm & { name: string }>;
  /** Clones still to be settled by their tasks (ownership.ts PendingClone), to keep in the state. */
  pendingClones?: PendingClone[];
}

/** The outcome of a create. */
export interface CreatedGroup {
  folder: MoRef;
  folderCreated: boolean;
  vms: ObservedVm[];
}
