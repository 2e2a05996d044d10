// The VcdVapp dynamic provider: thin glue from Pulumi's check/diff/create/read/update/delete to sdk/vcd.
// Loaded by package name from the serialized provider (see provider.ts), so it runs from dist/ in the
// provider process.
import type * as pulumi from "@pulumi/pulumi";
import { checkInputs, VcdVappInputs, vcdVappInputsSchema } from "../../sdk/schemas";
import type { VcdClient } from "../../sdk/vcd/client";
import { isForbidden } from "../../sdk/vcd/errors";
import {
  RecordedLeases, DesiredVApp, diffVApp, LeaseSeconds, managedMetadata, MetadataRecord, observedInputs,
} from "../../sdk/vcd/vapp-planner";
import type { MetadataEntry, VApp } from "../../sdk/vcd/xml";
import { PartialStateError } from "../common/inputs";
import { converge, createVApp, CreationFailedError, observe, observedOf, vdcName, withClient } from "./vapp";

type Props = VcdVappInputs & { resourceName?: string; __provider?: string; [k: string]: unknown };

const INPUT_KEYS = [
  "connection", "org", "vdc", "name", "description", "fenceMode", "acceptAllEulas", "owner", "powerOn", "leases",
  "source", "network", "metadata", "adopt", "resourceName",
] as const;

const label = (p: Props) => `VcdVapp "${p.resourceName ?? p.name ?? "?"}"`;
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** Struct values cannot be undefined: drop such keys. */
const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function inputsOf(p: Props): Record<string, unknown> {
  return compact(Object.fromEntries(INPUT_KEYS.map((k) => [k, p[k]])));
}

/** Outputs of unmanaged leases carry only vCD's values, not declared ones. */
const declaredLeases = (l: Partial<LeaseSeconds> | undefined): LeaseSeconds | undefined =>
  l?.deploymentSeconds !== undefined && l.storageSeconds !== undefined ? { deploymentSeconds: l.deploymentSeconds, storageSeconds: l.storageSeconds } : undefined;

function desiredOf(p: Props): DesiredVApp {
  return {
    name: p.name ?? p.resourceName ?? "",
    description: p.description ?? "",
    owner: p.owner,
    powerOn: !!p.powerOn,
    leases: declaredLeases(p.leases),
    metadata: p.metadata as MetadataRecord | undefined,
  };
}

/**
 * The leases recorded in the outputs: the declared values and what vCD applied. Unmanaged leases record only
 * what vCD applied; `foundAsDeclared` then treats those as the values to compare a new declaration with.
 */
function recordedOf(p: Props, foundAsDeclared = false): RecordedLeases | undefined {
  const l = p.leases as Partial<RecordedLeases> | undefined;
  if (l?.effectiveDeploymentSeconds === undefined || l.effectiveStorageSeconds === undefined) return undefined;
  if ((l.deploymentSeconds === undefined || l.storageSeconds === undefined) && !foundAsDeclared) return undefined;
  return {
    deploymentSeconds: l.deploymentSeconds ?? l.effectiveDeploymentSeconds, storageSeconds: l.storageSeconds ?? l.effectiveStorageSeconds,
    effectiveDeploymentSeconds: l.effectiveDeploymentSeconds, effectiveStorageSeconds: l.effectiveStorageSeconds,
  };
}

/**
 * Outputs = the declared inputs as vCD now shows them (`view`) + kvcd's status backing. Owner, leases and metadata
 * are reported even when unmanaged.
 */
function outputsOf(p: Props, v: VApp, metadata: MetadataEntry[], view: DesiredVApp): Record<string, unknown> {
  const l = v.leases;
  return compact({
    ...inputsOf(p),
    ...compact({ ...view }),
    name: v.name,
    owner: v.owner?.name,
    leases: l && {
      ...view.leases,
      effectiveDeploymentSeconds: l.deploymentSeconds,
      effectiveStorageSeconds: l.storageSeconds,
      ...compact({ deploymentExpiration: l.deploymentExpiration, storageExpiration: l.storageExpiration }),
    },
    metadata: managedMetadata(metadata),
    uuid: v.id,
    status: { code: v.status, text: v.statusText },
    href: v.href,
    vdcHref: v.vdcHref,
    expired: v.expired,
  });
}

/** Right after create/update the vApp is as declared; only the status part comes from vCD. */
const convergedView = (p: Props, v: VApp, metadata: MetadataEntry[]): DesiredVApp => ({
  ...desiredOf(p),
  name: v.name,
  powerOn: v.status === 4,
  metadata: p.metadata === undefined ? undefined : managedMetadata(metadata),
});

