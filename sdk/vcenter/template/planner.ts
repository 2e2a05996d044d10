// VCenterTemplate's pure decisions: which login and URL a vCenter gets, the global context templates see, the
// `inventory` summary, the outputs made of an observation, and whether a shrink is refused (the prune guard). No
// network here; observe.ts does the calls.
// No executor.ts: @pulumi/kubernetes applies the manifests (VCenterManifests, providers/vcentertemplate/manifests.ts).
import { TEMPLATE_ANNOTATION } from "../annotation";
import { clusterOptions, GlobalOptions, Inventory, pbmEnabled } from "../conventions";
import { normalizeHost } from "../hostname";
import type { DuplicateManifest, Manifest } from "../manifests";
import { derivePassword } from "../masterpassword";
import { templateKey, type VCenterTemplateSource } from "../templates";
import type { VCenterInventory } from "../../schemas/vcentertemplate-outputs";
import type { Login, Observation, TemplateOutputs, TemplateSpec } from "./model";
import { checkShrink, SeenVCenter } from "./prune-guard";

/** `VCenterTemplate "<resource name or namespace>"`: how messages name the resource. */
export function labelOf(p: Pick<TemplateSpec, "resourceName" | "namespace">): string {
  return `VCenterTemplate "${p.resourceName ?? p.namespace}"`;
}

/** The `templates` input as render sources, all in the resource's namespace. */
export function templateSources(p: Pick<TemplateSpec, "templates" | "namespace">): VCenterTemplateSource[] {
  return p.templates.map((t) => ({
    name: t.name,
    namespace: p.namespace,
    scope: t.options.scope,
    template: t.template,
    jinja2Options: t.options.jinja2_options,
  }));
}

/** `domain` input, else the DNS zone, else the domain of the first static vCenter. */
export function domainOf(p: Pick<TemplateSpec, "domain" | "discovery">): string {
  if (p.domain) return normalizeHost(p.domain);
  if (p.discovery.dns) return normalizeHost(p.discovery.dns.zone);
  const first = normalizeHost(p.discovery.static![0]);
  return first.slice(first.indexOf(".") + 1);
}

/** sapcc's region: the second label of the domain (cc.qa-de-1.cloud.sap → qa-de-1). */
export function regionOf(domain: string): string | undefined {
  return domain.split(".")[1];
}

/**
 * sapcc's global options: the free-form variables, domain and region, cells when given, and with Master Password
 * credentials `username` and `master_password` (the `derive_password` filter needs them).
 */
export function globalsOf(p: TemplateSpec): GlobalOptions {
  const domain = domainOf(p);
  const region = regionOf(domain);
  const mp = p.credentials.masterPassword;
  return {
    ...(region ? { region } : {}),
    ...(p.variables ?? {}),
    domain,
    ...(p.cells ? { cells: [...p.cells] } : {}),
    ...(mp ? { username: mp.username, master_password: mp.password } : {}),
  };
}

/**
 * The vCenter login: the Master Password derived for its FQDN (sapcc), or the explicit per-vCenter entry.
 * Throws when `perVCenter` has no entry for `host`.
 */
export function loginFor(credentials: TemplateSpec["credentials"], host: string): Login {
  const mp = credentials.masterPassword;
  if (mp) return { username: mp.username, password: derivePassword(mp.username, mp.password, host) };
  const entry = Object.entries(credentials.perVCenter ?? {}).find(([h]) => normalizeHost(h) === host);
  if (!entry) throw new Error(`vCenter ${host}: no credentials for it in credentials.perVCenter`);
  return entry[1];
}

/** The SDK URL: an `endpoints` override (tunnels, labs, simulators), else https://<fqdn>/sdk. */
export function endpointFor(endpoints: TemplateSpec["endpoints"], host: string): string {
  const hit = Object.entries(endpoints ?? {}).find(([h]) => normalizeHost(h) === host);
  return hit ? hit[1] : `https://${host}/sdk`;
}

