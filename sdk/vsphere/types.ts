// Plain data shapes of the vim25 API subset this client speaks. Names follow the vSphere API reference.

/** A managed object reference, e.g. { type: "VirtualMachine", value: "vm-63" }. The value is opaque. */
export interface MoRef {
  type: string;
  value: string;
}

export interface VsphereConnection {
  /** The SDK endpoint, e.g. https://vcenter.example.com/sdk (a bare https://host gets /sdk appended). */
  url: string;
  username: string;
  password: string;
  /** Skip TLS verification: labs and simulators only. */
  insecure?: boolean;
  /** PEM certificate(s) to trust in addition to the system roots. */
  ca?: string;
}

export interface AboutInfo {
  apiVersion: string;
  fullName: string;
  instanceUuid?: string;
}

export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  searchIndex: MoRef;
  viewManager: MoRef;
  sessionManager: MoRef;
  about: AboutInfo;
}

/** One object's requested properties, decoded (see property.ts for the decoding rules). */
export interface ObjectContent {
  obj: MoRef;
  props: Record<string, unknown>;
  /** Properties the server could not read, with the fault name (e.g. InvalidProperty, NotAuthenticated). */
  missing?: Array<{ path: string; fault: string }>;
}

export interface PropertySpec {
  type: string;
  pathSet: string[];
}

/**
 * How the PropertyCollector walks from an object to others. `selectSet` entries are either the name of another
 * spec (to recurse, e.g. folder into folder) or a nested spec.
 */
export interface TraversalSpec {
  name: string;
  type: string;
  path: string;
  skip?: boolean;
  selectSet?: Array<string | TraversalSpec>;
}

export interface ObjectSpec {
  obj: MoRef;
  /** Leave the starting object itself out of the results (e.g. the folder when listing its VMs). */
  skip?: boolean;
  selectSet?: TraversalSpec[];
}

export interface PropertyFilterSpec {
  propSet: PropertySpec[];
  objectSet: ObjectSpec[];
}

/** The subset of VirtualMachineCloneSpec (plus its RelocateSpec and ConfigSpec) this client sends. */
export interface CloneSpec {
  datastore?: MoRef;
  /** Required when the source is a template (templates have no pool). */
  pool?: MoRef;
  host?: MoRef;
  /** Mark the clone as a template. */
  template?: boolean;
  numCPUs?: number;
  memoryMB?: number;
  /** Honoured by vCenter; vcsim up to v0.55 leaves the clone powered off, so portable callers power on themselves. */
  powerOn?: boolean;
  /** config.extraConfig of the clone (vCenter applies it with the clone; vcsim 0.46 does not, so check after). */
  extraConfig?: OptionValue[];
}

export interface VmConfigSpec {
  numCPUs?: number;
  memoryMB?: number;
  /** Keys to set (an empty value removes the key, as vCenter does for extraConfig). */
  extraConfig?: OptionValue[];
}

/** vim25 OptionValue with a string value, e.g. one config.extraConfig entry. */
export interface OptionValue {
  key: string;
  value: string;
}

export type TaskState = "queued" | "running" | "success" | "error";
