// VmGroup: N VMs cloned from a template into one folder, scaled like a ReplicaSet.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { VmGroupVm, vmGroupInputsSchema } from "../../sdk/schemas/vmgroup";
import { DeepInput, outputSlots } from "../common/inputs";
import { vmGroupProvider } from "./provider";

/** Arguments, derived from the zod schema that check() enforces. */
export type VmGroupArgs = { [K in keyof z.input<typeof vmGroupInputsSchema>]: DeepInput<z.input<typeof vmGroupInputsSchema>[K]> };

const OUTPUTS = ["phase", "currentReplicas", "desiredReplicas", "lastMessage", "folderId", "vms"] as const;

export class VmGroup extends pulumi.dynamic.Resource {
  /** READY when every VM matches the spec; PENDING while some do not; ERROR after a failed operation. */
  declare readonly phase: pulumi.Output<"READY" | "PENDING" | "ERROR">;
  declare readonly currentReplicas: pulumi.Output<number>;
  declare readonly desiredReplicas: pulumi.Output<number>;
  declare readonly lastMessage: pulumi.Output<string>;
  /** Managed object id of the group's folder (also the resource id). */
  declare readonly folderId: pulumi.Output<string>;
  declare readonly vms: pulumi.Output<VmGroupVm[]>;
  declare readonly replicas: pulumi.Output<number>;
  declare readonly cpu: pulumi.Output<number>;
  declare readonly memoryMB: pulumi.Output<number>;

  constructor(name: string, args: VmGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      vmGroupProvider,
      name,
      // The whole connection is secret, so its password is encrypted in state even when given as plain text.
      { ...args, connection: pulumi.secret(args.connection), resourceName: name, ...outputSlots(OUTPUTS) },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"] },
      "vmware",
      "VmGroup",
    );
  }
}
