// Which Kubernetes objects a VCenterManifests applied, recorded on each object: a label whose value is derived from
// the Pulumi project, stack and component name. The label, not an object's name, is what lets `pulumi destroy`
// remove an object whose apply reached the API server but whose answer was lost (so the state never recorded it).
// The idea is Kubernetes' ApplySet (KEP-3659: `applyset.kubernetes.io/part-of` on every member); the key is the
// kit's own because the kit keeps no ApplySet parent object in the cluster.
import * as crypto from "crypto";

/** The label on every object a VCenterManifests applies; its value is ownerId(). */
export const OWNER_LABEL = "vmware-kit.pulumi.com/owner";

/**
 * The owner label's value for a component: `vcm-` and 40 hex digits of SHA-256 over project, stack and name, so
 * two stacks (or two components) applying to one cluster never share it. 44 characters: a valid label value
 * (Kubernetes API conventions: at most 63, alphanumeric at both ends).
 */
export function ownerId(project: string, stack: string, name: string): string {
  return `vcm-${crypto
    .createHash("sha256")
    .update(JSON.stringify([project, stack, name]))
    .digest("hex")
    .slice(0, 40)}`;
}

/** Where objects of one kind live: the collection a sweep lists. `namespace` is absent for cluster-scoped kinds. */
export interface ObjectKind {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

type Manifest = Record<string, unknown> & { metadata?: Record<string, unknown> };

/** A copy of `o` with OWNER_LABEL set to `owner` (other labels kept). */
export function withOwnerLabel<T extends Manifest>(o: T, owner: string): T {
  const metadata = o.metadata ?? {};
  const labels = (metadata.labels as Record<string, string> | undefined) ?? {};
  return { ...o, metadata: { ...metadata, labels: { ...labels, [OWNER_LABEL]: owner } } };
}

const keyOf = (k: ObjectKind) => JSON.stringify([k.apiVersion, k.kind, k.namespace ?? ""]);

/** The distinct collections `objects` live in, sorted (stable in the state whatever the render order). */
export function kindsOf(objects: Manifest[]): ObjectKind[] {
  return mergeKinds(
    [],
    objects.map((o) => {
      const ns = o.metadata?.namespace;
      return {
        apiVersion: String(o.apiVersion),
        kind: String(o.kind),
        ...(typeof ns === "string" && ns ? { namespace: ns } : {}),
      };
    }),
  );
}

/** Every collection in `a` or `b`, once, sorted. */
export function mergeKinds(a: ObjectKind[], b: ObjectKind[]): ObjectKind[] {
  const all = new Map<string, ObjectKind>();
  for (const k of [...a, ...b]) all.set(keyOf(k), k);
  return [...all.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, k]) => k);
}

/** True when every collection of `b` is already in `a`. */
export function coversKinds(a: ObjectKind[], b: ObjectKind[]): boolean {
  const have = new Set(a.map(keyOf));
  return b.every((k) => have.has(keyOf(k)));
}
