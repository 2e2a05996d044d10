// The VmGroup dynamic provider: thin glue from Pulumi's check/diff/create/read/update/delete to sdk/vsphere.
// Loaded by package name from the serialized provider (see provider.ts), so it runs from dist/ in the
// provider process.
import type * as pulumi from "@pulumi/pulumi";
import { transportWarnings, vmGroupInputsSchema } from "../../sdk/schemas";
import type { VimClientOptions } from "../../sdk/vsphere/client";
import { withVimSession } from "../../sdk/vsphere/pool";
import type { MoRef } from "../../sdk/vsphere/types";
import { describeDrift, groupDrift } from "../../sdk/vsphere/vmgroup/drift";
import { VmGroupManager } from "../../sdk/vsphere/vmgroup/manager";
import { GroupSpec, GroupView, ObservedVm, PartialGroupError } from "../../sdk/vsphere/vmgroup/model";
import { folderName, vmIndex, vmName } from "../../sdk/vsphere/vmgroup/names";
import type { GroupRecord, PendingClone } from "../../sdk/vsphere/vmgroup/ownership";
import { desiredOf, summarize } from "../../sdk/vsphere/vmgroup/planner";
import { endpointLabel, movedConnectionFields } from "../common/connection";
import { checkInputs, containsUnknown } from "../common/check";
import { PartialStateError } from "../common/errors";
import { warn } from "../common/log";
import {
  diffGroup,
  inputsOf,
  Inputs,
  isPlan,
  Outputs,
  refreshedInputs,
  REPLACEMENT_PLAN,
  StateVm,
  UNKNOWN_PLAN,
} from "./diff";
import type { Handlers } from "../common/provider";

const folderRef = (id: string): MoRef => ({ type: "Folder", value: id });

function specOf(p: Inputs): GroupSpec {
  return {
    label: p.resourceName ?? p.folder,
    datacenter: p.datacenter,
    template: p.template,
    folder: p.folder,
    replicas: p.replicas,
    cpu: p.cpu,
    memoryMB: p.memoryMB,
    // Not declared: "on", except with adopt, where it means "keep each VM's power state".
    powerState: p.powerState ?? (p.adopt ? undefined : "on"),
    cluster: p.cluster,
    resourcePool: p.resourcePool,
    datastore: p.datastore,
    maxConcurrency: p.maxConcurrency ?? 4,
    maxUnavailable: p.maxUnavailable ?? 1,
    shutdownTimeoutSeconds: p.shutdownTimeoutSeconds,
    owner: ownerOf(p),
    adopt: p.adopt === true,
  };
}

/** The URN given by the VmGroup class; a fixed id for callers that use the handlers directly. */
const ownerOf = (p: Inputs) => p.owner ?? `pulumi-vmware-kit:VmGroup:${p.resourceName ?? p.folder}`;

/** What the state says the group owns. */
function recordOf(p: Outputs): GroupRecord {
  const prefix = folderName(p.folder);
  const vms = (p.vms ?? [])
    .map((v) => ({
      index: v.index ?? vmIndex(prefix, v.name) ?? -1,
      instanceUuid: v.instanceUuid,
      ...(v.markPending ? { markPending: true } : {}),
    }))
    .filter((v) => v.index >= 0 && v.instanceUuid);
  // State from before markers (no owner recorded): the recorded UUIDs alone, marked at the next update.
  return {
    owner: ownerOf(p),
    vms,
    folderCreated: p.folderCreated === true,
    ...(p.owner === undefined ? { unmarked: true } : {}),
    ...(p.pendingClones?.length ? { pendingClones: p.pendingClones } : {}),
  };
}

