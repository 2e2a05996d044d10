// The VmGroup dynamic provider: thin glue from Pulumi's check/diff/create/read/update/delete to sdk/vsphere.
// Loaded by package name from the serialized provider (see provider.ts), so it runs from dist/ in the
// provider process.
import type * as pulumi from "@pulumi/pulumi";
import { checkInputs, containsUnknown, transportWarnings, VmGroupInputs, vmGroupInputsSchema } from "../../sdk/schemas";
import type { VimClientOptions } from "../../sdk/vsphere/client";
import { withVimSession } from "../../sdk/vsphere/pool";
import {
  GroupSpec,
  GroupView,
  PartialGroupError,
  VmGroupManager,
  desiredOf,
  folderName,
  unescapeEntityName,
} from "../../sdk/vsphere/vmgroup/group";
import type { GroupRecord } from "../../sdk/vsphere/vmgroup/ownership";
import {
  describeDrift,
  diffGroup,
  GroupDrift,
  ObservedVm,
  REPLACE_KEYS,
  summarize,
  UPDATE_KEYS,
  vmDrift,
  vmIndex,
  vmName,
} from "../../sdk/vsphere/vmgroup/planner";
import type { MoRef } from "../../sdk/vsphere/types";
import { endpointLabel, movedConnectionFields } from "../common/connection";
import { PartialStateError } from "../common/inputs";
import { warn } from "../common/log";

type Props = VmGroupInputs & { resourceName?: string; __provider?: string; [k: string]: unknown };
type StateVm = { name: string; index?: number; instanceUuid: string; markPending?: boolean };

// The inputs as recorded in the state: what the planner diffs, plus what identifies and owns the group.
const INPUT_KEYS = [
  "connection",
  ...REPLACE_KEYS,
  ...UPDATE_KEYS,
  "adopt",
  "owner",
  "plannedAdoption",
  "resourceName",
] as const;

const folderRef = (id: string): MoRef => ({ type: "Folder", value: id });

function specOf(p: Props): GroupSpec {
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
const ownerOf = (p: Props) => p.owner ?? `pulumi-vmware-kit:VmGroup:${p.resourceName ?? p.folder}`;

/** What the state says the group owns (`p` are the stored outputs). */
function recordOf(p: Props): GroupRecord {
  const prefix = folderName(p.folder);
  const vms = ((p.vms ?? []) as StateVm[])
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
  };
}

function inputsOf(p: Props): Record<string, unknown> {
  return Object.fromEntries(INPUT_KEYS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
}

/** Per-VM drift (observed values), renames and moves, keyed by the name the group gave each VM. */
function driftOf(p: Props, view: Pick<GroupView, "own"> & Partial<GroupView>): GroupDrift {
  const spec = specOf(p);
  const prefix = folderName(p.folder);
  const vms: GroupDrift["vms"] = {};
  for (const vm of view.own) {
    const d = { ...vmDrift(vm, desiredOf(spec)) } as Record<string, unknown>;
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

/** Outputs = the inputs as declared + the group as observed, judged against the declared spec. */
function outputsOf(
  p: Props,
  folderId: string,
  view: Pick<GroupView, "own"> & Partial<GroupView>,
  extra: { folderCreated: boolean; error?: string; notes?: string[] },
): Record<string, unknown> {
  const vms = view.own;
  const spec = specOf(p);
  const summary = summarize(desiredOf(spec), vms);
  const drift = driftOf(p, view);
  const driftText = describeDrift(drift, desiredOf(spec));
  const message = [extra.error ?? summary.message, driftText, ...(extra.notes ?? [])].filter(Boolean).join("; ");
  return {
    ...inputsOf(p),
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
  };
}

async function withGroup<T>(
  p: Props,
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
 * error carries, then to the previous state.
 */
async function partial(
  err: unknown,
  p: Props,
  folderId: string,
  group: VmGroupManager,
  record: GroupRecord,
): Promise<Error> {
  const message = err instanceof Error ? err.message : String(err);
  const full: GroupRecord = { ...record, vms: [...record.vms, ...group.created] };
  const view = await group.read(folderRef(folderId), full).catch(() => undefined);
  const own: ObservedVm[] = view?.own ?? (err instanceof PartialGroupError ? err.observed : undefined) ?? [];
  const outs = outputsOf(p, folderId, view ?? { own }, {
    folderCreated: record.folderCreated,
    error: message,
    notes: group.notes,
  });
  if (!view && !(err instanceof PartialGroupError)) {
    // Could not read: keep the recorded VMs rather than record an empty group while VMs exist.
    outs.vms = ((p.vms ?? []) as unknown[]).concat(
      group.created.map((c) => ({ ...c, name: vmName(folderName(p.folder), c.index) })),
    );
  }
  return new PartialStateError(message, folderId, { ...outs, __provider: p.__provider });
}

const PLAN_SESSION: VimClientOptions = { retry: { deadlineMs: 10_000 } };

/** Placeholders, not plans: create does not hold what exists to them. */
const UNKNOWN_PLAN = "(planned once every input is known)";
const REPLACEMENT_PLAN = "(a replacement: the adoption is planned when the new group is created)";
const isPlan = (lines: string[] | undefined) =>
  !!lines && !lines.includes(UNKNOWN_PLAN) && !lines.includes(REPLACEMENT_PLAN);

export async function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const result = checkInputs(vmGroupInputsSchema, news);
  if (result.failures.length) return result;
  const inputs = result.inputs as Props;
  const c = (inputs.connection ?? {}) as Record<string, unknown>;
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
    if (olds.plannedAdoption !== undefined) inputs.plannedAdoption = olds.plannedAdoption as string[];
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

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const d = diffGroup(olds, news);
  // Another vCenter: the group's folder and VMs (morefs) cannot follow in place, so it is replaced (common/connection.ts).
  if (movedConnectionFields(olds.connection as never, news.connection as never).length) {
    return { changes: true, replaces: [...d.replaces, "endpoint"], deleteBeforeReplace: false };
  }
  return {
    changes: d.replaces.length + d.updates.length > 0,
    replaces: d.replaces,
    deleteBeforeReplace: d.deleteBeforeReplace,
  };
}

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
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
          { folderCreated: res.folderCreated, notes: group.notes },
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

export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  return withGroup(props, async (group) => {
    const record = recordOf(props);
    const view = await group.read(folderRef(id), record);
    if (!view) return { id: "" }; // the folder is gone: the group was deleted outside Pulumi
    // replicas is the group's observed size; cpu, memory and power drift is per VM, in `drift` (also given as an
    // input, so that `preview --diff` after a refresh shows which VMs `up` will put back).
    const outs = outputsOf({ ...props, owner: record.owner }, id, view, { folderCreated: record.folderCreated });
    const observed = { ...outs, replicas: view.own.length };
    const seen = { ...props, replicas: view.own.length } as Props;
    const inputs = inputsOf(seen);
    if (Object.keys(outs.drift as object).length) inputs.drift = outs.drift;
    return { id, props: observed, inputs };
  });
}

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  // olds are the stored outputs: the record of what the group owns.
  const record = recordOf(olds);
  return withGroup(news, async (group) => {
    try {
      const vms = await group.reconcile(folderRef(id), record, () => group.resolvePlacement());
      return { outs: outputsOf(news, id, { own: vms }, { folderCreated: record.folderCreated, notes: group.notes }) };
    } catch (err) {
      throw await partial(err, news, id, group, record);
    }
  });
}

export async function remove(id: string, props: Props): Promise<void> {
  await withGroup(props, (group) => group.destroy(folderRef(id), recordOf(props)));
}
