// The vApp's metadata as the resource manages it: which entries are ours, how values compare, and the changes that
// bring vCD's entries to the declared record. Pure.
import type { MetadataInput } from "../bodies";
import type { MetadataEntry } from "../xml";
import type { MetadataRecord, MetadataValue } from "./model";

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
