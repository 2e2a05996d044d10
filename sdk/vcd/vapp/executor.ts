// Replays an update plan's steps with the client, in order and as written: the decisions are the planner's.
import type { VcdClient } from "../client";
import type { UpdateStep } from "./model";

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

/** Applies `steps` to the vApp at `href` one after the other; the first failure stops the rest. */
export async function executeSteps(c: VcdClient, href: string, steps: UpdateStep[]): Promise<void> {
  for (const step of steps) await applyStep(c, href, step);
}
