// ManifestSweeper: made by VCenterManifests, not by programs. Its state records the owner label every applied
// object carries and the collections they live in; its delete (after every object in the state is gone) removes
// the labelled objects the state never recorded. See handlers.ts.
import * as pulumi from "@pulumi/pulumi";
import type { ObjectKind } from "../../sdk/kubernetes/owner";
import { outputSlots } from "../common/outputs";
import { manifestSweeperProvider } from "./provider";

export interface ManifestSweeperArgs {
  /** The owner label's value (sdk/kubernetes/owner.ts ownerId). A change replaces the sweeper. */
  owner: pulumi.Input<string>;
  /** The collections the labelled objects live in; the state keeps every one ever given. */
  kinds: pulumi.Input<pulumi.Input<ObjectKind>[]>;
  /** A kubeconfig file path or its text (kept secret); default: $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: pulumi.Input<string>;
}

export class ManifestSweeper extends pulumi.dynamic.Resource {
  /** The API server the objects were applied to (the kubeconfig's current cluster). */
  declare readonly server: pulumi.Output<string>;

  constructor(name: string, args: ManifestSweeperArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      manifestSweeperProvider,
      name,
      {
        ...args,
        ...(args.kubeconfig !== undefined ? { kubeconfig: pulumi.secret(args.kubeconfig) } : {}),
        ...outputSlots(["server"]),
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "kubeconfig"] },
      "vmware",
      "ManifestSweeper",
    );
  }
}
