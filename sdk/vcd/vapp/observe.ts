// Reading a vApp as the planner and the provider need it: the vApp with its metadata, undefined once it is gone,
// and where it is placed (VDC, network) for an import to compare with the program.
import type { VcdClient } from "../client";
import { AccessDeniedError } from "../errors";
import { MetadataEntry, parseVdc, VApp } from "../xml";
import type { ObservedVApp } from "./model";

export function observedOf(v: VApp, metadata: MetadataEntry[]): ObservedVApp {
  return {
    name: v.name,
    description: v.description,
    owner: v.owner?.name,
    status: v.status,
    statusText: v.statusText,
    deployed: v.deployed,
    expired: v.expired,
    hasVms: v.vmNames.length > 0,
    leases: v.leases,
    metadata,
  };
}

/**
 * Reads the vApp with its metadata; undefined when vCD says 403 and its query confirms the vApp is gone. Throws
 * AccessDeniedError when the 403 is for a vApp that still exists.
 */
export async function observe(
  c: VcdClient,
  href: string,
): Promise<{ vapp: VApp; metadata: MetadataEntry[] } | undefined> {
  const vapp = await c.vapps.tryGet(href);
  if (!vapp) {
    await confirmGone(c, href);
    return undefined;
  }
  return { vapp, metadata: await c.vapps.getMetadata(vapp.href) };
}

/**
 * vCD answers 403 alike for deleted vApps and for vApps the user may not see. A vApp the query still lists is
 * not gone: say so (AccessDeniedError) instead of letting the caller forget (and later recreate) it.
 */
export async function confirmGone(c: VcdClient, href: string): Promise<void> {
  const listed = await c.query("vApp", { filter: { href } });
  if (listed.length) {
    const name = listed[0].attrs.name;
    throw new AccessDeniedError(
      href,
      name,
      `vCD refuses access (403) to vApp "${name}" (${href}) although it still exists: the user "${c.sessionInfo?.user}" lacks rights on it`,
    );
  }
}

/** Name of the VDC at `href` (import checks that the vApp is where the program says). */
export async function vdcName(c: VcdClient, href: string): Promise<string | undefined> {
  return parseVdc(await c.get(href)).name || undefined;
}

/** Where an existing vApp was created: its VDC and the org VDC network it is connected to, with the fence mode. */
export interface Placement {
  vdc?: string;
  network?: string;
  fenceMode?: string;
}

/** The creation-only placement of `v` as vCD shows it; the first vApp network with a parent network counts. */
export async function placementOf(c: VcdClient, v: VApp): Promise<Placement> {
  const vdc = v.vdcHref ? await vdcName(c, v.vdcHref) : undefined;
  const net = v.networks.find((n) => n.parentNetworkName) ?? v.networks[0];
  return { vdc, network: net ? (net.parentNetworkName ?? net.name) : undefined, fenceMode: net?.fenceMode };
}
