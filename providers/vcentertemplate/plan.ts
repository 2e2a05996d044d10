// Pure pieces of the VCenterTemplate provider: which credentials and URL a vCenter gets, the global context, the
// outputs' shape, and what a diff is. No network here; handlers.ts and observe.ts do the calls.
import { TEMPLATE_ANNOTATION } from "../../sdk/vcenter/annotation";
import type { CheckFailure, DiscoveredVCenters, VCenterInventory, VCenterTemplateInputs } from "../../sdk/schemas";
import { clusterOptions, GlobalOptions, Inventory, pbmEnabled } from "../../sdk/vcenter/conventions";
import type { DuplicateManifest, Manifest } from "../../sdk/vcenter/manifests";
import { derivePassword } from "../../sdk/vcenter/masterpassword";
import { syntaxErrors } from "../../sdk/vcenter/render";
import type { DiscoveryState } from "../../sdk/vcenter/discovery";
import { checkShrink, SeenVCenter } from "../../sdk/vcenter/prune-guard";
import { templateKey, type TemplateRenderError, type VCenterTemplateSource } from "../../sdk/vcenter/templates";

export type Props = VCenterTemplateInputs & { resourceName?: string; __provider?: string; [k: string]: unknown };

/** The inputs, in the order they are recorded; everything else in the state is observed. */
export const INPUT_KEYS = [
  "discovery",
  "credentials",
  "templates",
  "namespace",
  "variables",
  "domain",
  "cells",
  "endpoints",
  "insecure",
  "ca",
  "pruneGuard",
  "allowHttp",
  "resourceName",
] as const;

export const OUTPUT_KEYS = ["vcenters", "inventory", "manifests", "manifestIds", "warnings"] as const;

const normalizeHost = (h: string): string => h.toLowerCase().replace(/\.$/, "");

export function templateSources(p: Pick<Props, "templates" | "namespace">): VCenterTemplateSource[] {
  return p.templates.map((t) => ({
    name: t.name,
    namespace: p.namespace,
    scope: t.options.scope,
    template: t.template,
    jinja2Options: t.options.jinja2_options,
  }));
}

/**
 * Template syntax errors as check() failures on `templates[i].template`, with the line. `errors`: syntaxErrors of
 * templateSources(p), computed in the render process by check() (compiling generates and runs JavaScript).
 */
export function templateFailures(
  p: Pick<Props, "templates" | "namespace">,
  errors: TemplateRenderError[] = syntaxErrors(templateSources(p)),
): CheckFailure[] {
  const sources = templateSources(p);
  return errors.map((e) => {
    const i = sources.findIndex((s) => e.template === `vcenter_${s.scope}/${s.namespace}/${s.name}.yaml.j2`);
    return { property: i >= 0 ? `templates[${i}].template` : "templates", reason: e.message };
  });
}

/** `domain` input, else the DNS zone, else the domain of the first static vCenter. */
export function domainOf(p: Pick<Props, "domain" | "discovery">): string {
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
export function globalsOf(p: Props): GlobalOptions {
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

export interface Login {
  username: string;
  password: string;
}

/** The vCenter login: the Master Password derived for its FQDN (sapcc), or the explicit per-vCenter entry. */
export function loginFor(credentials: Props["credentials"], host: string): Login {
  const mp = credentials.masterPassword;
  if (mp) return { username: mp.username, password: derivePassword(mp.username, mp.password, host) };
  const entry = Object.entries(credentials.perVCenter ?? {}).find(([h]) => normalizeHost(h) === host);
  if (!entry) throw new Error(`vCenter ${host}: no credentials for it in credentials.perVCenter`);
  return entry[1];
}

/** The SDK URL: an `endpoints` override (tunnels, labs, simulators), else https://<fqdn>/sdk. */
export function endpointFor(endpoints: Props["endpoints"], host: string): string {
  const hit = Object.entries(endpoints ?? {}).find(([h]) => normalizeHost(h) === host);
  return hit ? hit[1] : `https://${host}/sdk`;
}

/** The previous discovery may be reused (serial skip) only when it asked the same server about the same zone. */
export function reusableDiscovery(olds: Partial<Props> | undefined, news: Props): DiscoveryState | undefined {
  const a = olds?.discovery?.dns;
  const b = news.discovery.dns;
  const seen = olds?.vcenters as DiscoveredVCenters | undefined;
  if (!a || !b || !seen || seen.serial === undefined) return undefined;
  const same =
    a.server === b.server &&
    a.port === b.port &&
    normalizeHost(a.zone) === normalizeHost(b.zone) &&
    a.tsigKeyName === b.tsigKeyName;
  return same ? { serial: seen.serial, vcenters: [...seen.hosts] } : undefined;
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

export function inputsOf(p: Partial<Props>): Record<string, unknown> {
  return Object.fromEntries(INPUT_KEYS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
}

export interface Observation {
  vcenters: DiscoveredVCenters;
  inventory: VCenterInventory[];
  manifests: Manifest[];
  warnings: string[];
}

/**
 * Annotation naming the template (the VCenterTemplate's metadata.name) that rendered an object: it shows in the
 * cluster which template made an object, and VCenterManifests groups by it so the plan and every apply error name
 * the template.
 */

/** The object with TEMPLATE_ANNOTATION set to the name of the template that rendered it (other annotations kept). */
export function annotateTemplate(p: Pick<Props, "templates" | "namespace">, m: Manifest): Record<string, unknown> {
  const source = templateSources(p).find((s) => templateKey(s.scope, s.namespace, s.name) === m.template);
  const meta = (m.object.metadata ?? {}) as Record<string, unknown>;
  const annotations = {
    ...((meta.annotations as Record<string, unknown> | null | undefined) ?? {}),
    [TEMPLATE_ANNOTATION]: source?.name ?? m.template,
  };
  return { ...m.object, metadata: { ...meta, annotations } };
}

export function outputsOf(p: Props, o: Observation): Record<string, unknown> {
  return {
    ...inputsOf(p),
    vcenters: o.vcenters,
    inventory: o.inventory,
    manifests: o.manifests.map((m) => annotateTemplate(p, m)),
    manifestIds: o.manifests.map((m) => m.key),
    warnings: o.warnings,
  };
}

/** Canonical JSON (sorted keys), so key order never reads as a change. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Changed inputs. Nothing is ever replaced: the resource makes nothing in vCenter, it only reads and renders. */
export function changedInputs(olds: Partial<Props>, news: Partial<Props>): string[] {
  return INPUT_KEYS.filter((k) => k !== "resourceName" && canonical(olds[k]) !== canonical(news[k]));
}

/** vCenters and their production clusters (the ones that render objects), as the prune guard compares them. */
export function seenOf(inventory: VCenterInventory[] | undefined): SeenVCenter[] {
  return (inventory ?? []).map((v) => ({
    host: v.host,
    clusters: v.datacenters.flatMap((dc) => dc.clusters.filter((c) => c.conventions !== undefined).map((c) => c.name)),
  }));
}

/**
 * The prune guard between the inventory in the state (`previous`) and the one just observed: the refusal message, or
 * undefined. vCenters the program itself removed from `discovery.static` are not counted.
 */
export function pruneRefusal(
  p: Props,
  previous: VCenterInventory[] | undefined,
  current: VCenterInventory[],
): string | undefined {
  if (!previous) return undefined;
  const exempt = p.discovery.static
    ? previous.map((v) => v.host).filter((h) => !p.discovery.static!.some((s) => normalizeHost(s) === normalizeHost(h)))
    : [];
  return checkShrink(seenOf(previous), seenOf(current), p.pruneGuard ?? {}, exempt).refusal;
}
