// The I/O behind the VcdVapp provider: connect, create (compose or instantiate), observe, and apply an update
// plan with the vCD client. Decisions come from sdk/vcd/vapp-planner.ts; nothing here knows Pulumi.
import { VcdClient, VcdClientOptions } from "../../sdk/vcd/client";
import { withVcdSession } from "../../sdk/vcd/pool";
import { TaskError, TaskTimeoutError } from "../../sdk/vcd/errors";
import { DesiredVApp, ObservedVApp, planUpdate, UpdateStep, RecordedLeases } from "../../sdk/vcd/vapp-planner";
import { MetadataEntry, rootElement, VApp } from "../../sdk/vcd/xml";
import { attr } from "../../sdk/xml";
import type { VcdConnectionArgs } from "../../sdk/schemas/vcdvapp";

function clientOptions(conn: VcdConnectionArgs): VcdClientOptions {
  return {
    url: conn.url,
    org: conn.org,
    username: conn.username,
    password: conn.password,
    apiVersion: conn.apiVersion,
    insecure: conn.insecure,
    ca: conn.ca,
    // Short first polls, then at most 15 % of the wait apart: `up` learns of a finished task promptly.
    taskPollMs: 100,
    taskMaxOvershoot: 0.15,
  };
}

export function connect(conn: VcdConnectionArgs): VcdClient {
  return new VcdClient(clientOptions(conn));
}

/** Runs `fn` with the provider process's one logged-in session for this vCD, org and user (sdk/vcd/pool.ts). */
export async function withClient<T>(conn: VcdConnectionArgs, fn: (c: VcdClient) => Promise<T>): Promise<T> {
  return withVcdSession(clientOptions(conn), fn);
}

export interface CreateSpec {
  org: string;
  vdc: string;
  name: string;
  description: string;
  fenceMode: "isolated" | "direct" | "bridged" | "natRouted";
  acceptAllEulas: boolean;
  powerOn: boolean;
  source?: { catalog: string; template: string };
  network?: string;
}

/** The creation failed after vCD had created the vApp: `href` names what is left behind. */
export class CreationFailedError extends Error {
  constructor(
    message: string,
    readonly href: string,
  ) {
    super(message);
    this.name = "CreationFailedError";
  }
}

export async function createVApp(c: VcdClient, s: CreateSpec): Promise<VApp> {
  const networks = s.network ? [{ name: s.network, fenceMode: s.fenceMode }] : [];
  try {
    if (!s.source)
      return await c.vapps.compose({ vdc: s.vdc, org: s.org, name: s.name, description: s.description, networks });
    // deploy/powerOn in the instantiation itself: one task instead of two.
    return await c.vapps.instantiate({
      vdc: s.vdc,
      org: s.org,
      name: s.name,
      description: s.description,
      networks,
      catalog: s.source.catalog,
      template: s.source.template,
      acceptAllEulas: s.acceptAllEulas,
      deploy: s.powerOn,
      powerOn: s.powerOn,
    });
  } catch (e) {
    // vCD answered 201, so the vApp exists, but its creation task failed or outlived our patience.
    if (e instanceof TaskError && e.details.ownerHref) throw new CreationFailedError(e.message, e.details.ownerHref);
    if (e instanceof TaskTimeoutError) {
      const left = await c.vapps.find(s.vdc, s.name).catch(() => undefined);
      if (left) throw new CreationFailedError(e.message, left.href);
    }
    throw e;
  }
}

export function observedOf(v: VApp, metadata: MetadataEntry[]): ObservedVApp {
  return {
    name: v.name,
    description: v.description,
    owner: v.owner?.name,
    status: v.status,
    statusText: v.statusText,
    deployed: v.deployed,
    expired: v.expired,
    hasVms: v.vmNames.length > 0,
    leases: v.leases,
    metadata,
  };
}

