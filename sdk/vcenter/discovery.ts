// vCenter discovery: names `vc-<letters>-<digits>` in the region's zone, fetched by AXFR only when the SOA serial
// moved. Unlike sapcc, removed vCenters are reported and dropped.
import { DnsEndpoint, DnsRecord, querySoaSerial, transferZone } from "./dns/axfr";
import { TsigKey } from "./dns/tsig";
import { normalizeHost } from "./hostname";

export const VCENTER_LABEL = /^vc-[a-z]+-[0-9]+$/;

/** Carried from one discovery to the next (e.g. in provider state); holds no secrets. */
export interface DiscoveryState {
  serial?: number;
  /** Sorted FQDNs. */
  vcenters: string[];
}

export interface DiscoveryResult {
  /** Sorted FQDNs, e.g. vc-a-0.cc.qa-de-1.cloud.sap */
  vcenters: string[];
  added: string[];
  removed: string[];
  /** False when the serial was unchanged and the zone was not transferred. */
  transferred: boolean;
  state: DiscoveryState;
}

export interface DnsDiscoveryOptions {
  server: DnsEndpoint;
  /** The region domain, e.g. cc.qa-de-1.cloud.sap; vCenters are <name>.<zone>. */
  zone: string;
  key: TsigKey;
  timeoutMs?: number;
}

/** FQDNs of the A/AAAA/CNAME owners whose first zone-relative label is a vCenter name. */
export function vcenterHosts(records: DnsRecord[], zone: string): string[] {
  const z = normalizeHost(zone);
  const out = new Set<string>();
  for (const r of records) {
    if (r.type !== "A" && r.type !== "AAAA" && r.type !== "CNAME") continue;
    const owner = normalizeHost(r.name);
    if (!owner.endsWith(`.${z}`)) continue;
    const relative = owner.slice(0, -(z.length + 1));
    if (VCENTER_LABEL.test(relative.split(".")[0])) out.add(`${relative}.${z}`);
  }
  return [...out].sort();
}

export function diffVCenters(previous: string[], current: string[]): { added: string[]; removed: string[] } {
  const prev = new Set(previous);
  const cur = new Set(current);
  return { added: current.filter((h) => !prev.has(h)), removed: previous.filter((h) => !cur.has(h)) };
}

/** Discovers vCenters via a TSIG-signed SOA query and, when the serial changed, an AXFR. */
export async function discoverFromDns(opts: DnsDiscoveryOptions, previous?: DiscoveryState): Promise<DiscoveryResult> {
  const prev = previous ?? { vcenters: [] };
  const t = { server: opts.server, zone: opts.zone, key: opts.key, timeoutMs: opts.timeoutMs };
  const serial = await querySoaSerial(t);
  if (previous && prev.serial === serial) {
    return {
      vcenters: [...prev.vcenters],
      added: [],
      removed: [],
      transferred: false,
      state: { serial, vcenters: [...prev.vcenters] },
    };
  }
  const records = await transferZone(t);
  const vcenters = vcenterHosts(records, opts.zone);
  // Remember the serial of the content we actually hold: the zone may have moved between the two queries.
  const soa = records[0];
  const held = soa.type === "SOA" ? soa.data.serial : serial;
  return { vcenters, ...diffVCenters(prev.vcenters, vcenters), transferred: true, state: { serial: held, vcenters } };
}

/** A fixed list of vCenter FQDNs instead of DNS (labs, or regions without the mDNS service). */
export function discoverStatic(hosts: string[], previous?: DiscoveryState): DiscoveryResult {
  const vcenters = [...new Set(hosts.map(normalizeHost).filter((h) => h !== ""))].sort();
  const prev = previous?.vcenters ?? [];
  return { vcenters, ...diffVCenters(prev, vcenters), transferred: false, state: { vcenters } };
}
