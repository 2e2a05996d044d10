// VcdVapp: one VMware Cloud Director vApp, empty or from a catalog template (kvcd's VcdVapp as a Pulumi resource).
import * as pulumi from "@pulumi/pulumi";
import { outputSlots } from "../common/outputs";
import type { VcdVappArgs, VcdVappInputOutputs, VcdVappLeases } from "./args";
import { vcdVappProvider } from "./provider";

export type {
  VcdConnection,
  VcdConnectionArgs,
  VcdVappArgs,
  VcdVappInputOutputs,
  VcdVappLeases,
  VcdVappLeasesArgs,
  VcdVappSource,
  VcdVappSourceArgs,
} from "./args";

const OUTPUTS = ["uuid", "status", "href", "vdcHref", "expired"] as const;

/** Dates cannot cross into the engine as such: tag them, so they stay DateTime values rather than strings. */
function metadataInput(m: VcdVappArgs["metadata"]) {
  if (m === undefined) return undefined;
  return pulumi
    .output(m)
    .apply((rec) =>
      Object.fromEntries(
        Object.entries(rec).map(([k, v]) => [k, v instanceof Date ? { dateTime: v.toISOString() } : v]),
      ),
    );
}

// Declaration merging: the class also carries every input as an output (generated in ./args.ts).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface VcdVapp extends VcdVappInputOutputs {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class VcdVapp extends pulumi.dynamic.Resource {
  /** URN of the vApp (urn:vcloud:vapp:<uuid>). The resource id is its href. */
  declare readonly uuid: pulumi.Output<string>;
  /** vCD status code and name, e.g. { code: 8, text: "POWERED_OFF" }. */
  declare readonly status: pulumi.Output<{ code: number; text: string }>;
  declare readonly href: pulumi.Output<string>;
  declare readonly vdcHref: pulumi.Output<string | undefined>;
  /** The storage lease ran out: vCD refuses to start the vApp until the lease is renewed. */
  declare readonly expired: pulumi.Output<boolean>;
  /** The vApp's name (the resource name unless `name` is declared). */
  declare readonly name: pulumi.Output<string>;
  /** The vApp's owner as vCD reports it (also when `owner` is not declared). */
  declare readonly owner: pulumi.Output<string>;
  /** Declared leases plus what vCD applied and when they expire. */
  declare readonly leases: pulumi.Output<VcdVappLeases | undefined>;
  /** The GENERAL read-write metadata (DateTime values as { dateTime }). */
  declare readonly metadata: pulumi.Output<Record<string, string | number | boolean | { dateTime: string }>>;

  constructor(name: string, args: VcdVappArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      vcdVappProvider,
      name,
      // The whole connection is secret, so its password is encrypted in state even when given as plain text.
      {
        ...args,
        metadata: metadataInput(args.metadata),
        connection: pulumi.secret(args.connection),
        resourceName: name,
        ...outputSlots(OUTPUTS),
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "connection"] },
      "vmware",
      "VcdVapp",
    );
  }
}
