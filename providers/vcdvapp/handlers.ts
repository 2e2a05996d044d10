// The VcdVapp dynamic provider: thin glue from Pulumi's check/diff/create/read/update/delete to sdk/vcd.
// Loaded by package name from the serialized provider (see provider.ts), so it runs from dist/ in the
// provider process.
import type * as pulumi from "@pulumi/pulumi";
import { transportWarnings, VcdVappInputs, vcdVappInputsSchema } from "../../sdk/schemas";
import { CheckFailure, checkInputs, containsUnknown } from "../common/check";
import type { VcdClient } from "../../sdk/vcd/client";
import { findAdoptable } from "../../sdk/vcd/vapp/adopt";
import { converge } from "../../sdk/vcd/vapp/converge";
import { createVApp, CreationFailedError } from "../../sdk/vcd/vapp/create";
import { deleteVApp } from "../../sdk/vcd/vapp/delete";
import { managedMetadata } from "../../sdk/vcd/vapp/metadata";
import type { DesiredVApp, MetadataRecord, RecordedLeases } from "../../sdk/vcd/vapp/model";
import { observe, observedOf, placementOf } from "../../sdk/vcd/vapp/observe";
import { describePlan, isPoweredOn, planUpdate } from "../../sdk/vcd/vapp/planner";
import { VAppStatus, vappStatusName } from "../../sdk/vcd/wire";
import type { MetadataEntry, VApp } from "../../sdk/vcd/xml";
import { endpointLabel, movedConnectionFields } from "../common/connection";
import { PartialStateError } from "../common/errors";
import { warn } from "../common/log";
import { withClient } from "./connection";
import { declaredLeases, diffVApp, inputsOf, observedInputs, withoutKeys } from "./diff";
import type { Handlers } from "../common/provider";

type Props = VcdVappInputs & { resourceName?: string; __provider?: string; [k: string]: unknown };

/** Properties that `adopt` leaves as found when the program does not declare them. */
const ADOPT_KEPT = ["name", "description", "powerOn"] as const;

const label = (p: Props) => `VcdVapp "${p.resourceName ?? p.name ?? "?"}"`;
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** Struct values cannot be undefined: drop such keys. */
const compact = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function desiredOf(p: Props): DesiredVApp {
  return {
    name: p.name ?? p.resourceName ?? "",
    description: p.description ?? "",
    owner: p.owner,
    powerOn: !!p.powerOn,
    leases: declaredLeases(p.leases),
    metadata: p.metadata as MetadataRecord | undefined,
    keptMetadataKeys: p.keptMetadataKeys as string[] | undefined,
    undeployPowerAction: p.undeployPowerAction,
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
    deploymentSeconds: l.deploymentSeconds ?? l.effectiveDeploymentSeconds,
    storageSeconds: l.storageSeconds ?? l.effectiveStorageSeconds,
    effectiveDeploymentSeconds: l.effectiveDeploymentSeconds,
    effectiveStorageSeconds: l.effectiveStorageSeconds,
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
  powerOn: isPoweredOn(v),
  metadata: p.metadata === undefined ? undefined : managedMetadata(metadata),
});

/** Once the vApp exists, a failure still reports it, so `up` can finish the job and `destroy` can remove it. */
async function partial(c: VcdClient, p: Props, href: string, err: unknown): Promise<PartialStateError> {
  const message = `${label(p)}: ${messageOf(err)}`;
  const seen = await observe(c, href).catch(() => undefined);
  const outs = seen
    ? outputsOf(p, seen.vapp, seen.metadata, observedInputs(desiredOf(p), observedOf(seen.vapp, seen.metadata)))
    : {
        ...inputsOf(p),
        href,
        status: { code: VAppStatus.FAILED_CREATION, text: vappStatusName(VAppStatus.FAILED_CREATION) },
      };
  return new PartialStateError(message, href, { ...outs, __provider: p.__provider }, [message], { cause: err });
}

