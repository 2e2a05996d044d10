// VCenterManifests: hands rendered manifests to @pulumi/kubernetes, so Pulumi owns apply (server-side), per-object
// diffs and deletion of objects that are no longer rendered: the delta sapcc's in-memory state gets wrong.
//
// Approach: one `k8s.yaml.v2.ConfigGroup` per kind group (Secret, ConfigMap, Deployment, everything else), each
// `dependsOn` the previous, fed with `objs`: an Output of the objects. ConfigGroup v2 is a provider-side component,
// so it registers one child per object once the objects are known, without any resource being created inside an
// `apply` here, and the resource graph (four groups) is the same whatever the inventory holds. The cost: while the
// manifests are unknown (a preview in which the VCenterTemplate itself changes), the groups' contents are unknown
// too; `pulumi preview` after `pulumi refresh` shows per-object diffs.
//
// Secrecy: `objs` of every group is derived from a secret Output (the manifests are forced secret here even if a
// caller unwrapped them), so the groups' inputs are encrypted in state; the Kubernetes provider also marks Secret
// `data`/`stringData` secret. Templates should keep passwords in Secrets, as sapcc's do.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface VCenterManifestsArgs {
  /** Usually `VCenterTemplate.manifests`. */
  manifests: pulumi.Input<pulumi.Input<Record<string, unknown>>[]>;
  /** The cluster to apply to (default: the ambient kubeconfig provider). */
  provider?: k8s.Provider;
  /** Don't wait for objects to become ready (e.g. Deployments on a cluster without nodes). */
  skipAwait?: pulumi.Input<boolean>;
}

/** Apply order; the same as sdk/vcenter/manifests.ts orders them (config exists before the pods that mount it). */
export const MANIFEST_GROUPS = [
  { name: "secrets", kinds: ["Secret"] },
  { name: "configmaps", kinds: ["ConfigMap"] },
  { name: "deployments", kinds: ["Deployment"] },
  { name: "others", kinds: [] as string[] },
] as const;

export function groupOf(kind: unknown): string {
  for (const g of MANIFEST_GROUPS) if ((g.kinds as readonly string[]).includes(String(kind))) return g.name;
  return "others";
}

export class VCenterManifests extends pulumi.ComponentResource {
  /** The ConfigGroups, in apply order. */
  readonly groups: k8s.yaml.v2.ConfigGroup[] = [];
  /** The objects of each group, by group name (secret Outputs). */
  readonly objects: Record<string, pulumi.Output<Record<string, unknown>[]>> = {};

  constructor(name: string, args: VCenterManifestsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vmware:index:VCenterManifests", name, {}, opts);
    const all = pulumi.secret(pulumi.output(args.manifests)) as unknown as pulumi.Output<Record<string, unknown>[]>;
    let previous: pulumi.Resource | undefined;
    for (const g of MANIFEST_GROUPS) {
      const objs = all.apply((list) => list.filter((o) => groupOf(o.kind) === g.name));
      this.objects[g.name] = objs;
      const group: k8s.yaml.v2.ConfigGroup = new k8s.yaml.v2.ConfigGroup(
        `${name}-${g.name}`,
        { objs, skipAwait: args.skipAwait },
        { parent: this, provider: args.provider, dependsOn: previous ? [previous] : [] },
      );
      this.groups.push(group);
      previous = group;
    }
    this.registerOutputs({});
  }
}
