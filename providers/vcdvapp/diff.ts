// Pulumi semantics of a VcdVapp: which changes replace the vApp (and whether the old one must go first), which
// update it in place, preview-unknown values, and the inputs a refresh reports from what vCD shows.
import { containsUnknown } from "../common/check";
import { VAppStatus } from "../../sdk/vcd/wire";
import { leasesAsInputs, sameLeases } from "../../sdk/vcd/vapp/leases";
import { managedMetadata, sameMetadata } from "../../sdk/vcd/vapp/metadata";
import type { DesiredVApp, LeaseSeconds, MetadataRecord, ObservedVApp, RecordedLeases } from "../../sdk/vcd/vapp/model";
import { isPoweredOn } from "../../sdk/vcd/vapp/planner";
import { sameInput } from "../common/diff";

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

/** The declared leases in inputs or outputs; undefined when none were declared. */
export const declaredLeases = (v: unknown): LeaseSeconds | undefined => {
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
  const replaces: string[] = REPLACE_KEYS.filter((k) => !sameInput(olds[k], news[k]));
  // A creation vCD failed cannot be repaired in place; a new vApp is the only way forward.
  if ((olds.status as { code?: number } | undefined)?.code === VAppStatus.FAILED_CREATION && !replaces.length)
    replaces.push("status");
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
  if (!sameInput(olds.connection, news.connection)) updates.push("connection");
  // A new limit takes effect from the next operation on; the update itself changes nothing in vCD.
  if (!sameInput(olds.timeouts, news.timeouts)) updates.push("timeouts");
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

/**
 * The declared properties as vCD now shows them: the inputs refresh and import report. Unmanaged ones stay
 * undefined.
 */
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

// The inputs as recorded in the state: what the diff compares, plus what identifies and adopts the vApp.
const INPUT_KEYS = [
  "connection",
  "org",
  "vdc",
  "name",
  "description",
  "fenceMode",
  "acceptAllEulas",
  "owner",
  "powerOn",
  "leases",
  "source",
  "network",
  "metadata",
  "adopt",
  "resourceName",
  "undeployPowerAction",
  "keptMetadataKeys",
  "adoptionPlan",
  "endpoint",
  "timeouts",
] as const;

/** The inputs to record in the state (those set: struct values cannot be undefined). */
export function inputsOf(p: Props): Record<string, unknown> {
  return Object.fromEntries(INPUT_KEYS.map((k) => [k, p[k]]).filter(([, v]) => v !== undefined));
}
