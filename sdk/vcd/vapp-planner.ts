// Pure planning for one vApp: which declared changes replace it, which are applied in place and in what order,
// and how the vApp as vCD shows it reads in terms of its own inputs (for refresh and import). No I/O here.
import type { MetadataInput, UndeployPowerAction } from "./bodies";
import type { Leases, MetadataEntry } from "./xml";
import { containsUnknown } from "../schemas/common";

export type MetadataValue = string | number | boolean | { dateTime: string };
export type MetadataRecord = Record<string, MetadataValue>;
export interface LeaseSeconds {
  deploymentSeconds: number;
  storageSeconds: number;
}

/** What the user declares and an update can change in place. */
export interface DesiredVApp {
  name: string;
  description: string;
  /** undefined = not managed (owner, leases, metadata alike). */
  owner?: string;
  powerOn: boolean;
  leases?: LeaseSeconds;
  metadata?: MetadataRecord;
  /**
   * Managed-looking keys that are not ours: found on an adopted vApp and never declared. Never changed nor removed
   * while undeclared (adopting keeps what the program does not declare).
   */
  keptMetadataKeys?: string[];
  /** How the VMs stop when the vApp is powered off (vCD UndeployPowerAction); default shutdown. */
  undeployPowerAction?: UndeployPowerAction;
}

/** What vCD reports, reduced to what the plan needs. */
export interface ObservedVApp {
  name: string;
  description: string;
  owner?: string;
  status: number;
  statusText: string;
  deployed: boolean;
  expired: boolean;
  hasVms: boolean;
  /** Absent while the vApp is being created. */
  leases?: Leases;
  metadata: MetadataEntry[];
}

/**
 * The leases as last recorded: the declared values and what vCD applied for them. Tells an out-of-band change
 * from vCD's own clamping.
 */
export interface RecordedLeases extends LeaseSeconds {
  effectiveDeploymentSeconds: number;
  effectiveStorageSeconds: number;
}

// --- metadata ---

const RESERVED_PREFIX = "vapp.origin.";

/** Entries this resource manages: GENERAL, read-write, and not one vCD writes itself. SYSTEM entries are the provider's. */
export function isManagedEntry(e: MetadataEntry): boolean {
  return e.domain === "GENERAL" && e.visibility === "READWRITE" && !e.key.startsWith(RESERVED_PREFIX);
}

export function metadataValueOf(e: MetadataEntry): MetadataValue {
  return e.type === "MetadataDateTimeValue" ? { dateTime: String(e.value) } : e.value;
}

export function managedMetadata(entries: MetadataEntry[]): MetadataRecord {
  return Object.fromEntries(entries.filter(isManagedEntry).map((e) => [e.key, metadataValueOf(e)]));
}

const isDateTime = (v: MetadataValue | undefined): v is { dateTime: string } => typeof v === "object" && v !== null;

/** Same value and same vCD type; date-times compare as instants (vCD may render another offset or precision). */
export function sameMetadataValue(a: MetadataValue | undefined, b: MetadataValue | undefined): boolean {
  if (isDateTime(a) || isDateTime(b))
    return isDateTime(a) && isDateTime(b) && Date.parse(a.dateTime) === Date.parse(b.dateTime);
  return a === b;
}

export function sameMetadata(a: MetadataRecord = {}, b: MetadataRecord = {}): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => k in a && k in b && sameMetadataValue(a[k], b[k]));
}

export function toMetadataInput(key: string, value: MetadataValue): MetadataInput {
  return isDateTime(value) ? { key, value: value.dateTime, type: "MetadataDateTimeValue" } : { key, value };
}

export interface MetadataPlan {
  /** Added or changed entries: one merge request. */
  set: MetadataInput[];
  /** Managed keys that are no longer declared: one DELETE each (vCD has no bulk delete). */
  remove: string[];
}

/** `keep`: keys to leave alone even though they are not declared (see DesiredVApp.keptMetadataKeys). */
export function planMetadata(desired: MetadataRecord, observed: MetadataEntry[], keep: string[] = []): MetadataPlan {
  const current = managedMetadata(observed);
  // A read-only or SYSTEM entry with a declared key would make the merge fail; it is not ours, so leave it.
  const foreign = new Set(observed.filter((e) => !isManagedEntry(e) && e.domain === "GENERAL").map((e) => e.key));
  return {
    set: Object.entries(desired)
      .filter(([k, v]) => !foreign.has(k) && !(k in current && sameMetadataValue(current[k], v)))
      .map(([k, v]) => toMetadataInput(k, v)),
    remove: Object.keys(current)
      .filter((k) => !(k in desired) && !keep.includes(k))
      .sort(),
  };
}

// --- leases ---

const sameLeases = (a: LeaseSeconds, b: LeaseSeconds) =>
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

// --- the vApp in terms of its inputs (refresh, import) ---

export const isPoweredOn = (o: Pick<ObservedVApp, "status">) => o.status === 4;