/** The inventory as the `inventory` output shows it: no credentials, plus what the conventions derived. */
export function inventorySummary(inv: Inventory, url: string, globals: GlobalOptions): VCenterInventory {
  const pbm = pbmEnabled(globals);
  return {
    host: inv.vcenter.host,
    name: inv.vcenter.name,
    url,
    datacenters: inv.datacenters.map((dc) => ({
      name: dc.name,
      availabilityZone: dc.name.toLowerCase(),
      clusters: dc.clusters.map((c) => {
        const conventions = clusterOptions(inv.vcenter.name, dc.name, c, pbm);
        return {
          name: c.name,
          datastores: c.datastores,
          networks: c.networks,
          ...(conventions ? { conventions: { ...conventions } } : {}),
        };
      }),
    })),
  };
}

/** `<id> is rendered 3 times, by <template> (2×), <other>; the last one wins`. */
export function duplicateWarnings(duplicates: DuplicateManifest[]): string[] {
  return duplicates.map((d) => {
    const counts = new Map<string, number>();
    for (const t of d.templates) counts.set(t, (counts.get(t) ?? 0) + 1);
    const by = [...counts].map(([t, n]) => (n > 1 ? `${t} (${n}×)` : t)).join(", ");
    return `${d.key} is rendered ${d.templates.length} times, by ${by}; the last one wins`;
  });
}

/**
 * The object with TEMPLATE_ANNOTATION set to the name of the template (the VCenterTemplate's metadata.name) that
 * rendered it, other annotations kept: the cluster shows which template made an object, and VCenterManifests groups
 * by it so the plan and every apply error name the template.
 */
export function annotateTemplate(
  p: Pick<TemplateSpec, "templates" | "namespace">,
  m: Manifest,
): Record<string, unknown> {
  const source = templateSources(p).find((s) => templateKey(s.scope, s.namespace, s.name) === m.template);
  const meta = (m.object.metadata ?? {}) as Record<string, unknown>;
  const annotations = {
    ...((meta.annotations as Record<string, unknown> | null | undefined) ?? {}),
    [TEMPLATE_ANNOTATION]: source?.name ?? m.template,
  };
  return { ...m.object, metadata: { ...meta, annotations } };
}

/** The outputs an observation gives: the manifests annotated with their template, and their ids. */
export function outputsOfObservation(
  p: Pick<TemplateSpec, "templates" | "namespace">,
  o: Observation,
): TemplateOutputs {
  return {
    vcenters: o.vcenters,
    inventory: o.inventory,
    manifests: o.manifests.map((m) => annotateTemplate(p, m)),
    manifestIds: o.manifests.map((m) => m.key),
    warnings: o.warnings,
  };
}

/** vCenters and their production clusters (the ones that render objects), as the prune guard compares them. */
export function seenOf(inventory: VCenterInventory[] | undefined): SeenVCenter[] {
  return (inventory ?? []).map((v) => ({
    host: v.host,
    clusters: v.datacenters.flatMap((dc) => dc.clusters.filter((c) => c.conventions !== undefined).map((c) => c.name)),
  }));
}

/**
 * The prune guard between the inventory recorded before (`previous`) and the one just observed: the refusal
 * message, or undefined. vCenters the program itself removed from `discovery.static` are not counted.
 */
export function pruneRefusal(
  p: Pick<TemplateSpec, "discovery" | "pruneGuard">,
  previous: VCenterInventory[] | undefined,
  current: VCenterInventory[],
): string | undefined {
  if (!previous) return undefined;
  const exempt = p.discovery.static
    ? previous.map((v) => v.host).filter((h) => !p.discovery.static!.some((s) => normalizeHost(s) === normalizeHost(h)))
    : [];
  return checkShrink(seenOf(previous), seenOf(current), p.pruneGuard ?? {}, exempt).refusal;
}
