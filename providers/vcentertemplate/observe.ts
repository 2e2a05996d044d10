// What create, update and read all do: discover the vCenters, log on to each, collect its inventory, render every
// template over it. Any vCenter that cannot be read fails the whole step: rendering without it would make the
// manifests of its clusters disappear, and Pulumi would then delete them from Kubernetes.
import { discoverFromDns, discoverStatic, DiscoveryResult, DiscoveryState } from "../../sdk/vcenter/discovery";
import { collectInventory } from "../../sdk/vcenter/inventory";
import { renderAllIsolated } from "../../sdk/vcenter/isolate";
import type { RenderedVCenter } from "../../sdk/vcenter/render";
import { withVimSession } from "../../sdk/vsphere/pool";
import { hostsOnly } from "../../sdk/http";
import {
  duplicateWarnings,
  endpointFor,
  globalsOf,
  inventorySummary,
  loginFor,
  Observation,
  Props,
  pruneRefusal,
  templateSources,
} from "./plan";
import type { VCenterInventory } from "../../sdk/schemas/vcentertemplate";

const MAX_PARALLEL_VCENTERS = 8;

function label(p: Props): string {
  return `VCenterTemplate "${p.resourceName ?? p.namespace}"`;
}

async function discover(p: Props, previous?: DiscoveryState): Promise<DiscoveryResult> {
  const dns = p.discovery.dns;
  if (!dns) return discoverStatic(p.discovery.static ?? []);
  try {
    return await discoverFromDns(
      {
        server: { host: dns.server, port: dns.port },
        zone: dns.zone,
        key: { name: dns.tsigKeyName, secret: dns.tsigKey },
      },
      previous,
    );
  } catch (err) {
    throw new Error(
      `${label(p)}: DNS discovery of ${dns.zone} from ${dns.server}:${dns.port} failed: ${(err as Error).message}`,
    );
  }
}

/** Reads one vCenter's inventory in one PropertyCollector pass, on the shared session for it. */
async function readVCenter(p: Props, host: string): Promise<RenderedVCenter & { url: string }> {
  const url = endpointFor(p.endpoints, host);
  try {
    const login = loginFor(p.credentials, host);
    // The process-wide session for this vCenter and user: a refresh of many resources logs in once.
    const inventory = await withVimSession(
      { url, username: login.username, password: login.password, insecure: p.insecure, ca: p.ca },
      (client) => collectInventory(client, host),
    );
    return {
      url,
      inventory,
      options: { username: login.username, password: login.password, host, name: inventory.vcenter.name },
    };
  } catch (err) {
    // The endpoint URL is a secret input: the message names the vCenter only.
    throw new Error(`${label(p)}: vCenter ${host}: ${hostsOnly((err as Error).message)}`);
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * `previous`: the discovery to reuse when the zone's serial is unchanged. `seen`: the inventory in the state (read and
 * update); when given, the prune guard refuses a shrink beyond pruneGuard before anything is rendered.
 */
export async function observe(p: Props, previous?: DiscoveryState, seen?: VCenterInventory[]): Promise<Observation> {
  const found = await discover(p, previous);
  const vcenters = await mapLimit(found.vcenters, MAX_PARALLEL_VCENTERS, (host) => readVCenter(p, host));
  const globals = globalsOf(p);
  const inventory = vcenters.map((v) => inventorySummary(v.inventory, v.url, globals));
  const refusal = pruneRefusal(p, seen, inventory);
  if (refusal) throw new Error(`${label(p)}: ${refusal}`);
  // Templates run in an isolated worker (sdk/vcenter/isolate.ts): no access to this process or its secrets.
  const rendered = await renderAllIsolated(templateSources(p), vcenters, globals).catch((err: Error) => {
    throw new Error(`${label(p)}: ${err.message}`);
  });
  if (rendered.errors.length) {
    // TemplateRenderError names the template and line and never quotes rendered text (it may hold passwords).
    throw new Error(`${label(p)}: ${[...new Set(rendered.errors.map((e) => e.message))].join("; ")}`);
  }
  return {
    vcenters: { ...(found.state.serial !== undefined ? { serial: found.state.serial } : {}), hosts: found.vcenters },
    inventory,
    manifests: rendered.manifests,
    warnings: duplicateWarnings(rendered.duplicates),
  };
}
