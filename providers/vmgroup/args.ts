// Generated from the zod schema of VmGroup (sdk/schemas) by `npm run args`; do not edit.
import type * as pulumi from "@pulumi/pulumi";

/** The inputs of a VmGroup. check() enforces the rules given here at `pulumi preview`. */
export interface VmGroupArgs {
  /** Datacenter that holds the template and the group. Not empty. Changing it replaces the resource. */
  datacenter: pulumi.Input<string>;
  /**
   * VM or template to clone: a name searched under <datacenter>/vm, or a path below it. Not empty. Changing
   * it replaces the resource.
   */
  template: pulumi.Input<string>;
  /** Number of VMs in the group. A whole number from 0 to 1000. */
  replicas: pulumi.Input<number>;
  /** vCPUs per VM. A whole number from 1 to 768. */
  cpu: pulumi.Input<number>;
  /**
   * Memory per VM in MB (a multiple of 4, at most 24 TB). A whole number from 4 to 25165824. A multiple of 4.
   */
  memoryMB: pulumi.Input<number>;
  /**
   * Folder for the group below <datacenter>/vm; the last segment is created and owned by the group, the rest
   * must exist. VMs are named <folder name>-<index>. Changing it replaces the resource.
   */
  folder: pulumi.Input<string>;
  /** Cluster whose root resource pool receives the VMs. Not empty. */
  cluster?: pulumi.Input<string>;
  /** Resource pool path below the cluster (or <datacenter>/host). Not empty. */
  resourcePool?: pulumi.Input<string>;
  /** Datastore for the clones (default: the template's). Not empty. */
  datastore?: pulumi.Input<string>;
  /**
   * Desired power state of every VM (default "on"; with adopt, left out means every VM keeps its power
   * state).
   */
  powerState?: pulumi.Input<"on" | "off">;
  /** Clones and power operations in flight at once. A whole number from 1 to 64. Default: `4`. */
  maxConcurrency?: pulumi.Input<number>;
  /**
   * VMs powered down at once for a cpu/memory change that needs a power cycle (rolled, like a Deployment's
   * maxUnavailable). A whole number from 1 to 64. Default: `1`.
   */
  maxUnavailable?: pulumi.Input<number>;
  /**
   * Seconds a guest shutdown (VMware Tools) may take before the VM is powered off hard; 0 powers off at once.
   * Default 180, as terraform-provider-vsphere's shutdown_wait_timeout. A whole number from 0 to 3600.
   * Default: `180`.
   */
  shutdownTimeoutSeconds?: pulumi.Input<number>;
  /**
   * At create, take over an existing folder and the unmarked VMs in the group's slots (<folder>-<index> below
   * replicas); preview lists every change it makes. Without it, create refuses anything it did not create.
   * Default: `false`.
   */
  adopt?: pulumi.Input<boolean>;
  /** Secret as a whole: encrypted in the state. */
  connection: pulumi.Input<VsphereConnectionArgs>;
  /**
   * How long create, update and delete may each take in all, as durations ("30m", "1h30m"); tasks still
   * running then are cancelled.
   */
  timeouts?: pulumi.Input<VmGroupTimeoutsArgs>;
}

/** Every input of a VmGroup, as the resource reports it back (`vmGroup.<input>`). */
export interface VmGroupInputOutputs {
  /** Datacenter that holds the template and the group. Not empty. Changing it replaces the resource. */
  readonly datacenter: pulumi.Output<string>;
  /**
   * VM or template to clone: a name searched under <datacenter>/vm, or a path below it. Not empty. Changing
   * it replaces the resource.
   */
  readonly template: pulumi.Output<string>;
  /** Number of VMs in the group. A whole number from 0 to 1000. */
  readonly replicas: pulumi.Output<number>;
  /** vCPUs per VM. A whole number from 1 to 768. */
  readonly cpu: pulumi.Output<number>;
  /**
   * Memory per VM in MB (a multiple of 4, at most 24 TB). A whole number from 4 to 25165824. A multiple of 4.
   */
  readonly memoryMB: pulumi.Output<number>;
  /**
   * Folder for the group below <datacenter>/vm; the last segment is created and owned by the group, the rest
   * must exist. VMs are named <folder name>-<index>. Changing it replaces the resource.
   */
  readonly folder: pulumi.Output<string>;
  /** Cluster whose root resource pool receives the VMs. Not empty. */
  readonly cluster: pulumi.Output<string | undefined>;
  /** Resource pool path below the cluster (or <datacenter>/host). Not empty. */
  readonly resourcePool: pulumi.Output<string | undefined>;
  /** Datastore for the clones (default: the template's). Not empty. */
  readonly datastore: pulumi.Output<string | undefined>;
  /**
   * Desired power state of every VM (default "on"; with adopt, left out means every VM keeps its power
   * state).
   */
  readonly powerState: pulumi.Output<"on" | "off" | undefined>;
  /** Clones and power operations in flight at once. A whole number from 1 to 64. Default: `4`. */
  readonly maxConcurrency: pulumi.Output<number>;
  /**
   * VMs powered down at once for a cpu/memory change that needs a power cycle (rolled, like a Deployment's
   * maxUnavailable). A whole number from 1 to 64. Default: `1`.
   */
  readonly maxUnavailable: pulumi.Output<number>;
  /**
   * Seconds a guest shutdown (VMware Tools) may take before the VM is powered off hard; 0 powers off at once.
   * Default 180, as terraform-provider-vsphere's shutdown_wait_timeout. A whole number from 0 to 3600.
   * Default: `180`.
   */
  readonly shutdownTimeoutSeconds: pulumi.Output<number>;
  /**
   * At create, take over an existing folder and the unmarked VMs in the group's slots (<folder>-<index> below
   * replicas); preview lists every change it makes. Without it, create refuses anything it did not create.
   * Default: `false`.
   */
  readonly adopt: pulumi.Output<boolean>;
  /** Secret as a whole: encrypted in the state. */
  readonly connection: pulumi.Output<VsphereConnection>;
  /**
   * How long create, update and delete may each take in all, as durations ("30m", "1h30m"); tasks still
   * running then are cancelled.
   */
  readonly timeouts: pulumi.Output<VmGroupTimeouts | undefined>;
}