/** Outputs = the inputs as declared + the group as observed, judged against the declared spec. */
function outputsOf(
  p: Inputs,
  folderId: string,
  view: Pick<GroupView, "own"> & Partial<GroupView>,
  extra: { folderCreated: boolean; error?: string; notes?: string[]; pendingClones?: PendingClone[] },
): Outputs {
  const vms = view.own;
  const spec = specOf(p);
  const desired = desiredOf(spec);
  const summary = summarize(desired, vms);
  const drift = groupDrift(desired, view);
  const driftText = describeDrift(drift, desired);
  const message = [extra.error ?? summary.message, driftText, ...(extra.notes ?? [])].filter(Boolean).join("; ");
  return {
    ...(inputsOf(p) as Inputs),
    owner: spec.owner,
    phase: extra.error ? "ERROR" : summary.phase,
    currentReplicas: summary.currentReplicas,
    desiredReplicas: p.replicas,
    lastMessage: message,
    folderId,
    folderCreated: extra.folderCreated,
    vms: vms.map(({ name, index, moref, instanceUuid, powerState, cpu, memoryMB, owner }) => ({
      name,
      index,
      moref,
      instanceUuid,
      powerState,
      cpu,
      memoryMB,
      // Ours by the record but not yet marked (an interrupted create): the next update marks it.
      ...(owner === undefined ? { markPending: true } : {}),
    })),
    drift,
    ...(extra.pendingClones?.length ? { pendingClones: extra.pendingClones } : {}),
  };
}

async function withGroup<T>(
  p: Inputs,
  fn: (group: VmGroupManager) => Promise<T>,
  opts: VimClientOptions = {},
): Promise<T> {
  const spec = specOf(p);
  // One session per vCenter and user for the whole provider process (every group of an `up`/`refresh`).
  return withVimSession(p.connection, (client) => fn(new VmGroupManager(client, spec)), opts);
}

/**
 * Once the folder exists, a failure still records what exists, so `up` can finish and `destroy` can clean up:
 * the group is read again (the failure may have come before or after any VM changed), falling back to what the
 * error carries, then to the previous state (`p.vms`). The error returned keeps `err` as its cause.
 */
async function partial(
  err: unknown,
  p: Inputs & Partial<Pick<Outputs, "vms">>,
  folderId: string,
  group: VmGroupManager,
  record: GroupRecord,
): Promise<PartialStateError> {
  const message = err instanceof Error ? err.message : String(err);
  const full: GroupRecord = { ...record, vms: [...record.vms, ...group.created], pendingClones: group.pending };
  const view = await group.read(folderRef(folderId), full).catch(() => undefined);
  const own: ObservedVm[] = view?.own ?? (err instanceof PartialGroupError ? err.observed : undefined) ?? [];
  const outs = outputsOf(p, folderId, view ?? { own }, {
    folderCreated: record.folderCreated,
    error: message,
    notes: group.notes,
    // Settled by the read above when it worked; else every clone still to follow.
    pendingClones: view ? group.pending : full.pendingClones,
  });
  if (!view && !(err instanceof PartialGroupError)) {
    // Could not read: keep the recorded VMs rather than record an empty group while VMs exist.
    outs.vms = (p.vms ?? []).concat(
      group.created.map((c): StateVm => ({ ...c, name: vmName(folderName(p.folder), c.index) })),
    );
  }
  return new PartialStateError(message, folderId, { ...outs, __provider: p.__provider }, [message], { cause: err });
}

const PLAN_SESSION: VimClientOptions = { retry: { deadlineMs: 10_000 } };

export async function check(olds: Partial<Inputs>, news: Inputs): Promise<pulumi.dynamic.CheckResult<Inputs>> {
  const result = checkInputs(vmGroupInputsSchema, news) as { inputs: Inputs; failures: pulumi.dynamic.CheckFailure[] };
  if (result.failures.length) return result;
  const inputs = result.inputs;
  const c = inputs.connection ?? {};
  for (const w of transportWarnings(c, [{ path: "connection.url", url: c.url }]))
    await warn(`VmGroup "${news.resourceName ?? news.folder}": ${w}`);
  // Where the group lives, not secret (the connection is): a move shows as `[diff: ~endpoint]`.
  const endpoint = endpointLabel(c.url);
  if (endpoint) inputs.endpoint = endpoint;
  if (inputs.adopt !== true && inputs.powerState === undefined) inputs.powerState = "on";
  const creating = olds?.datacenter === undefined;
  if (!creating && inputs.adopt === true && diffGroup(olds, inputs).replaces.length) {
    // A replacement: its create runs after the old group is gone (or beside it), so there is nothing to plan now.
    inputs.plannedAdoption = [REPLACEMENT_PLAN];
    return result;
  }
  if (!creating) {
    // Adoption happens at create only; keep what was planned then so an update shows no change.
    if (olds.plannedAdoption !== undefined) inputs.plannedAdoption = olds.plannedAdoption;
    else delete inputs.plannedAdoption;
    return result;
  }
  delete inputs.plannedAdoption;
  if (inputs.adopt !== true) return result;
  if (containsUnknown(inputs)) {
    inputs.plannedAdoption = [UNKNOWN_PLAN];
    return result;
  }
  // Adopting: read what exists now so the plan (preview --diff) lists every change the adoption makes.
  try {
    // At preview a vCenter that cannot be reached should say so soon, not after `up`'s two-minute retry budget.
    const { plan } = await withGroup(inputs, async (g) => g.survey(await g.resolvePlacement()), PLAN_SESSION);
    if (plan.refusal) return { inputs, failures: [{ property: "adopt", reason: plan.refusal }] };
    inputs.plannedAdoption = plan.lines;
  } catch (err) {
    return {
      inputs,
      failures: [
        { property: "adopt", reason: `cannot plan the adoption: ${err instanceof Error ? err.message : String(err)}` },
      ],
    };
  }
  return result;
}

