// How the group as found differs from the spec, per VM: what `refresh` reports and `up` puts back.
import type { DesiredGroup, GroupView, ObservedVm, PowerState, VmSpec } from "./model";
import { unescapeEntityName, vmName } from "./names";

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
  /**
   * The VM is there but no longer carries the group's marker: it is not the group's any more. `up` clones a new one
   * once the name is free (renamed or moved out); until then it refuses (planner.ts blockedClones).
   */
  released?: true;
}

/** Drift of the whole group, keyed by the name the group gave each VM; `folder` when its folder was renamed. */
export interface GroupDrift {
  folder?: { renamedTo: string };
  vms?: Record<string, VmDrift>;
}

/** The VM's hardware and power differences from the spec, as observed values ({} when it matches). */
export function vmDrift(vm: ObservedVm, desired: VmSpec): VmDrift {
  const d: VmDrift = {};
  if (vm.cpu !== desired.cpu) d.cpu = vm.cpu;
  if (vm.memoryMB !== desired.memoryMB) d.memoryMB = vm.memoryMB;
  const on = vm.powerState === "poweredOn";
  if (desired.powerState !== undefined && on !== (desired.powerState === "on")) d.powerState = vm.powerState;
  return d;
}

/** Per-VM drift (observed values), renames and moves (unescaped names), keyed by the name the group gave each VM. */
export function groupDrift(desired: DesiredGroup, view: Pick<GroupView, "own"> & Partial<GroupView>): GroupDrift {
  const { prefix } = desired;
  const vms: Record<string, VmDrift> = {};
  for (const vm of view.own) {
    const d = vmDrift(vm, desired);
    if (vm.name !== vmName(prefix, vm.index)) d.renamedTo = unescapeEntityName(vm.name);
    if (vm.movedTo !== undefined) d.movedTo = unescapeEntityName(vm.movedTo);
    if (Object.keys(d).length) vms[vmName(prefix, vm.index)] = d;
  }
  for (const r of view.deleted ?? []) vms[vmName(prefix, r.index)] = { deleted: true };
  for (const r of view.released ?? []) vms[vmName(prefix, r.index)] = { released: true };
  const drift: GroupDrift = {};
  if (view.folderName !== undefined && view.folderName !== prefix)
    drift.folder = { renamedTo: unescapeEntityName(view.folderName) };
  if (Object.keys(vms).length) drift.vms = vms;
  return drift;
}

/** Drift `up` can put back (hardware and power); renames and moves are only reported. */
export function fixableDrift(drift: GroupDrift | undefined): boolean {
  return Object.values(drift?.vms ?? {}).some(
    (d) => d.cpu !== undefined || d.memoryMB !== undefined || d.powerState !== undefined,
  );
}

/** One line per VM, e.g. `web-2: powerState poweredOff (declared on); web-3: renamed to db-1`. */
export function describeDrift(drift: GroupDrift, desired: VmSpec): string {
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
