// The vApp as declared, as vCD shows it, and the steps that bring one to the other: plain data, no I/O.
import type { UndeployPowerAction } from "../bodies";
import type { Leases, MetadataEntry } from "../xml";
import type { MetadataPlan } from "./metadata";

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
  /** VAppStatus code (sdk/vcd/wire.ts). */
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
