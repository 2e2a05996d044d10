// VCenterTemplate: sapcc vcenter-operator's templates rendered over the inventory of every discovered vCenter.
import * as pulumi from "@pulumi/pulumi";
import type { DiscoveredVCenters, VCenterInventory } from "../../sdk/schemas/vcentertemplate-outputs";
import { outputSlots } from "../common/outputs";
import type { VCenterTemplateArgs, VCenterTemplateInputOutputs } from "./args";
import { vcenterTemplateProvider } from "./provider";

export type {
  VCenterLogin,
  VCenterLoginArgs,
  VCenterTemplateArgs,
  VCenterTemplateCredentials,
  VCenterTemplateCredentialsArgs,
  VCenterTemplateDiscovery,
  VCenterTemplateDiscoveryArgs,
  VCenterTemplateDiscoveryDns,
  VCenterTemplateDiscoveryDnsArgs,
  VCenterTemplateInputOutputs,
  VCenterTemplateItem,
  VCenterTemplateItemArgs,
  VCenterTemplateOptions,
  VCenterTemplateOptionsArgs,
} from "./args";

export { VCenterManifests, VCenterManifestsArgs, MANIFEST_GROUPS } from "./manifests";
export { TEMPLATE_ANNOTATION } from "../../sdk/vcenter/annotation";
export { vcenterTemplatesFromYaml } from "./yaml";

const OUTPUTS = ["vcenters", "inventory", "manifests", "manifestIds", "warnings"] as const;

// Declaration merging: the class also carries every input as an output (generated in ./args.ts).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface VCenterTemplate extends VCenterTemplateInputOutputs {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class VCenterTemplate extends pulumi.dynamic.Resource {
  /** The vCenter FQDNs found (and the zone's SOA serial with DNS discovery). */
  declare readonly vcenters: pulumi.Output<DiscoveredVCenters>;
  /** Per vCenter: datacenters, clusters, and what the conventions derived. No credentials. */
  declare readonly inventory: pulumi.Output<VCenterInventory[]>;
  /** Rendered Kubernetes objects, Secret → ConfigMap → Deployment → others. Secret: they hold derived passwords. */
  declare readonly manifests: pulumi.Output<Record<string, unknown>[]>;
  /** `apiVersion/kind/namespace/name` of every manifest, in the same order (not secret). */
  declare readonly manifestIds: pulumi.Output<string[]>;
  /** Object ids rendered by more than one template or context (the last one wins). */
  declare readonly warnings: pulumi.Output<string[]>;

  /**
   * The templates' names, when `templates` is given as a plain list (undefined when it is an Output): pass it to
   * VCenterManifests, which then names the template in each object's resource name, its plan and its errors.
   */
  readonly templateNames: string[] | undefined;

  constructor(name: string, args: VCenterTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      vcenterTemplateProvider,
      name,
      // credentials hold the master password, discovery the TSIG key, endpoints and variables may hold tokens or
      // passwords: all encrypted in state, even if given plain.
      {
        ...args,
        credentials: pulumi.secret(args.credentials),
        discovery: pulumi.secret(args.discovery),
        ...(args.endpoints !== undefined ? { endpoints: pulumi.secret(args.endpoints) } : {}),
        ...(args.variables !== undefined ? { variables: pulumi.secret(args.variables) } : {}),
        resourceName: name,
        ...outputSlots(OUTPUTS),
      },
      {
        ...opts,
        additionalSecretOutputs: [
          ...(opts?.additionalSecretOutputs ?? []),
          "credentials",
          "discovery",
          "endpoints",
          "variables",
          "manifests",
        ],
      },
      "vmware",
      "VCenterTemplate",
    );
    const templates = args.templates as unknown;
    this.templateNames =
      Array.isArray(templates) && templates.every((t) => t && typeof t.name === "string")
        ? templates.map((t) => t.name as string)
        : undefined;
  }
}
