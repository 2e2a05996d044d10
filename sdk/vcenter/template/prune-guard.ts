// The manifests are a pure function of what discovery and the inventory return, and Pulumi deletes from Kubernetes
// whatever is no longer rendered. A zone transfer that comes back empty or short, or a vCenter that reports no
// clusters for a moment, would thus delete the compute and storage services of a whole region. This guard compares
// what was seen before with what is seen now and refuses a shrink beyond a bound, and always an empty result, unless
// the user lists what may go. Pure: no network, no Pulumi.
import { normalizeHost } from "../hostname";

/** What the guard compares: each vCenter FQDN with its production clusters (those that render objects). */
export interface SeenVCenter {
  host: string;
  clusters: string[];
}

export interface PruneGuardOptions {
  /**
   * Share (0..1) of the previously seen vCenters, and separately of their production clusters, that may disappear in
   * one step without being listed in `allow`. Default 0.1.
   */
  maxRemovedFraction?: number;
  /** vCenter FQDNs (with their clusters) or `<vCenter FQDN>/<cluster name>` entries that may disappear. */
  allow?: string[];
}

export const DEFAULT_MAX_REMOVED_FRACTION = 0.1;

export interface Shrink {
  vcenters: { removed: string[]; of: number };
  clusters: { removed: string[]; of: number };
  /** Why the shrink is refused; undefined when it is within bounds or allowed. */
  refusal?: string;
}

/**
 * Compares `previous` with `current`. Hosts in `exempt` (e.g. removed from a static list by the program itself) are
 * not counted. Refuses when, of what is not allowed, more than maxRemovedFraction of the vCenters or of the clusters
 * disappeared, or when nothing at all is left of a non-empty previous result.
 */
export function checkShrink(
  previous: SeenVCenter[],
  current: SeenVCenter[],
  opts: PruneGuardOptions = {},
  exempt: Iterable<string> = [],
): Shrink {
  const max = opts.maxRemovedFraction ?? DEFAULT_MAX_REMOVED_FRACTION;
  const allow = new Set(
    (opts.allow ?? []).map((a) => {
      const i = a.indexOf("/");
      return i < 0 ? normalizeHost(a) : `${normalizeHost(a.slice(0, i))}/${a.slice(i + 1)}`;
    }),
  );
  const skip = new Set([...exempt].map(normalizeHost));
  const prev = previous.filter((v) => !skip.has(normalizeHost(v.host)));
  const now = new Map(current.map((v) => [normalizeHost(v.host), new Set(v.clusters)]));

  const goneHosts = prev.filter((v) => !now.has(normalizeHost(v.host))).map((v) => normalizeHost(v.host));
  const prevClusters = prev.flatMap((v) => v.clusters.map((c) => `${normalizeHost(v.host)}/${c}`));
  const goneClusters = prev.flatMap((v) => {
    const still = now.get(normalizeHost(v.host));
    return v.clusters.filter((c) => !still?.has(c)).map((c) => `${normalizeHost(v.host)}/${c}`);
  });
  const shrink: Shrink = {
    vcenters: { removed: goneHosts, of: prev.length },
    clusters: { removed: goneClusters, of: prevClusters.length },
  };

  const hostAllowed = (h: string) => allow.has(h);
  const clusterAllowed = (c: string) => allow.has(c) || allow.has(c.slice(0, c.indexOf("/")));
  const hosts = goneHosts.filter((h) => !hostAllowed(h));
  const clusters = goneClusters.filter((c) => !clusterAllowed(c));
  if (hosts.length === 0 && clusters.length === 0) return shrink;

  const emptied =
    (prev.length > 0 && current.length === 0) ||
    (prevClusters.length > 0 && current.every((v) => v.clusters.length === 0));
  const over = (n: number, of: number) => of > 0 && n / of > max;
  if (!emptied && !over(hosts.length, prev.length) && !over(clusters.length, prevClusters.length)) return shrink;

  const pct = (n: number, of: number) => `${n} of ${of}, ${Math.round((100 * n) / of)}%`;
  const parts: string[] = [];
  if (hosts.length) parts.push(`vCenters gone: ${list(hosts)} (${pct(hosts.length, prev.length)})`);
  // Clusters of a vanished vCenter are implied by it; name the others.
  const lone = clusters.filter((c) => !goneHosts.includes(c.slice(0, c.indexOf("/"))));
  if (clusters.length)
    parts.push(
      `production clusters gone: ${lone.length ? list(lone) : "those of the vCenters above"} (${pct(clusters.length, prevClusters.length)})`,
    );
  const why = emptied
    ? "nothing is left of what was discovered before, which is refused unless everything that disappeared is listed"
    : `more than ${Math.round(max * 100)}% disappeared at once (pruneGuard.maxRemovedFraction ${max})`;
  const example = JSON.stringify(hosts.length ? hosts : lone.length ? lone : clusters).slice(0, 300);
  shrink.refusal =
    `${parts.join("; ")}: ${why}. Their Kubernetes objects would be deleted by the next \`pulumi up\`. ` +
    `If this is intended, add them to pruneGuard.allow (e.g. ${example}) or raise pruneGuard.maxRemovedFraction, then run \`pulumi up\` ` +
    `(\`pulumi refresh\` judges with the pruneGuard stored in the state); ` +
    `otherwise check DNS discovery and the vCenters' inventory.`;
  return shrink;
}

function list(items: string[], max = 10): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
