// One update of a vApp: read what the plan needs, plan, refuse or replay the steps, and read the result back.
import type { VcdClient } from "../client";
import type { MetadataEntry, VApp } from "../xml";
import { executeSteps } from "./executor";
import type { DesiredVApp, RecordedLeases, UpdateStep } from "./model";
import { observedOf } from "./observe";
import { planUpdate } from "./planner";

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
  await executeSteps(c, v.href, plan.steps);
  if (!plan.steps.length) return { vapp: v, metadata, steps: [] };
  const vapp = await c.vapps.get(v.href);
  if (desired.metadata || opts.metadata) metadata = await c.vapps.getMetadata(v.href);
  return { vapp, metadata, steps: plan.steps };
}
