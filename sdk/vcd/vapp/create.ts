// Creating a vApp: empty (composeVApp) or from a catalog template (instantiateVAppTemplate), telling a creation
// that failed after vCD made the vApp from one that made nothing.
import type { VcdClient } from "../client";
import { TaskError, TaskTimeoutError } from "../errors";
import type { FenceMode } from "../wire";
import type { VApp } from "../xml";
import type { CauseOptions } from "../../util/errors";

export interface CreateSpec {
  org: string;
  vdc: string;
  name: string;
  description: string;
  fenceMode: FenceMode;
  acceptAllEulas: boolean;
  powerOn: boolean;
  source?: { catalog: string; template: string };
  /** Name of an org VDC network to connect; none when absent. */
  network?: string;
}

/** The creation failed after vCD had created the vApp: `href` names what is left behind. */
export class CreationFailedError extends Error {
  constructor(
    message: string,
    readonly href: string,
    options?: CauseOptions,
  ) {
    super(message, options);
    this.name = "CreationFailedError";
  }
}

/**
 * Creates the vApp and waits for vCD to settle it. Throws CreationFailedError when vCD answered 201 but the creation
 * task failed or outlived the client's task timeout (the vApp exists), else the client's error (nothing created).
 */
export async function createVApp(c: VcdClient, s: CreateSpec): Promise<VApp> {
  const networks = s.network ? [{ name: s.network, fenceMode: s.fenceMode }] : [];
  try {
    if (!s.source)
      return await c.vapps.compose({ vdc: s.vdc, org: s.org, name: s.name, description: s.description, networks });
    // deploy/powerOn in the instantiation itself: one task instead of two.
    return await c.vapps.instantiate({
      vdc: s.vdc,
      org: s.org,
      name: s.name,
      description: s.description,
      networks,
      catalog: s.source.catalog,
      template: s.source.template,
      acceptAllEulas: s.acceptAllEulas,
      deploy: s.powerOn,
      powerOn: s.powerOn,
    });
  } catch (e) {
    // vCD answered 201, so the vApp exists, but its creation task failed or outlived our patience.
    if (e instanceof TaskError && e.details.ownerHref)
      throw new CreationFailedError(e.message, e.details.ownerHref, { cause: e });
    if (e instanceof TaskTimeoutError) {
      const left = await c.vapps.find(s.vdc, s.name).catch(() => undefined);
      if (left) throw new CreationFailedError(e.message, left.href, { cause: e });
    }
    throw e;
  }
}
