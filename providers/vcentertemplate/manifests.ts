// VCenterManifests: hands rendered manifests to @pulumi/kubernetes, so Pulumi owns apply (server-side), per-object
// diffs and deletion of objects that are no longer rendered: the delta sapcc's in-memory state gets wrong.
//
// Approach: `ConfigGroup`s fed with `objs`, an Output of the objects, one per kind group (Secret,
// ConfigMap, Deployment, everything else), each kind group `dependsOn` the previous one. With `templates` (the
// VCenterTemplate's `templateNames`) there is one group per kind group and template, and each object's resource name
// is `<component>/<template>:<namespace>/<name>`: `pulumi preview --diff` and every error the Kubernetes provider
// or the API server reports (a refused manifest, an unreachable cluster) name the object and the template that
// rendered it (the VCenterTemplate marks each object with TEMPLATE_ANNOTATION). ConfigGroup v2 is a provider-side
// component, so it registers one child per object once the objects are known, without any resource being created
// inside an `apply` here, and the resource graph is the same whatever the inventory holds. The cost: while the
// manifests are unknown (a preview in which the VCenterTemplate itself changes), the groups' contents are unknown
// too; `pulumi preview` after `pulumi refresh` shows per-object diffs.
//
// Readiness: the Kubernetes provider waits for each object to become ready (a Deployment's rollout, up to 10
// minutes). `skipAwait: true` sets `pulumi.com/skipAwait: "true"` on every object instead, for clusters where
// nothing can become ready (no nodes, as on the local API server) or when readiness is watched elsewhere.
//
// Ownership: every object carries OWNER_LABEL (sdk/kubernetes/owner.ts), its value derived from the project, stack
// and component name. A ManifestSweeper (providers/manifestsweeper) that every group depends on records it; the
// engine deletes the sweeper last, and its delete removes the labelled objects the state never recorded (an apply
// whose answer was lost), so `pulumi destroy` after a failed `up` leaves nothing behind. It needs to know the
// cluster: it is made when `kubeconfig` is given, or when no `provider` is (the ambient kubeconfig, as the default
// Kubernetes provider uses).
//
// Secrecy: `objs` of every group is derived from a secret Output (the manifests are forced secret here even if a
// caller unwrapped them), so the groups' inputs are encrypted in state; the Kubernetes provider also marks Secret
// `data`/`stringData` secret. Templates should keep passwords in Secrets, as sapcc's do.
// The two modules used, not the package root: its declarations reach ~580 files that ts-node would type-check
// in every program importing the kit's root, and its index loads ~100 modules.
import type { Provider } from "@pulumi/kubernetes/provider";
import { ConfigGroup } from "@pulumi/kubernetes/yaml/v2";
import * as pulumi from "@pulumi/pulumi";
import { kindsOf, ownerId, withOwnerLabel } from "../../sdk/kubernetes/owner";
import { TEMPLATE_ANNOTATION } from "../../sdk/vcenter/annotation";
import { ManifestSweeper } from "../manifestsweeper";