export async function diff(_id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
  const d = diffGroup(olds, news);
  // Another vCenter: the group's folder and VMs (morefs) cannot follow in place, so it is replaced (common/connection.ts).
  if (movedConnectionFields(olds.connection, news.connection).length) {
    return { changes: true, replaces: [...d.replaces, "endpoint"], deleteBeforeReplace: false };
  }
  return {
    changes: d.replaces.length + d.updates.length > 0,
    replaces: d.replaces,
    deleteBeforeReplace: d.deleteBeforeReplace,
  };
}

export async function create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult<Outputs>> {
  return withGroup(inputs, async (group) => {
    // Every lookup and every refusal happens before anything is created, so bad placement leaves nothing behind.
    const placement = await group.resolvePlacement();
    let folder: MoRef | undefined;
    let folderCreated = false;
    try {
      const res = await group.create(placement, {
        plannedLines: inputs.adopt && isPlan(inputs.plannedAdoption) ? inputs.plannedAdoption : undefined,
        onFolder: (f, created) => {
          folder = f;
          folderCreated = created;
        },
      });
      return {
        id: res.folder.value,
        outs: outputsOf(
          inputs,
          res.folder.value,
          { own: res.vms },
          { folderCreated: res.folderCreated, notes: group.notes, pendingClones: group.pending },
        ),
      };
    } catch (err) {
      if (!folder) throw err;
      throw await partial(err, inputs, folder.value, group, {
        owner: ownerOf(inputs),
        vms: [...group.adoptedRecord],
        folderCreated,
      });
    }
  });
}

export async function read(id: string, props: Outputs): Promise<pulumi.dynamic.ReadResult<Partial<Outputs>>> {
  return withGroup(props, async (group) => {
    const record = recordOf(props);
    const view = await group.read(folderRef(id), record);
    if (!view) return { id: "" }; // the folder is gone: the group was deleted outside Pulumi
    // replicas is the group's observed size; cpu, memory and power drift is per VM, in `drift`.
    const outs = outputsOf({ ...props, owner: record.owner }, id, view, {
      folderCreated: record.folderCreated,
      notes: group.notes,
      pendingClones: group.pending,
    });
    const observed = { ...outs, replicas: view.own.length };
    return { id, props: observed, inputs: refreshedInputs(props, view.own.length, outs.drift) };
  });
}

export async function update(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult<Outputs>> {
  // olds are the stored outputs: the record of what the group owns.
  const record = recordOf(olds);
  return withGroup(news, async (group) => {
    try {
      const vms = await group.reconcile(folderRef(id), record, () => group.resolvePlacement());
      return {
        outs: outputsOf(
          news,
          id,
          { own: vms },
          {
            folderCreated: record.folderCreated,
            notes: group.notes,
            pendingClones: group.pending,
          },
        ),
      };
    } catch (err) {
      throw await partial(err, news, id, group, record);
    }
  });
}

export async function remove(id: string, props: Outputs): Promise<void> {
  await withGroup(props, (group) => group.destroy(folderRef(id), recordOf(props)));
}

/** The operations, checked against what the runtime expects of every kind (providers/common/provider.ts). */
export const operations: Handlers<Inputs, Outputs> = { check, diff, create, read, update, remove };
