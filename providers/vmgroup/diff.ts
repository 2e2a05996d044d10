// VmGroup's Pulumi semantics: the shapes the engine hands the provider, which input changes replace the group
// (and that the old one must go first), which are updated in place, the keys recorded in the state, the inputs a
// refresh reports, and the placeholders check() leaves while a plan cannot be made.
import type { VmGroupInputs, VmGroupStatus, VmGroupVm } from "../../sdk/schemas";
import { fixableDrift, GroupDrift } from "../../sdk/vsphere/vmgroup/drift";
import type { PendingClone } from "../../sdk/vsphere/vmgroup/ownership";
import { sameInput } from "../common/diff";

/** The inputs as check() returns them (defaults applied) and create/update/diff receive them. */
export type Inputs = VmGroupInputs & {
  /** The Pulumi resource name (set by the VmGroup class): names the group in messages. */
  resourceName?: string;
  /** Host and path of connection.url (set by check()): not secret, so a move shows in `preview --diff`. */
  endpoint?: string;
  /** Drift found by a refresh, given back as an input so `preview --diff` shows what `up` puts back. */
  drift?: GroupDrift;
  /** The serialized provider, kept by the engine in inputs and state. */
  __provider?: string;
};

/** A VM as the state records it; states written before `index` existed, or by a failed create, hold less. */
export type StateVm = Pick<VmGroupVm, "name" | "instanceUuid"> & Partial<VmGroupVm> & { markPending?: boolean };

/** The state: the inputs as recorded plus the group as observed (read()'s props, update()'s olds). */
export type Outputs = Inputs &
  Omit<VmGroupStatus, "vms" | "drift"> & {
    vms: StateVm[];
    drift: GroupDrift;
    /** Clones to settle by their tasks at the next operation (sdk/vsphere/vmgroup/ownership.ts PendingClone). */
    pendingClones?: PendingClone[];
  };

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

// The inputs as recorded in the state: what the diff compares, plus what identifies and owns the group.
const INPUT_KEYS = [
  "connection",
  ...REPLACE_KEYS,
  ...UPDATE_KEYS,
  "adopt",
  "owner",
  "plannedAdoption",
  "resourceName",
  "endpoint",
  "timeouts",
] as const;

export interface GroupDiff {
  replaces: string[];
  updates: string[];
  /** Delete the old group before creating the new one: both would use the same folder and VM names. */
  deleteBeforeReplace: boolean;
}

/** `olds`: the previous inputs or the state; `news`: the checked inputs. */
export function diffGroup(olds: Partial<Outputs>, news: Partial<Inputs>): GroupDiff {
  const same = (k: keyof Inputs) => sameInput(olds[k], news[k]);
  const replaces = REPLACE_KEYS.filter((k) => !same(k));
  const updates: string[] = UPDATE_KEYS.filter((k) => !same(k));
  if (!same("connection")) updates.push("connection");
  // A new limit takes effect from the next operation on; the update itself changes nothing in vCenter.
  if (!same("timeouts")) updates.push("timeouts");
  // Drift found by refresh (a VM off, resized) is put back by an update even when no input changed.
  if (fixableDrift(olds.drift)) updates.push("drift");
  return {
    replaces,
    updates,
    deleteBeforeReplace: replaces.length > 0 && same("datacenter") && same("folder"),
  };
}

/** The inputs to record in the state (those set). */
export function inputsOf(p: Partial<Inputs>): Partial<Inputs> {
  return Object.fromEntries(INPUT_KEYS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
}

/**
 * The inputs as a refresh finds them: `replicas` is the group's observed size; cpu, memory and power drift is per
 * VM, given as the `drift` input (when there is any) so that `preview --diff` shows which VMs `up` puts back.
 */
export function refreshedInputs(props: Partial<Inputs>, replicas: number, drift: GroupDrift): Partial<Inputs> {
  const inputs = inputsOf({ ...props, replicas });
  if (Object.keys(drift).length) inputs.drift = drift;
  return inputs;
}

/** plannedAdoption placeholders, not plans: create does not hold what exists to them. */
export const UNKNOWN_PLAN = "(planned once every input is known)";
export const REPLACEMENT_PLAN = "(a replacement: the adoption is planned when the new group is created)";
/** A plan check() made from what exists, not a placeholder. */
export const isPlan = (lines: string[] | undefined): lines is string[] =>
  !!lines && !lines.includes(UNKNOWN_PLAN) && !lines.includes(REPLACEMENT_PLAN);