/**
 * `adopt` in check(): undeclared name, description and powerOn take the adopted vApp's values, undeclared metadata
 * keys are kept (`keptMetadataKeys`), and `adoptionPlan` lists every change the adoption will make, so `preview
 * --diff` shows it before anything happens. The first time (nothing in the state yet) this reads the vApp, even
 * during preview; afterwards the values recorded in the state (`olds`) are carried forward, so a later `up` keeps
 * them too. Returns the inputs to validate and the failures found.
 */
async function adoption(
  olds: Props,
  news: Props,
): Promise<{ news: Props; failures: CheckFailure[]; plan?: { vapp: string; changes: string[] } }> {
  const recorded = olds?.adopt;
  if (!news.adopt && !recorded) return { news, failures: [] };
  if (recorded && news.adopt && recorded !== news.adopt) {
    return {
      news,
      failures: [
        {
          property: "adopt",
          reason: `cannot change once the vApp is adopted (this resource is that vApp); declare another resource to adopt another vApp`,
        },
      ],
    };
  }
  const out: Props = { ...news, adopt: news.adopt ?? recorded };
  const declared = (k: string) => news[k] !== undefined;
  const declaredMetadata = news.metadata && typeof news.metadata === "object" ? Object.keys(news.metadata) : undefined;
  if (recorded) {
    for (const k of ADOPT_KEPT)
      if (!declared(k) && olds[k] !== undefined) (out as Record<string, unknown>)[k] = olds[k];
    if (declaredMetadata)
      out.keptMetadataKeys = ((olds.keptMetadataKeys as string[] | undefined) ?? []).filter(
        (k) => !declaredMetadata.includes(k),
      );
    if (olds.adoptionPlan !== undefined) out.adoptionPlan = olds.adoptionPlan;
    return { news: out, failures: [] };
  }
  // First adoption: read the vApp. Not possible while the connection or the target is unknown (preview).
  if (containsUnknown(news.connection) || containsUnknown(news.adopt) || containsUnknown(news.vdc) || !news.connection)
    return { news: out, failures: [] };
  try {
    return await withClient(news.connection, async (c) => {
      const seen = await findAdoptable(c, news.adopt!, news.vdc, news.connection.username);
      const v = seen.vapp;
      const found: Record<string, unknown> = { name: v.name, description: v.description, powerOn: isPoweredOn(v) };
      for (const k of ADOPT_KEPT) if (!declared(k)) (out as Record<string, unknown>)[k] = found[k];
      if (declaredMetadata && !containsUnknown(news.metadata)) {
        out.keptMetadataKeys = Object.keys(managedMetadata(seen.metadata))
          .filter((k) => !declaredMetadata.includes(k))
          .sort();
      }
      const parsed = checkInputs(vcdVappInputsSchema, out);
      if (parsed.failures.length) return { news: out, failures: [] }; // reported by the caller
      const desired = desiredOf(parsed.inputs as Props);
      const plan = planUpdate(desired, observedOf(v, seen.metadata));
      out.adoptionPlan = describePlan(plan.steps, observedOf(v, seen.metadata));
      const failures = plan.problems.map((reason) => ({ property: "adopt", reason }));
      return { news: out, failures, plan: { vapp: v.name, changes: out.adoptionPlan as string[] } };
    });
  } catch (e) {
    return { news: out, failures: [{ property: "adopt", reason: messageOf(e) }] };
  }
}

