// sapcc's naming conventions over a collected vCenter inventory, as pure functions producing template contexts.

/** What inventory collection (sdk/vsphere, later) hands over for one vCenter. */
export interface Inventory {
  vcenter: { /** short name, e.g. vc-a-0 */ name: string; /** FQDN, e.g. vc-a-0.cc.qa-de-1.cloud.sap */ host: string };
  datacenters: InventoryDatacenter[];
}
export interface InventoryDatacenter {
  name: string;
  clusters: InventoryCluster[];
}
export interface InventoryCluster {
  name: string;
  /** Names of the datastores mounted in the cluster. */
  datastores: string[];
  /** Names of the networks (port groups) of the cluster, in vSphere's order. */
  networks: string[];
}

/** The vCenter part of a context: how templates log on to it. */
export interface VCenterOptions {
  username: string;
  password: string;
  /** FQDN */
  host: string;
  /** short name (vc-a-0) */
  name: string;
  [key: string]: unknown;
}

export type GlobalOptions = Record<string, unknown>;

export interface ClusterOptions {
  /** bbN with leading zeros removed */
  name: string;
  cluster_name: string;
  availability_zone: string;
  nsx_t_enabled: true;
  vcenter_name: string;
  datastore_regex?: string;
  datastore_hagroup_regex?: string;
  bridge?: string;
  physical?: string;
}

export const CLUSTER_MATCH = /^productionbb0*([1-9][0-9]*)$/;
export const HAGROUP_REGEX = ".*_hg(?P<hagroup>[ab])$";

/** `productionbb091` → `bb91`; undefined for clusters sapcc ignores. */
export function clusterShortName(clusterName: string): string | undefined {
  const m = CLUSTER_MATCH.exec(clusterName);
  return m ? `bb${m[1]}` : undefined;
}

/** Python os.path.commonprefix: character-wise longest common prefix. */
export function commonPrefix(names: string[]): string {
  if (names.length === 0) return "";
  let prefix = names[0];
  for (const n of names.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < n.length && prefix[i] === n[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

function ephemeral(datastores: string[]): string[] {
  return datastores.filter((d) => d.startsWith("eph"));
}

/**
 * `^<longest common prefix of eph* datastores>.*`. Unlike sapcc (which yields `^.*`, i.e. every datastore) a cluster
 * without eph* datastores gets no regex, so templates can test for it.
 */
export function datastoreRegex(datastores: string[]): string | undefined {
  const eph = ephemeral(datastores);
  if (eph.length === 0) return undefined;
  return `^${commonPrefix(eph)}.*`;
}

/** The HA-group regex, only when both an `_hga` and an `_hgb` eph* datastore exist. */
export function datastoreHagroupRegex(datastores: string[]): string | undefined {
  const eph = ephemeral(datastores);
  return eph.some((d) => d.endsWith("_hga")) && eph.some((d) => d.endsWith("_hgb")) ? HAGROUP_REGEX : undefined;
}

/** The first `br-*` network: bridge = whole name lowercased, physical = suffix lowercased. */
export function bridgeOf(networks: string[]): { bridge: string; physical: string } | undefined {
  for (const n of networks) {
    const m = /^br-(.*)$/.exec(n);
    if (m) return { bridge: n.toLowerCase(), physical: m[1].toLowerCase() };
  }
  return undefined;
}

/** sapcc skips the regexes when PBM is enabled; `true` and `"true"` both count (sapcc only honoured the string). */
export function pbmEnabled(globals: GlobalOptions): boolean {
  const v = globals.pbm_enabled;
  return v === true || (typeof v === "string" && v.toLowerCase() === "true");
}

export function clusterOptions(
  vcenterName: string,
  datacenter: string,
  cluster: InventoryCluster,
  pbm = false,
): ClusterOptions | undefined {
  const name = clusterShortName(cluster.name);
  if (!name) return undefined;
  const opts: ClusterOptions = {
    name,
    cluster_name: cluster.name,
    availability_zone: datacenter.toLowerCase(),
    nsx_t_enabled: true,
    vcenter_name: vcenterName,
  };
  if (!pbm) {
    const ds = datastoreRegex(cluster.datastores);
    if (ds !== undefined) opts.datastore_regex = ds;
    const hg = datastoreHagroupRegex(cluster.datastores);
    if (hg !== undefined) opts.datastore_hagroup_regex = hg;
  }
  const br = bridgeOf(cluster.networks);
  if (br) Object.assign(opts, br);
  return opts;
}

/** Templates test `'cell-' + az in cells`; nunjucks' `in` needs an array, not a Set. */
function normalizeGlobals(globals: GlobalOptions): GlobalOptions {
  const out: GlobalOptions = { ...globals };
  for (const [k, v] of Object.entries(out)) if (v instanceof Set) out[k] = [...v];
  return out;
}

function baseContext(inv: Inventory, globals: GlobalOptions, vc: VCenterOptions): Record<string, unknown> {
  if (vc.host !== inv.vcenter.host || vc.name !== inv.vcenter.name) {
    throw new Error(
      `vCenter options are for ${vc.name} (${vc.host}) but the inventory is of ${inv.vcenter.name} (${inv.vcenter.host})`,
    );
  }
  return { ...normalizeGlobals(globals), ...vc };
}

/** One context per production cluster: global options, then vCenter options, then cluster options. */
export function clusterContexts(inv: Inventory, globals: GlobalOptions, vc: VCenterOptions): Record<string, unknown>[] {
  const base = baseContext(inv, globals, vc);
  const pbm = pbmEnabled(globals);
  const out: Record<string, unknown>[] = [];
  for (const dc of inv.datacenters) {
    for (const cl of dc.clusters) {
      const opts = clusterOptions(inv.vcenter.name, dc.name, cl, pbm);
      if (opts) out.push({ ...base, ...opts });
    }
  }
  return out;
}

/** The availability zones (lowercased datacenter names) that have at least one production cluster. */
export function availabilityZones(inv: Inventory): string[] {
  const azs: string[] = [];
  for (const dc of inv.datacenters) {
    const az = dc.name.toLowerCase();
    if (!azs.includes(az) && dc.clusters.some((c) => clusterShortName(c.name))) azs.push(az);
  }
  return azs;
}

/** One context per availability zone; `name` stays the vCenter's short name. */
export function datacenterContexts(
  inv: Inventory,
  globals: GlobalOptions,
  vc: VCenterOptions,
): Record<string, unknown>[] {
  const base = baseContext(inv, globals, vc);
  return availabilityZones(inv).map((az) => ({ ...base, availability_zone: az, vcenter_name: inv.vcenter.name }));
}
