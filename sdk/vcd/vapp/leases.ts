// Leases in terms of their declaration: vCD rewrites declared values (0 → the org's value, clamping to the org
// maximum), so comparing needs what was declared and what vCD applied. Pure.
import type { Leases } from "../xml";
import type { LeaseSeconds, RecordedLeases } from "./model";

export const sameLeases = (a: LeaseSeconds, b: LeaseSeconds) =>
  a.deploymentSeconds === b.deploymentSeconds && a.storageSeconds === b.storageSeconds;

/**
 * One lease as an input value. vCD turns 0 into the org's value and silently reduces values above the org's
 * maximum, so the observed number alone cannot say whether the declared one still holds: compare with what vCD
 * applied last time (when known), else accept any value vCD could have derived from the declared one.
 */
export function leaseInput(declared: number, observed: number, appliedBefore?: number): number {
  if (appliedBefore !== undefined) return observed === appliedBefore ? declared : observed;
  const derivable = observed === declared || declared === 0 || (observed > 0 && observed < declared);
  return derivable ? declared : observed;
}

/** The observed leases in terms of `declared`; `recorded` helps only when it was recorded for that same declaration. */
export function leasesAsInputs(declared: LeaseSeconds, observed: Leases, recorded?: RecordedLeases): LeaseSeconds {
  const applied = recorded && sameLeases(recorded, declared) ? recorded : undefined;
  return {
    deploymentSeconds: leaseInput(
      declared.deploymentSeconds,
      observed.deploymentSeconds,
      applied?.effectiveDeploymentSeconds,
    ),
    storageSeconds: leaseInput(declared.storageSeconds, observed.storageSeconds, applied?.effectiveStorageSeconds),
  };
}
