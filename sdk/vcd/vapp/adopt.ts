// Adopting an existing vApp: find it by the reference the program gives and check it is where the program says.
import type { VcdClient } from "../client";
import { NotFoundError } from "../errors";
import type { MetadataEntry, VApp } from "../xml";
import { observe, vdcName } from "./observe";

/**
 * The vApp `ref` (href, URN or uuid) names, with its metadata. Throws NotFoundError when vCD shows no such vApp to
 * `username`, and an Error naming the VDC when it is not in `vdc`.
 */
export async function findAdoptable(
  c: VcdClient,
  ref: string,
  vdc: string,
  username: string,
): Promise<{ vapp: VApp; metadata: MetadataEntry[] }> {
  const href = c.vapps.href(ref);
  const seen = await observe(c, href);
  if (!seen) throw new NotFoundError("vApp", ref, `no vApp at ${href} (deleted, or not visible to user "${username}")`);
  const where = seen.vapp.vdcHref ? await vdcName(c, seen.vapp.vdcHref) : undefined;
  if (where !== undefined && where !== vdc)
    throw new Error(`vApp "${seen.vapp.name}" is in VDC "${where}", not "${vdc}"; declare vdc: "${where}" to adopt it`);
  return seen;
}
