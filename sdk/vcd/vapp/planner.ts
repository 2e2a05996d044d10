// Pure planning for one vApp: the in-place changes that bring it from what vCD shows to what is declared, in the
// order to apply them, and the reasons vCD would refuse them. No I/O here; sdk/vcd/vapp/executor.ts applies them.
import { VAppStatus } from "../wire";
import { leasesAsInputs, sameLeases } from "./leases";
import { managedMetadata, planMetadata } from "./metadata";
import type { DesiredVApp, ObservedVApp, RecordedLeases, UpdatePlan, UpdateStep } from "./model";

export const isPoweredOn = (o: Pick<ObservedVApp, "status">) => o.status === VAppStatus.POWERED_ON;

/** `recorded`: the leases in the state (declared then, or found unmanaged); the plan compares vCD's view of them. */
export function planUpdate(desired: DesiredVApp, observed: ObservedVApp, recorded?: RecordedLeases): UpdatePlan {
  const steps: UpdateStep[] = [];
  const problems: string[] = [];
  if (observed.status === VAppStatus.FAILED_CREATION) {
    problems.push(
      `vCD failed to create this vApp (status FAILED_CREATION); it cannot be repaired in place: replace it (pulumi up --replace) or destroy it`,
    );
    return { steps, problems };
  }
  if (desired.name !== observed.name || desired.description !== observed.description) {
    steps.push({ kind: "edit", name: desired.name, description: desired.description });
  }
  if (desired.owner !== undefined && desired.owner !== observed.owner)
    steps.push({ kind: "owner", user: desired.owner });
  const leases = desired.leases;
  const wantsStart = desired.powerOn && !isPoweredOn(observed);
  // Re-applying the declared leases restarts them: the way to start a vApp whose storage lease ran out.
  const renew = wantsStart && observed.expired;
  if (
    leases &&
    (renew || !observed.leases || !sameLeases(leasesAsInputs(recorded ?? leases, observed.leases, recorded), leases))
  ) {
    steps.push({ kind: "leases", leases });
  }
  if (desired.metadata) {
    const plan = planMetadata(desired.metadata, observed.metadata, desired.keptMetadataKeys);
    if (plan.set.length || plan.remove.length) steps.push({ kind: "metadata", plan });
  }
  if (desired.powerOn ? wantsStart : observed.deployed) {
    if (desired.powerOn && !observed.hasVms) problems.push("powerOn: the vApp has no VMs, so vCD cannot power it on");
    else if (desired.powerOn && observed.expired && !steps.some((s) => s.kind === "leases")) {
      const when = observed.leases?.storageExpiration ? ` at ${observed.leases.storageExpiration}` : "";
      problems.push(
        `powerOn: the vApp's storage lease expired${when} and vCD refuses to start expired vApps; renew it by declaring leases (e.g. { deploymentSeconds: 0, storageSeconds: 0 }) or in the vCD portal`,
      );
    }
    steps.push(
      desired.powerOn
        ? { kind: "power", on: true }
        : { kind: "power", on: false, undeployPowerAction: desired.undeployPowerAction ?? "shutdown" },
    );
  }
  return { steps, problems };
}

const shown = (v: unknown, max = 60) => {
  const t = typeof v === "object" && v !== null ? JSON.stringify(v) : JSON.stringify(String(v));
  return t.length > max ? `${t.slice(0, max - 2)}…"` : t;
};

/**
 * One line per change a plan makes, in the user's terms: what `preview` shows before an adoption touches anything
 * (e.g. `rename "prod-db" to "db"`, `power off (undeploy, shutdown)`, `metadata "tier": "silver" → "gold"`).
 */
export function describePlan(steps: UpdateStep[], observed: ObservedVApp): string[] {
  const current = managedMetadata(observed.metadata);
  const out: string[] = [];
  for (const step of steps) {
    switch (step.kind) {
      case "edit":
        if (step.name !== observed.name) out.push(`rename ${shown(observed.name)} to ${shown(step.name)}`);
        if (step.description !== observed.description)
          out.push(`description ${shown(observed.description)} → ${shown(step.description)}`);
        break;
      case "owner":
        out.push(`owner ${shown(observed.owner ?? "")} → ${shown(step.user)}`);
        break;
      case "leases": {
        const l = observed.leases;
        out.push(
          `leases: deployment ${l?.deploymentSeconds ?? "?"} s → ${step.leases.deploymentSeconds} s, storage ${l?.storageSeconds ?? "?"} s → ${step.leases.storageSeconds} s`,
        );
        break;
      }
      case "metadata":
        for (const e of step.plan.set)
          out.push(
            e.key in current
              ? `metadata ${shown(e.key)}: ${shown(current[e.key])} → ${shown(e.value)}`
              : `metadata ${shown(e.key)}: add ${shown(e.value)}`,
          );
        for (const k of step.plan.remove) out.push(`metadata ${shown(k)}: remove (was ${shown(current[k])})`);
        break;
      case "power":
        out.push(step.on ? "power on (deploy)" : `power off (undeploy, ${step.undeployPowerAction ?? "shutdown"})`);
        break;
    }
  }
  return out;
}