/** Once the vApp exists, a failure still reports it, so `up` can finish the job and `destroy` can remove it. */
async function partial(c: VcdClient, p: Props, href: string, err: unknown): Promise<PartialStateError> {
  const message = `${label(p)}: ${messageOf(err)}`;
  const seen = await observe(c, href).catch(() => undefined);
  const outs = seen
    ? outputsOf(p, seen.vapp, seen.metadata, observedInputs(desiredOf(p), observedOf(seen.vapp, seen.metadata)))
    : { ...inputsOf(p), href, status: { code: -1, text: "FAILED_CREATION" } };
  return new PartialStateError(message, href, { ...outs, __provider: p.__provider });
}

/** The vApp to take over, if it is where the program says: a placement mismatch changes nothing. */
async function adopt(c: VcdClient, p: Props, ref: string): Promise<VApp> {
  const href = c.vapps.href(ref);
  const seen = await observe(c, href);
  if (!seen) throw new Error(`adopt: no vApp at ${href} (deleted, or not visible to user "${p.connection.username}")`);
  const vdc = seen.vapp.vdcHref ? await vdcName(c, seen.vapp.vdcHref) : undefined;
  if (vdc !== undefined && vdc !== p.vdc) throw new Error(`adopt: vApp "${seen.vapp.name}" is in VDC "${vdc}", not "${p.vdc}"; declare vdc: "${vdc}" to adopt it`);
  return seen.vapp;
}

export async function check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  return checkInputs(vcdVappInputsSchema, news);
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const d = diffVApp(olds, news);
  return { changes: d.replaces.length + d.updates.length > 0, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const desired = desiredOf(inputs);
  return withClient(inputs.connection, async (c) => {
    let v: VApp;
    try {
      v = inputs.adopt ? await adopt(c, inputs, inputs.adopt) : await createVApp(c, { ...desired, org: inputs.org, vdc: inputs.vdc, fenceMode: inputs.fenceMode ?? "bridged",
        acceptAllEulas: inputs.acceptAllEulas ?? true, source: inputs.source, network: inputs.network });
    } catch (e) {
      if (e instanceof CreationFailedError) throw await partial(c, inputs, e.href, e);
      throw new Error(`${label(inputs)}: ${messageOf(e)}`);
    }
    try {
      // A fresh vApp carries no metadata of ours: nothing to read before adding the declared entries.
      const done = await converge(c, v, desired, { metadata: inputs.adopt ? await c.vapps.getMetadata(v.href) : [] });
      return { id: v.href, outs: outputsOf(inputs, done.vapp, done.metadata, convergedView(inputs, done.vapp, done.metadata)) };
    } catch (e) {
      throw await partial(c, inputs, v.href, e);
    }
  });
}

export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  return withClient(props.connection, async (c) => {
    // `pulumi import` passes an href or a URN; the state always records the href.
    const seen = await observe(c, c.vapps.href(id));
    if (!seen) return { id: "" }; // deleted outside Pulumi
    const { vapp: v, metadata } = seen;
    const view = observedInputs(desiredOf(props), observedOf(v, metadata), recordedOf(props));
    // Keep a defaulted name implicit while it still matches, so the inputs stay as the program wrote them.
    const name = v.name !== props.resourceName ? v.name : undefined;
    const creation: Record<string, unknown> = {};
    if (props.href === undefined && v.vdcHref) {
      // An import: check the creation-only placement against the vApp found, so a mismatch shows as a diff.
      creation.vdc = (await vdcName(c, v.vdcHref)) ?? props.vdc;
      const net = v.networks.find((n) => n.parentNetworkName) ?? v.networks[0];
      if (net) Object.assign(creation, { network: net.parentNetworkName ?? net.name, fenceMode: net.fenceMode ?? props.fenceMode });
    }
    const inputs = compact({ ...inputsOf(props), ...compact({ ...view }), name, ...creation });
    return { id: v.href, props: { ...outputsOf({ ...props, ...creation } as Props, v, metadata, view), ...compact({ name }) }, inputs };
  });
}

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  return withClient(news.connection, async (c) => {
    const href = c.vapps.href(id);
    const seen = await observe(c, href);
    if (!seen) throw new Error(`${label(news)}: the vApp ${href} no longer exists in vCD; run \`pulumi refresh\` to forget it, then \`pulumi up\` to recreate it`);
    try {
      const done = await converge(c, seen.vapp, desiredOf(news), { metadata: seen.metadata, recorded: recordedOf(olds, true) });
      return { outs: outputsOf(news, done.vapp, done.metadata, convergedView(news, done.vapp, done.metadata)) };
    } catch (e) {
      throw await partial(c, news, href, e);
    }
  });
}

export async function remove(id: string, props: Props): Promise<void> {
  await withClient(props.connection, async (c) => {
    const href = c.vapps.href(id);
    try {
      // Undeploys first: vCD refuses to delete a running vApp.
      await c.vapps.delete(href);
    } catch (e) {
      if (!isForbidden(e)) throw new Error(`${label(props)}: ${messageOf(e)}`);
      const seen = await observe(c, href);
      if (seen) throw new Error(`${label(props)}: ${messageOf(e)}`);
      // already gone: deleted outside Pulumi, nothing to do
    }
  });
}