export interface VCenterManifestsArgs {
  /** Usually `VCenterTemplate.manifests`. */
  manifests: pulumi.Input<pulumi.Input<Record<string, unknown>>[]>;
  /**
   * Usually `VCenterTemplate.templateNames`: the names of the templates that rendered `manifests`. Gives one group
   * per template, so resource names, plans and errors name the template. An object rendered by a template not in
   * the list fails the program (before anything is applied). Without it: one group per kind.
   */
  templates?: string[];
  /** The cluster to apply to (default: the ambient kubeconfig provider). */
  provider?: Provider;
  /**
   * The kubeconfig `provider` was made with (a file path or the text; kept secret). With it, or without a
   * `provider`, `pulumi destroy` also removes objects this component applied whose answer was lost; with a
   * `provider` but no `kubeconfig` it cannot (the provider's configuration cannot be read back).
   */
  kubeconfig?: pulumi.Input<string>;
  /** Don't wait for objects to become ready (e.g. Deployments on a cluster without nodes). Default false. */
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

/** The TEMPLATE_ANNOTATION of an object, if any. */
export function templateOf(o: Record<string, unknown>): string | undefined {
  const annotations = ((o.metadata ?? {}) as Record<string, unknown>).annotations as
    Record<string, unknown> | undefined;
  const t = annotations?.[TEMPLATE_ANNOTATION];
  return typeof t === "string" ? t : undefined;
}

function describe(o: Record<string, unknown>): string {
  const meta = (o.metadata ?? {}) as Record<string, unknown>;
  return `${String(o.kind)} ${meta.namespace ? `${String(meta.namespace)}/` : ""}${String(meta.name)}`;
}

export class VCenterManifests extends pulumi.ComponentResource {
  /** The ConfigGroups, in apply order (by kind group, then template). */
  readonly groups: ConfigGroup[] = [];
  /** The objects of each kind group, by group name (secret Outputs). */
  readonly objects: Record<string, pulumi.Output<Record<string, unknown>[]>> = {};
  /** OWNER_LABEL's value on every object of this component. */
  readonly owner: string;
  /** Removes, at destroy, labelled objects the state never recorded; undefined when the cluster is unknown. */
  readonly sweeper: ManifestSweeper | undefined;

  constructor(name: string, args: VCenterManifestsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vmware:index:VCenterManifests", name, {}, opts);
    const templates = args.templates;
    const owner = ownerId(pulumi.getProject(), pulumi.getStack(), name);
    const all = (
      pulumi.secret(pulumi.output(args.manifests)) as unknown as pulumi.Output<Record<string, unknown>[]>
    ).apply((list) => {
      if (templates) {
        for (const o of list) {
          const t = templateOf(o);
          if (t === undefined || !templates.includes(t)) {
            throw new Error(
              `VCenterManifests "${name}": ${describe(o)} was rendered by ${t === undefined ? "no known template" : `template "${t}"`}, ` +
                `which is not in \`templates\` (${templates.join(", ")})`,
            );
          }
        }
      }
      return list.map((o) => withOwnerLabel(o, owner));
    });
    this.owner = owner;
    // The component's own dependsOn (e.g. the Namespace) must hold for its first groups too.
    let previous: pulumi.Input<pulumi.Input<pulumi.Resource>[]> | pulumi.Input<pulumi.Resource> = opts?.dependsOn ?? [];
    this.sweeper =
      args.kubeconfig !== undefined || !args.provider
        ? new ManifestSweeper(
            `${name}-sweeper`,
            {
              owner,
              // Kinds and namespaces are not secret; the objects they are read from are.
              kinds: pulumi.unsecret(all.apply((list) => kindsOf(list))),
              kubeconfig: args.kubeconfig,
            },
            { parent: this, dependsOn: previous },
          )
        : undefined;
    if (this.sweeper) previous = [this.sweeper];
    for (const g of MANIFEST_GROUPS) {
      const objs = all.apply((list) => list.filter((o) => groupOf(o.kind) === g.name));
      this.objects[g.name] = objs;
      const phase: ConfigGroup[] = [];
      const groupOpts = { parent: this, provider: args.provider, dependsOn: previous };
      if (!templates) {
        phase.push(new ConfigGroup(`${name}-${g.name}`, { objs, skipAwait: args.skipAwait }, groupOpts));
      } else {
        for (const t of templates) {
          const mine = objs.apply((list) => list.filter((o) => templateOf(o) === t));
          phase.push(
            new ConfigGroup(
              `${name}-${g.name}/${t}`,
              { objs: mine, skipAwait: args.skipAwait, resourcePrefix: `${name}/${t}` },
              groupOpts,
            ),
          );
        }
      }
      this.groups.push(...phase);
      previous = phase;
    }
    this.registerOutputs({});
  }
}
