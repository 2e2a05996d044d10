// Generated from the zod schema of VcdVapp (sdk/schemas) by `npm run args`; do not edit.
import type * as pulumi from "@pulumi/pulumi";

/** The inputs of a VcdVapp. check() enforces the rules given here at `pulumi preview`. */
export interface VcdVappArgs {
  /** Org of the vApp (creation only). 1 to 128 characters. Changing it replaces the resource. */
  org: pulumi.Input<string>;
  /** Org VDC of the vApp (creation only). 1 to 128 characters. Changing it replaces the resource. */
  vdc: pulumi.Input<string>;
  /**
   * vApp name; defaults to the resource name (with adopt: the adopted vApp's name). Renaming updates in
   * place. 1 to 128 characters.
   */
  name?: pulumi.Input<string>;
  /** vApp description (with adopt, undeclared keeps the adopted vApp's). Default: `""`. */
  description?: pulumi.Input<string>;
  /**
   * Fence mode of the vApp network (creation only). Default: `"bridged"`. Changing it replaces the resource.
   */
  fenceMode?: pulumi.Input<"isolated" | "direct" | "bridged" | "natRouted">;
  /** Accept the template's EULAs (creation only). Default: `true`. Changing it replaces the resource. */
  acceptAllEulas?: pulumi.Input<boolean>;
  /** User of the vApp's org who owns it; unmanaged when omitted. Not empty. */
  owner?: pulumi.Input<string>;
  /**
   * Power the vApp on (true) or keep it undeployed (false). With adopt, undeclared keeps the vApp's power
   * state. Default: `false`.
   */
  powerOn?: pulumi.Input<boolean>;
  /**
   * How the VMs stop on powerOn: false and on delete: shutdown (guest, then power off if that fails;
   * default), powerOff or default (the vApp's StartupSection). Default: `"shutdown"`.
   */
  undeployPowerAction?: pulumi.Input<"shutdown" | "powerOff" | "default">;
  /**
   * Runtime and storage leases in seconds; unmanaged when omitted. vCD reduces values above the org's
   * maximum.
   */
  leases?: pulumi.Input<VcdVappLeasesArgs>;
  /**
   * Catalog template to instantiate (creation only); omitted = an empty composed vApp. Changing it replaces
   * the resource.
   */
  source?: pulumi.Input<VcdVappSourceArgs>;
  /** Org VDC network to connect (creation only). 1 to 128 characters. Changing it replaces the resource. */
  network?: pulumi.Input<string>;
  /**
   * GENERAL-domain metadata, kept exactly as declared (keys vCD owns are left alone); unmanaged when omitted.
   * Values: strings, whole numbers, booleans, and Dates or `{ dateTime: <ISO 8601> }`
   * (MetadataDateTimeValue).
   */
  metadata?: pulumi.Input<{ [key: string]: pulumi.Input<string | number | boolean | { dateTime: string } | Date> }>;
  /**
   * Adopt this existing vApp (href or URN) instead of creating one; its declared properties are then applied.
   */
  adopt?: pulumi.Input<string>;
  /** Secret as a whole: encrypted in the state. */
  connection: pulumi.Input<VcdConnectionArgs>;
  /**
   * How long create, update and delete may each take in all, as durations ("30m", "1h30m"); tasks still
   * running then are cancelled.
   */
  timeouts?: pulumi.Input<VcdVappTimeoutsArgs>;
}

/** Every input of a VcdVapp, as the resource reports it back (`vcdVapp.<input>`). */
export interface VcdVappInputOutputs {
  /** Org of the vApp (creation only). 1 to 128 characters. Changing it replaces the resource. */
  readonly org: pulumi.Output<string>;
  /** Org VDC of the vApp (creation only). 1 to 128 characters. Changing it replaces the resource. */
  readonly vdc: pulumi.Output<string>;
  /** vApp description (with adopt, undeclared keeps the adopted vApp's). Default: `""`. */
  readonly description: pulumi.Output<string>;
  /**
   * Fence mode of the vApp network (creation only). Default: `"bridged"`. Changing it replaces the resource.
   */
  readonly fenceMode: pulumi.Output<"isolated" | "direct" | "bridged" | "natRouted">;
  /** Accept the template's EULAs (creation only). Default: `true`. Changing it replaces the resource. */
  readonly acceptAllEulas: pulumi.Output<boolean>;
  /**
   * Power the vApp on (true) or keep it undeployed (false). With adopt, undeclared keeps the vApp's power
   * state. Default: `false`.
   */
  readonly powerOn: pulumi.Output<boolean>;
  /**
   * How the VMs stop on powerOn: false and on delete: shutdown (guest, then power off if that fails;
   * default), powerOff or default (the vApp's StartupSection). Default: `"shutdown"`.
   */
  readonly undeployPowerAction: pulumi.Output<"shutdown" | "powerOff" | "default">;
  /**
   * Catalog template to instantiate (creation only); omitted = an empty composed vApp. Changing it replaces
   * the resource.
   */
  readonly source: pulumi.Output<VcdVappSource | undefined>;
  /** Org VDC network to connect (creation only). 1 to 128 characters. Changing it replaces the resource. */
  readonly network: pulumi.Output<string | undefined>;
  /**
   * Adopt this existing vApp (href or URN) instead of creating one; its declared properties are then applied.
   */
  readonly adopt: pulumi.Output<string | undefined>;
  /** Secret as a whole: encrypted in the state. */
  readonly connection: pulumi.Output<VcdConnection>;
  /**
   * How long create, update and delete may each take in all, as durations ("30m", "1h30m"); tasks still
   * running then are cancelled.
   */
  readonly timeouts: pulumi.Output<VcdVappTimeouts | undefined>;
}

