// What create, update and read all do: discover the vCenters, log on to each, collect its inventory, render every
// template over it. Any vCenter that cannot be read fails the whole step: rendering without it would make the
// manifests of its clusters disappear, and Pulumi would then delete them from Kubernetes.
import { hostsOnly } from "../../http";
import { mapLimit } from "../../util/async";
import { abandonAtDeadline, DeadlineExceededError } from "../../util/deadline";
import type { VCenterInventory } from "../../schemas/vcentertemplate-outputs";
import { withVimSession } from "../../vsphere/pool";
import { discoverFromDns, discoverStatic, DiscoveryResult, DiscoveryState } from "../discovery";
import { collectInventory } from "../inventory";
import { renderAllIsolated } from "../isolate";
import type { RenderedVCenter } from "../render";
import type { Observation, TemplateSpec } from "./model";
import {
  duplicateWarnings,
  endpointFor,
  globalsOf,
  inventorySummary,
  labelOf,
  loginFor,
  pruneRefusal,
  templateSources,
} from "./planner";

const MAX_PARALLEL_VCENTERS = 8;

async function discover(p: TemplateSpec, previous?: DiscoveryState): Promise<DiscoveryResult> {
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
      `${labelOf(p)}: DNS discovery of ${dns.zone} from ${dns.server}:${dns.port} failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** Reads one vCenter's inventory in one PropertyCollector pass, on the shared session for it. */
async function readVCenter(p: TemplateSpec, host: string): Promise<RenderedVCenter & { url: string }> {
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
    throw new Error(`${labelOf(p)}: vCenter ${host}: ${hostsOnly((err as Error).message)}`, { cause: err });
  }
}

/**
 * One pass: discovery, every vCenter's inventory (at most 8 at a time), the prune guard, the render.
 * `previous`: the discovery to reuse when the zone's serial is unchanged. `seen`: the inventory recorded before (read
 * and update); when given, the prune guard refuses a shrink beyond pruneGuard before anything is rendered.
 * Errors name the resource (labelOf) and keep the underlying error as `cause`; the first vCenter (in discovery
 * order) that could not be read fails the pass.
 */
export async function observe(
  p: TemplateSpec,
  previous?: DiscoveryState,
  seen?: VCenterInventory[],
): Promise<Observation> {
  // Observing only reads (DNS, vCenter, rendering), so at the operation's deadline (`timeouts`) it is abandoned.
  return abandonAtDeadline(observeAll(p, previous, seen)).catch((err: unknown) => {
    if (err instanceof DeadlineExceededError) throw new Error(`${labelOf(p)}: ${err.message}`, { cause: err });
    throw err;
  });
}

async function observeAll(p: TemplateSpec, previous?: DiscoveryState, seen?: VCenterInventory[]): Promise<Observation> {
  const found = await discover(p, previous);
  const settled = await mapLimit(found.vcenters, MAX_PARALLEL_VCENTERS, (host) => readVCenter(p, host));
  const vcenters = settled.map((r) => {
    if (r.status === "rejected") throw r.reason;
    return r.value;
  });
  const globals = globalsOf(p);
  const inventory = vcenters.map((v) => inventorySummary(v.inventory, v.url, globals));
  const refusal = pruneRefusal(p, seen, inventory);
  if (refusal) throw new Error(`${labelOf(p)}: ${refusal}`);
  // Templates run in an isolated worker (sdk/vcenter/isolate.ts): no access to this process or its secrets.
  const rendered = await renderAllIsolated(templateSources(p), vcenters, globals).catch((err: Error) => {
    throw new Error(`${labelOf(p)}: ${err.message}`, { cause: err });
  });
  if (rendered.errors.length) {
    // TemplateRenderError names the template and line and never quotes rendered text (it may hold passwords).
    throw new Error(`${labelOf(p)}: ${[...new Set(rendered.errors.map((e) => e.message))].join("; ")}`, {
      cause: rendered.errors[0],
    });
  }
  return {
    vcenters: { ...(found.state.serial !== undefined ? { serial: found.state.serial } : {}), hosts: found.vcenters },
    inventory,
    manifests: rendered.manifests,
    warnings: duplicateWarnings(rendered.duplicates),
  };
}
