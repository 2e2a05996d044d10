// VmGroup: N VMs cloned from a template into one folder, scaled like a ReplicaSet.
import * as pulumi from "@pulumi/pulumi";
import { outputSlots } from "../common/outputs";
import type { VmGroupArgs, VmGroupDrift, VmGroupInputOutputs, VmGroupVm } from "./args";
import { vmGroupProvider } from "./provider";

export type {
  VmGroupArgs,
  VmGroupDrift,
  VmGroupInputOutputs,
  VmGroupVm,
  VsphereConnection,
  VsphereConnectionArgs,
} from "./args";

const OUTPUTS = [
  "phase",
  "currentReplicas",
  "desiredReplicas",
  "lastMessage",
  "folderId",
  "folderCreated",
  "vms",
  "drift",
  "plannedAdoption",
] as const;

// Declaration merging: the class also carries every input as an output (generated in ./args.ts).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface VmGroup extends VmGroupInputOutputs {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class VmGroup extends pulumi.dynamic.Resource {
  /** READY when every VM matches the spec; PENDING while some do not; ERROR after a failed operation. */
  declare readonly phase: pulumi.Output<"READY" | "PENDING" | "ERROR">;
  declare readonly currentReplicas: pulumi.Output<number>;
  declare readonly desiredReplicas: pulumi.Output<number>;
  declare readonly lastMessage: pulumi.Output<string>;
  /** Managed object id of the group's folder (also the resource id). */
  declare readonly folderId: pulumi.Output<string>;
  declare readonly vms: pulumi.Output<VmGroupVm[]>;
  /** The group created its folder (and removes it once empty); false when it adopted an existing one. */
  declare readonly folderCreated: pulumi.Output<boolean>;
  /** Per-VM differences found by the last refresh (observed values), and renames or moves done outside Pulumi. */
  declare readonly drift: pulumi.Output<VmGroupDrift | undefined>;
  /** With adopt: what the adoption changes, one line per object, as shown by `preview --diff`. */
  declare readonly plannedAdoption: pulumi.Output<string[] | undefined>;
  /** Owner id in the markers on the group's VMs and folder: this resource's URN. */
  declare readonly owner: pulumi.Output<string>;

  constructor(name: string, args: VmGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      vmGroupProvider,
      name,
      // The whole connection is secret, so its password is encrypted in state even when given as plain text.
      {
        ...args,
        connection: pulumi.secret(args.connection),
        resourceName: name,
        // The ownership marker: names project, stack and resource, and is known at preview.
        owner: pulumi.createUrn(name, "pulumi-nodejs:dynamic/vmware:VmGroup", opts?.parent),
        ...outputSlots(OUTPUTS),
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"] },
      "vmware",
      "VmGroup",
    );
  }
}