export async function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  // Validate as given first: a bad input fails without any request.
  const first = checkInputs(vcdVappInputsSchema, news);
  if (first.failures.length) return first;
  const adopted = await adoption(olds ?? ({} as Props), news);
  const result = checkInputs(vcdVappInputsSchema, adopted.news);
  const failures = [...result.failures, ...adopted.failures];
  if (!failures.length) {
    const p = result.inputs as Props;
    const c = p.connection as Record<string, unknown> | undefined;
    if (c && !containsUnknown(c)) p.endpoint = endpointLabel(c.url, c.org);
    for (const w of transportWarnings(c ?? {}, [{ path: "connection.url", url: c?.url }]))
      await warn(`${label(p)}: ${w}`);
    if (adopted.plan?.changes.length)
      await warn(`${label(p)}: adopting vApp "${adopted.plan.vapp}" will: ${adopted.plan.changes.join("; ")}`);
  }
  return { inputs: result.inputs, failures };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const d = diffVApp(olds, news);
  // Another endpoint or org is another vCD (or tenant): the vApp cannot follow in place (see common/connection.ts).
  const moved = containsUnknown(news.connection)
    ? []
    : movedConnectionFields(olds.connection, news.connection, {
        fields: ["org"],
        stripSuffix: /\/api$/,
      });
  if (moved.length) {
    // Named by the non-secret `endpoint` input, so the plan says where the vApp moves ([diff: ~endpoint]).
    return { changes: true, replaces: [...d.replaces, "endpoint"], deleteBeforeReplace: false };
  }
  return {
    changes: d.replaces.length + d.updates.length > 0,
    replaces: d.replaces,
    deleteBeforeReplace: d.deleteBeforeReplace,
  };
}

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const desired = desiredOf(inputs);
  return withClient(inputs.connection, async (c) => {
    let v: VApp;
    try {
      v = inputs.adopt
        ? (await findAdoptable(c, inputs.adopt, inputs.vdc, inputs.connection.username)).vapp
        : await createVApp(c, {
            ...desired,
            org: inputs.org,
            vdc: inputs.vdc,
            fenceMode: inputs.fenceMode ?? "bridged",
            acceptAllEulas: inputs.acceptAllEulas ?? true,
            source: inputs.source,
            network: inputs.network,
          });
    } catch (e) {
      if (e instanceof CreationFailedError) throw await partial(c, inputs, e.href, e);
      throw new Error(`${label(inputs)}: ${inputs.adopt ? "adopt: " : ""}${messageOf(e)}`, { cause: e });
    }
    try {
      // A fresh vApp carries no metadata of ours: nothing to read before adding the declared entries.
      const done = await converge(c, v, desired, { metadata: inputs.adopt ? await c.vapps.getMetadata(v.href) : [] });
      return {
        id: v.href,
        outs: outputsOf(inputs, done.vapp, done.metadata, convergedView(inputs, done.vapp, done.metadata)),
      };
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
      const at = await placementOf(c, v);
      creation.vdc = at.vdc ?? props.vdc;
      if (at.network !== undefined)
        Object.assign(creation, { network: at.network, fenceMode: at.fenceMode ?? props.fenceMode });
    }
    // Kept keys of an adopted vApp are not inputs: they were never declared.
    if (view.metadata) view.metadata = withoutKeys(view.metadata, props.keptMetadataKeys);
    const inputs = compact({
      ...inputsOf(props),
      ...compact({ ...view, keptMetadataKeys: undefined, undeployPowerAction: undefined }),
      name,
      ...creation,
    });
    return {
      id: v.href,
      props: { ...outputsOf({ ...props, ...creation } as Props, v, metadata, view), ...compact({ name }) },
      inputs,
    };
  });
}

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  return withClient(news.connection, async (c) => {
    const href = c.vapps.href(id);
    const seen = await observe(c, href);
    if (!seen)
      throw new Error(
        `${label(news)}: the vApp ${href} no longer exists in vCD; run \`pulumi refresh\` to forget it, then \`pulumi up\` to recreate it`,
      );
    try {
      const done = await converge(c, seen.vapp, desiredOf(news), {
        metadata: seen.metadata,
        recorded: recordedOf(olds, true),
      });
      return { outs: outputsOf(news, done.vapp, done.metadata, convergedView(news, done.vapp, done.metadata)) };
    } catch (e) {
      throw await partial(c, news, href, e);
    }
  });
}

export async function remove(id: string, props: Props): Promise<void> {
  await withClient(props.connection, async (c) => {
    try {
      // Undeploys first (guest shutdown by default): vCD refuses to delete a running vApp. Already gone (deleted
      // outside Pulumi): nothing to do.
      await deleteVApp(c, c.vapps.href(id), props.undeployPowerAction ?? "shutdown");
    } catch (e) {
      throw new Error(`${label(props)}: ${messageOf(e)}`, { cause: e });
    }
  });
}

/** The operations, checked against what the runtime expects of every kind (providers/common/provider.ts). */
export const operations: Handlers<Props, Props> = { check, diff, create, read, update, remove };
