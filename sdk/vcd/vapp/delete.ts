// Deleting a vApp that may already be gone: vCD answers 403 for a deleted vApp as for one the user may not touch.
import type { VcdClient } from "../client";
import { ForbiddenError } from "../errors";
import type { UndeployPowerAction } from "../wire";
import { observe } from "./observe";

/**
 * Deletes the vApp at `href`, undeploying it first with `undeployPowerAction` (vCD refuses to delete a running
 * vApp). Returns false when it was already gone (403, and the query no longer lists it). Throws the 403 when the
 * vApp can still be read, and AccessDeniedError when vCD hides a vApp that still exists.
 */
export async function deleteVApp(
  c: VcdClient,
  href: string,
  undeployPowerAction: UndeployPowerAction,
): Promise<boolean> {
  try {
    await c.vapps.delete(href, { undeployPowerAction });
    return true;
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
    if (await observe(c, href)) throw e;
    return false;
  }
}