export interface VsphereConnectionArgs {
  /** vCenter SDK endpoint, e.g. https://vcenter.example.com/sdk; changing it replaces the group. */
  url: pulumi.Input<string>;
  /** vCenter user, e.g. administrator@vsphere.local. Not empty. */
  username: pulumi.Input<string>;
  /** Password of the vCenter user. Not empty. Secret: encrypted in the state and never shown. */
  password: pulumi.Input<string>;
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

export interface VsphereConnection {
  /** vCenter SDK endpoint, e.g. https://vcenter.example.com/sdk; changing it replaces the group. */
  url: string;
  /** vCenter user, e.g. administrator@vsphere.local. Not empty. */
  username: string;
  /** Password of the vCenter user. Not empty. Secret: encrypted in the state and never shown. */
  password: string;
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

export interface VmGroupTimeoutsArgs {
  /** How long a create may take in all, 1s to 168h (default: no overall limit). */
  create?: pulumi.Input<string>;
  /** How long an update may take in all, 1s to 168h (default: no overall limit). */
  update?: pulumi.Input<string>;
  /** How long a delete may take in all, 1s to 168h (default: no overall limit). */
  delete?: pulumi.Input<string>;
}

export interface VmGroupTimeouts {
  /** How long a create may take in all, 1s to 168h (default: no overall limit). */
  create?: string;
  /** How long an update may take in all, 1s to 168h (default: no overall limit). */
  update?: string;
  /** How long a delete may take in all, 1s to 168h (default: no overall limit). */
  delete?: string;
}

export interface VmGroupVm {
  /** VM name, <folder name>-<index>. */
  name: string;
  /** The VM's index in the group (its name was <folder>-<index> when created). A whole number. */
  index: number;
  /** Managed object id, e.g. vm-42. */
  moref: string;
  /** vCenter instance UUID. */
  instanceUuid: string;
  /** Power state as vCenter reports it. */
  powerState: "poweredOn" | "poweredOff" | "suspended";
  /** vCPUs. A whole number. */
  cpu: number;
  /** Memory in MB. A whole number. */
  memoryMB: number;
}

export interface VmGroupDrift {
  /** The group's folder, when renamed outside Pulumi. */
  folder?: VmGroupFolderDrift;
  /** By VM name: what was found to differ from the spec. */
  vms?: { [key: string]: VmGroupVmDrift };
}

export interface VmGroupFolderDrift {
  /** The folder's name now (it was renamed outside Pulumi). */
  renamedTo: string;
}

export interface VmGroupVmDrift {
  /** vCPUs found, when not as declared. A whole number. */
  cpu?: number;
  /** Memory found in MB, when not as declared. A whole number. */
  memoryMB?: number;
  /** Power state found, when not as declared. */
  powerState?: "poweredOn" | "poweredOff" | "suspended";
  /** The VM's name now: renamed outside Pulumi (still the group's, by UUID). */
  renamedTo?: string;
  /** The folder the VM was moved to outside Pulumi. */
  movedTo?: string;
  /** The VM is gone (deleted outside Pulumi). */
  deleted?: boolean;
  /** Its ownership marker was removed: the group let it go and leaves it as is. */
  released?: boolean;
}