async function applyStep(c: VcdClient, href: string, step: UpdateStep): Promise<void> {
  switch (step.kind) {
    case "edit":
      await c.vapps.update(href, { name: step.name, description: step.description });
      return;
    case "owner":
      await c.vapps.setOwner(href, step.user);
      return;
    case "leases":
      await c.vapps.setLease(href, step.leases);
      return;
    case "metadata":
      if (step.plan.set.length) await c.vapps.mergeMetadata(href, step.plan.set);
      for (const key of step.plan.remove) await c.vapps.deleteMetadata(href, key);
      return;
    case "power":
      // Off = undeploy (shutdown by default), as the vCD portal does: the vApp ends undeployed and can be deleted.
      await c.vapps.setPower(href, step.on, step.undeployPowerAction);
      return;
  }
}

export interface Converged {
  vapp: VApp;
  metadata: MetadataEntry[];
  steps: UpdateStep[];
}

/**
 * Brings the vApp to `desired`. `metadata` is what the caller already read (undefined: read it when metadata is
 * managed). Refuses up front, changing nothing, when vCD would refuse part of the plan.
 */
export async function converge(
  c: VcdClient,
  v: VApp,
  desired: DesiredVApp,
  opts: { metadata?: MetadataEntry[]; recorded?: RecordedLeases } = {},
): Promise<Converged> {
  let metadata = opts.metadata ?? (desired.metadata ? await c.vapps.getMetadata(v.href) : []);
  const plan = planUpdate(desired, observedOf(v, metadata), opts.recorded);
  if (plan.problems.length) throw new Error(plan.problems.join("; "));
  for (const step of plan.steps) await applyStep(c, v.href, step);
  if (!plan.steps.length) return { vapp: v, metadata, steps: [] };
  const vapp = await c.vapps.get(v.href);
  if (desired.metadata || opts.metadata) metadata = await c.vapps.getMetadata(v.href);
  return { vapp, metadata, steps: plan.steps };
}

/** The vApp an `adopt` names, checked against the declared placement; throws a message for check() otherwise. */
export async function findAdoptable(
  c: VcdClient,
  ref: string,
  vdc: string,
  username: string,
): Promise<{ vapp: VApp; metadata: MetadataEntry[] }> {
  const href = c.vapps.href(ref);
  const seen = await observe(c, href);
  if (!seen) throw new Error(`no vApp at ${href} (deleted, or not visible to user "${username}")`);
  const where = seen.vapp.vdcHref ? await vdcName(c, seen.vapp.vdcHref) : undefined;
  if (where !== undefined && where !== vdc)
    throw new Error(`vApp "${seen.vapp.name}" is in VDC "${where}", not "${vdc}"; declare vdc: "${where}" to adopt it`);
  return seen;
}

/** Reads the vApp with its metadata; undefined when vCD says 403 and its query confirms the vApp is gone. */
export async function observe(
  c: VcdClient,
  href: string,
): Promise<{ vapp: VApp; metadata: MetadataEntry[] } | undefined> {
  const vapp = await c.vapps.tryGet(href);
  if (!vapp) {
    await confirmGone(c, href);
    return undefined;
  }
  return { vapp, metadata: await c.vapps.getMetadata(vapp.href) };
}

/**
 * vCD answers 403 alike for deleted vApps and for vApps the user may not see. A vApp the query still lists is
 * not gone: say so instead of letting Pulumi forget (and later recreate) it.
 */
export async function confirmGone(c: VcdClient, href: string): Promise<void> {
  const listed = await c.query("vApp", { filter: { href } });
  if (listed.length) {
    throw new Error(
      `vCD refuses access (403) to vApp "${listed[0].attrs.name}" (${href}) although it still exists: the user "${c.sessionInfo?.user}" lacks rights on it`,
    );
  }
}

/** Name of the VDC at `href` (import checks that the vApp is where the program says). */
export async function vdcName(c: VcdClient, href: string): Promise<string | undefined> {
  return attr(rootElement(await c.get(href), "Vdc"), "name");
}