/** The declared properties as vCD now shows them; unmanaged ones stay undefined. */
export function observedInputs(declared: DesiredVApp, observed: ObservedVApp, recorded?: RecordedLeases): DesiredVApp {
  return {
    name: observed.name,
    description: observed.description,
    owner: declared.owner === undefined ? undefined : observed.owner,
    powerOn: isPoweredOn(observed),
    leases:
      declared.leases && observed.leases ? leasesAsInputs(declared.leases, observed.leases, recorded) : declared.leases,
    metadata: declared.metadata === undefined ? undefined : managedMetadata(observed.metadata),
  };
}

// --- update plan ---

export type UpdateStep =
  | { kind: "edit"; name: string; description: string }
  | { kind: "owner"; user: string }
  | { kind: "leases"; leases: LeaseSeconds }
  | { kind: "metadata"; plan: MetadataPlan }
  | { kind: "power"; on: boolean; undeployPowerAction?: UndeployPowerAction };

export interface UpdatePlan {
  /** In the order to apply them: leases before power (a renewed lease lets an expired vApp start again). */
  steps: UpdateStep[];
  /** Reasons vCD would refuse the plan; nothing should be changed when there are any. */
  problems: string[];
}

/** `recorded`: the leases in the state (declared then, or found unmanaged); the plan compares vCD's view of them. */
export function planUpdate(desired: DesiredVApp, observed: ObservedVApp, recorded?: RecordedLeases): UpdatePlan {
  const steps: UpdateStep[] = [];
  const problems: string[] = [];
  if (observed.status === -1) {
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

// --- diff ---

/** Properties only a new vApp can change, in the order a diff reports them. */
export const REPLACE_KEYS = ["org", "vdc", "fenceMode", "acceptAllEulas", "source", "network"] as const;

export interface VAppDiff {
  replaces: string[];
  updates: string[];
  /** The replacement would take the same name in the same VDC, which vCD refuses (DUPLICATE_NAME): delete first. */
  deleteBeforeReplace: boolean;
}

type Props = Record<string, unknown>;

/** The vApp name a props object stands for: declared, else the resource name; olds from state carry the observed name. */
export const effectiveName = (p: Props): string | undefined =>
  (p.name as string | undefined) ?? (p.resourceName as string | undefined);

const json = (v: unknown) => JSON.stringify(v ?? null);
const declaredLeases = (v: unknown): LeaseSeconds | undefined => {
  const l = v as Partial<LeaseSeconds> | undefined;
  // Outputs of unmanaged leases hold only what vCD applied (effective*): nothing declared.
  return l && typeof l === "object" && l.deploymentSeconds !== undefined && l.storageSeconds !== undefined
    ? { deploymentSeconds: l.deploymentSeconds, storageSeconds: l.storageSeconds }
    : undefined;
};

/** The record without `keys` (kept keys of an adopted vApp are not ours to compare). */
export function withoutKeys(rec: unknown, keys: unknown): MetadataRecord | undefined {
  if (!rec || typeof rec !== "object") return rec as undefined;
  const drop = Array.isArray(keys) ? (keys as string[]) : [];
  return Object.fromEntries(Object.entries(rec as MetadataRecord).filter(([k]) => !drop.includes(k)));
}

/** olds are the recorded outputs (declared values plus what vCD showed); news the checked inputs. */
export function diffVApp(olds: Props, news: Props): VAppDiff {
  // A value not known until another resource is updated (preview) may change anything: report it as changed.
  const unknown = Object.keys(news).filter((k) => containsUnknown(news[k]));
  if (unknown.length) {
    const replaces: string[] = REPLACE_KEYS.filter((k) => unknown.includes(k));
    return { replaces, updates: unknown.filter((k) => !replaces.includes(k)), deleteBeforeReplace: false };
  }
  const replaces: string[] = REPLACE_KEYS.filter((k) => json(olds[k]) !== json(news[k]));
  // A creation vCD failed cannot be repaired in place; a new vApp is the only way forward.
  if ((olds.status as { code?: number } | undefined)?.code === -1 && !replaces.length) replaces.push("status");
  const updates: string[] = [];
  if (effectiveName(olds) !== effectiveName(news)) updates.push("name");
  if ((olds.description ?? "") !== (news.description ?? "")) updates.push("description");
  if (news.owner !== undefined && olds.owner !== news.owner) updates.push("owner");
  if (Boolean(olds.powerOn) !== Boolean(news.powerOn)) updates.push("powerOn");
  if ((olds.undeployPowerAction ?? "shutdown") !== (news.undeployPowerAction ?? "shutdown"))
    updates.push("undeployPowerAction");
  const nl = declaredLeases(news.leases);
  const ol = declaredLeases(olds.leases);
  if (nl && (!ol || !sameLeases(nl, ol))) updates.push("leases");
  if (
    news.metadata !== undefined &&
    !sameMetadata(withoutKeys(olds.metadata, news.keptMetadataKeys), news.metadata as MetadataRecord)
  )
    updates.push("metadata");
  if (json(olds.connection) !== json(news.connection)) updates.push("connection");
  return {
    replaces,
    updates,
    deleteBeforeReplace:
      replaces.length > 0 &&
      olds.org === news.org &&
      olds.vdc === news.vdc &&
      effectiveName(olds) === effectiveName(news),
  };
}
