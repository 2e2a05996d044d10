// The VmGroup dynamic provider: thin glue from Pulumi's check/diff/create/read/update/delete to sdk/vsphere.
// Loaded by package name from the serialized provider (see provider.ts), so it runs from dist/ in the
// provider process.
import type * as pulumi from "@pulumi/pulumi";
import { checkInputs, VmGroupInputs, vmGroupInputsSchema } from "../../sdk/schemas";
import { withVimSession } from "../../sdk/vsphere/pool";
import { GroupSpec, PartialGroupError, VmGroupManager, desiredOf } from "../../sdk/vsphere/vmgroup/group";
import { diffGroup, ObservedVm, observedInputs, summarize } from "../../sdk/vsphere/vmgroup/planner";
import type { MoRef } from "../../sdk/vsphere/types";
import { PartialStateError } from "../common/inputs";

type Props = VmGroupInputs & { resourceName?: string; __provider?: string; [k: string]: unknown };

const INPUT_KEYS = [
  "connection", "datacenter", "template", "folder", "replicas", "cpu", "memoryMB", "powerState",
  "cluster", "resourcePool", "datastore", "maxConcurrency", "resourceName",
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
    powerState: p.powerState ?? "on",
    cluster: p.cluster,
    resourcePool: p.resourcePool,
    datastore: p.datastore,
    maxConcurrency: p.maxConcurrency ?? 4,
  };
}

function inputsOf(p: Props): Record<string, unknown> {
  return Object.fromEntries(INPUT_KEYS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
}

/** Outputs = the inputs as declared + the group as observed, judged against the declared spec. */
function outputsOf(p: Props, folderId: string, vms: ObservedVm[], error?: string): Record<string, unknown> {
  const summary = summarize(desiredOf(specOf(p)), vms);
  return {
    ...inputsOf(p),
    phase: error ? "ERROR" : summary.phase,
    currentReplicas: summary.currentReplicas,
    desiredReplicas: p.replicas,
    lastMessage: error ?? summary.message,
    folderId,
    vms: vms.map(({ name, moref, instanceUuid, powerState, cpu, memoryMB }) => ({ name, moref, instanceUuid, powerState, cpu, memoryMB })),
  };
}

async function withGroup<T>(p: Props, fn: (group: VmGroupManager) => Promise<T>): Promise<T> {
  const spec = specOf(p);
  // One session per vCenter and user for the whole provider process (every group of an `up`/`refresh`).
  return withVimSession(p.connection, (client) => fn(new VmGroupManager(client, spec)));
}

/** Once the folder exists, a failure still reports what exists, so `up` can finish and `destroy` can clean up. */
function partial(err: unknown, p: Props, folderId: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  const vms = err instanceof PartialGroupError ? err.observed : [];
  return new PartialStateError(message, folderId, { ...outputsOf(p, folderId, vms, message), __provider: p.__provider });
}

export async function check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  return checkInputs(vmGroupInputsSchema, news);
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const d = diffGroup(olds, news);
  return { changes: d.replaces.length + d.updates.length > 0, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  return withGroup(inputs, async (group) => {
    // Every lookup happens before anything is created, so bad placement leaves nothing behind.
    const placement = await group.resolvePlacement();
    const folder = await group.ensureFolder(placement.parentFolder);
    try {
      const vms = await group.reconcile(folder, placement);
      return { id: folder.value, outs: outputsOf(inputs, folder.value, vms) };
    } catch (err) {
      throw partial(err, inputs, folder.value);
    }
  });
}

export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  return withGroup(props, async (group) => {
    const current = await group.read(folderRef(id));
    if (!current) return { id: "" }; // the folder is gone: the group was deleted outside Pulumi
    // Report drift as changed inputs, so `preview --diff` after a refresh shows what `up` will change back.
    const seen = { ...props, ...observedInputs(specOf(props), current.vms) } as Props;
    const outs = { ...outputsOf(props, id, current.vms), ...observedInputs(specOf(props), current.vms) };
    return { id, props: outs, inputs: inputsOf(seen) };
  });
}

export async function update(id: string, _olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  return withGroup(news, async (group) => {
    try {
      const vms = await group.reconcile(folderRef(id), () => group.resolvePlacement());
      return { outs: outputsOf(news, id, vms) };
    } catch (err) {
      throw partial(err, news, id);
    }
  });
}

export async function remove(id: string, props: Props): Promise<void> {
  await withGroup(props, (group) => group.destroy(folderRef(id)));
}