export interface VcdVappLeasesArgs {
  /**
   * Runtime lease in seconds: 0 = the org's value, else at least 3600. A whole number, at most 2147483647.
   */
  deploymentSeconds: pulumi.Input<number>;
  /**
   * Storage lease in seconds: 0 = the org's value, else at least 3600. A whole number, at most 2147483647.
   */
  storageSeconds: pulumi.Input<number>;
}

export interface VcdVappSourceArgs {
  /** Catalog that holds the template. 1 to 128 characters. */
  catalog: pulumi.Input<string>;
  /** vApp template in that catalog. 1 to 128 characters. */
  template: pulumi.Input<string>;
}

export interface VcdVappSource {
  /** Catalog that holds the template. 1 to 128 characters. */
  catalog: string;
  /** vApp template in that catalog. 1 to 128 characters. */
  template: string;
}

export interface VcdConnectionArgs {
  /** vCD base URL, e.g. https://vcd.example.com; changing it (or org) replaces the vApp. */
  url: pulumi.Input<string>;
  /** Org to log in to (System for provider users). Not empty. */
  org: pulumi.Input<string>;
  /** vCD user name. Not empty. */
  username: pulumi.Input<string>;
  /** Password of the vCD user. Not empty. Secret: encrypted in the state and never shown. */
  password: pulumi.Input<string>;
  /** Pin an API version instead of negotiating the highest common one. */
  apiVersion?: pulumi.Input<string>;
  /** Skip TLS certificate verification (labs and simulators only); not together with `ca`. */
  insecure?: pulumi.Input<boolean>;
  /** PEM CA bundle to trust in addition to the system roots. */
  ca?: pulumi.Input<string>;
  /**
   * Accept http:// endpoints, which send the password unencrypted (labs only); off by default, and warned
   * about when on.
   */
  allowHttp?: pulumi.Input<boolean>;
}

export interface VcdConnection {
  /** vCD base URL, e.g. https://vcd.example.com; changing it (or org) replaces the vApp. */
  url: string;
  /** Org to log in to (System for provider users). Not empty. */
  org: string;
  /** vCD user name. Not empty. */
  username: string;
  /** Password of the vCD user. Not empty. Secret: encrypted in the state and never shown. */
  password: string;
  /** Pin an API version instead of negotiating the highest common one. */
  apiVersion?: string;
  /** Skip TLS certificate verification (labs and simulators only); not together with `ca`. */
  insecure?: boolean;
  /** PEM CA bundle to trust in addition to the system roots. */
  ca?: string;
  /**
   * Accept http:// endpoints, which send the password unencrypted (labs only); off by default, and warned
   * about when on.
   */
  allowHttp?: boolean;
}

export interface VcdVappTimeoutsArgs {
  /** How long a create may take in all, 1s to 168h (default: no overall limit). */
  create?: pulumi.Input<string>;
  /** How long an update may take in all, 1s to 168h (default: no overall limit). */
  update?: pulumi.Input<string>;
  /** How long a delete may take in all, 1s to 168h (default: no overall limit). */
  delete?: pulumi.Input<string>;
}

export interface VcdVappTimeouts {
  /** How long a create may take in all, 1s to 168h (default: no overall limit). */
  create?: string;
  /** How long an update may take in all, 1s to 168h (default: no overall limit). */
  update?: string;
  /** How long a delete may take in all, 1s to 168h (default: no overall limit). */
  delete?: string;
}

export interface VcdVappLeases {
  /** As declared (or as found when changed outside Pulumi); absent when unmanaged. A whole number. */
  deploymentSeconds?: number;
  /** As declared (or as found when changed outside Pulumi); absent when unmanaged. A whole number. */
  storageSeconds?: number;
  /** What vCD applied (0 asks for the org's value; values above its maximum are reduced). A whole number. */
  effectiveDeploymentSeconds: number;
  /** What vCD applied to the storage lease. A whole number. */
  effectiveStorageSeconds: number;
  /** Only while deployed. */
  deploymentExpiration?: string;
  /** When the storage lease runs out (ISO 8601). */
  storageExpiration?: string;
}
