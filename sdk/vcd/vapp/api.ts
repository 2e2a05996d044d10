// vApp operations as a provider needs them: find by name, create (empty or from a catalog template), read, edit,
// owner, leases, power, metadata and delete. Each change waits for its task, then the vApp is read back.
import * as bodies from "../bodies";
import { FenceMode, MetadataInput, UndeployPowerAction } from "../bodies";
import type { VcdClient } from "../client";
import { ForbiddenError, NotFoundError, TaskError, VcdError } from "../errors";
import {
  findLink,
  Leases,
  MetadataDomain,
  MetadataEntry,
  OwnerRef,
  parseAdminOrgUsers,
  parseLease,
  parseMetadata,
  parseOwner,
  parseVApp,
  parseVdc,
  Task,
  VApp,
} from "../xml";
import { MEDIA, VAppStatus } from "../wire";

export interface VdcRef {
  name: string;
  href: string;
  orgName?: string;
}

export interface NetworkRequest {
  /** Name of an org VDC network available in the VDC. */
  name: string;
  /** Default bridged. */
  fenceMode?: FenceMode;
}

export interface ComposeOptions {
  vdc: string;
  name: string;
  description?: string;
  networks?: NetworkRequest[];
  /** Org of the VDC; needed only for provider (System) sessions, which see every org. */
  org?: string;
}

export interface InstantiateOptions extends ComposeOptions {
  catalog: string;
  template: string;
  /** Must be true for templates that carry a EULA (vCD answers EULA_NOT_ACCEPTED otherwise). */
  acceptAllEulas?: boolean;
  deploy?: boolean;
  powerOn?: boolean;
}

export type VAppRef = string | { href: string };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class VAppApi {
  constructor(private readonly client: VcdClient) {}

  /** href for a vApp given as href, URN (urn:vcloud:vapp:<uuid>), bare uuid or a VApp. */
  href(ref: VAppRef): string {
    if (typeof ref !== "string") return ref.href;
    if (/^https?:\/\//.test(ref)) return ref;
    const uuid = ref.startsWith("urn:vcloud:vapp:") ? ref.slice("urn:vcloud:vapp:".length) : ref.replace(/^vapp-/, "");
    if (!UUID_RE.test(uuid)) throw new Error(`"${ref}" is not a vApp href, URN or id`);
    return this.client.href(`/api/vApp/vapp-${uuid}`);
  }

  // --- lookups ---

  async findVdc(name: string, org?: string): Promise<VdcRef> {
    const recs = await this.client.query("orgVdc", { filter: { name, ...(org ? { orgName: org } : {}) } });
    if (!recs.length) {
      const all = await this.client.query("orgVdc");
      throw new NotFoundError(
        "VDC",
        name,
        `VDC "${name}"${org ? ` in org "${org}"` : ""} not found; visible VDCs: ${all.map((r) => `${r.attrs.orgName}/${r.attrs.name}`).join(", ") || "none"}`,
      );
    }
    if (recs.length > 1)
      throw new Error(
        `VDC name "${name}" is ambiguous (orgs ${recs.map((r) => r.attrs.orgName).join(", ")}); pass org`,
      );
    return { name, href: recs[0].attrs.href, orgName: recs[0].attrs.orgName };
  }

  private async networkSpecs(vdcHref: string, nets: NetworkRequest[] = []): Promise<bodies.NetworkSpec[]> {
    if (!nets.length) return [];
    const available = parseVdc(await this.client.get(vdcHref)).availableNetworks;
    return nets.map((n) => {
      const fenceMode = n.fenceMode ?? "bridged";
      if (fenceMode === "isolated") return { name: n.name, fenceMode };
      const hit = available.find((a) => a.name === n.name);
      if (!hit)
        throw new NotFoundError(
          "network",
          n.name,
          `network "${n.name}" is not available in the VDC; available: ${available.map((a) => a.name).join(", ") || "none"}`,
        );
      return { name: n.name, parentHref: hit.href, fenceMode };
    });
  }

  async findTemplate(catalog: string, template: string): Promise<string> {
    const recs = await this.client.query("vAppTemplate", { filter: { name: template, catalogName: catalog } });
    if (!recs.length)
      throw new NotFoundError("template", template, `template "${template}" not found in catalog "${catalog}"`);
    return recs[0].attrs.href;
  }

  /** The vApp called `name` in the VDC, or undefined. */
  async find(vdc: string | VdcRef, name: string): Promise<VApp | undefined> {
    const v = typeof vdc === "string" ? await this.findVdc(vdc) : vdc;
    const recs = await this.client.query("vApp", { filter: { name, vdc: v.href } });
    return recs.length ? this.get(recs[0].attrs.href) : undefined;
  }

  // --- create ---

  /** Creates an empty vApp (composeVApp) and waits until it settles (status 1, RESOLVED). */
  async compose(o: ComposeOptions): Promise<VApp> {
    const vdc = await this.findVdc(o.vdc, o.org);
    const networks = await this.networkSpecs(vdc.href, o.networks);
    const r = await this.client.request("POST", `${vdc.href}/action/composeVApp`, {
      body: bodies.composeVAppParams({ name: o.name, description: o.description, networks }),
      contentType: MEDIA.compose,
      expect: [201],
    });
    return this.settleCreation(r.data);
  }

  /** Creates a vApp from a catalog template (instantiateVAppTemplate) and waits until it settles. */
  async instantiate(o: InstantiateOptions): Promise<VApp> {
    const vdc = await this.findVdc(o.vdc, o.org);
    const sourceHref = await this.findTemplate(o.catalog, o.template);
    const networks = await this.networkSpecs(vdc.href, o.networks);
    const r = await this.client.request("POST", `${vdc.href}/action/instantiateVAppTemplate`, {
      body: bodies.instantiateVAppTemplateParams({
        name: o.name,
        description: o.description,
        networks,
        sourceHref,
        acceptAllEulas: o.acceptAllEulas ?? false,
        deploy: o.deploy ?? o.powerOn ?? false,
        powerOn: o.powerOn ?? false,
      }),
      contentType: MEDIA.instantiate,
      expect: [201],
    });
    return this.settleCreation(r.data);
  }

  /** A creation answers 201 with the vApp (status 0) and its task embedded; wait on the task, then read. */
  private async settleCreation(xml: string): Promise<VApp> {
    const created = parseVApp(xml);
    for (const t of created.tasks) await this.client.waitForTask(t.href);
    return this.get(created.href);
  }

  // --- read ---

  async get(ref: VAppRef, opts: { metadata?: boolean } = {}): Promise<VApp> {
    const v = parseVApp(await this.client.get(this.href(ref)));
    if (opts.metadata) v.metadata = await this.getMetadata(v.href);
    return v;
  }

  /** Like get, but undefined when vCD answers 403 (deleted, unknown, or no longer visible to this user). */
  async tryGet(ref: VAppRef, opts: { metadata?: boolean } = {}): Promise<VApp | undefined> {
    try {
      return await this.get(ref, opts);
    } catch (e) {
      if (e instanceof ForbiddenError) return undefined;
      throw e;
    }
  }

  // --- edit ---

  /**
   * Renames and/or re-describes the vApp with recomposeVApp, as govcd does for 10.x (PUT /vApp/{id} is documented
   * for VMs only). The recompose link is missing on some vApps (expired ones), so its path is the fallback.
   */
  async update(ref: VAppRef, change: { name?: string; description?: string }): Promise<VApp> {
    const cur = await this.get(ref);
    const body = bodies.recomposeNameDescription({
      name: change.name ?? cur.name,
      description: change.description ?? cur.description,
      deployed: cur.deployed,
      poweredOn: cur.status === VAppStatus.POWERED_ON,
    });
    const href = findLink(cur.links, "recompose", MEDIA.recompose)?.href ?? `${cur.href}/action/recomposeVApp`;
    await this.run("POST", href, body, MEDIA.recompose);
    return this.get(cur.href);
  }

  async getOwner(ref: VAppRef): Promise<OwnerRef | undefined> {
    return parseOwner(await this.client.get(`${this.href(ref)}/owner`));
  }

  /** Sets the owner by user name (a user of the vApp's org). PUT owner answers 204 without a task. */
  async setOwner(ref: VAppRef, userName: string): Promise<OwnerRef> {
    const user = await this.findUser(ref, userName);
    await this.client.request("PUT", `${this.href(ref)}/owner`, {
      body: bodies.owner(user.href),
      contentType: MEDIA.owner,
      expect: [204],
    });
    return user;
  }

  /**
   * A user of the vApp's org, by name, from the AdminOrg's Users list (as govcd's GetUserByName). Not the `user`
   * query: it lists the caller's own org only (System users for a provider session) and is deprecated since API
   * 38.1. Reading the AdminOrg needs organization-administrator rights, as changing an owner does.
   */
  async findUser(ref: VAppRef, userName: string): Promise<OwnerRef> {
    const v = await this.get(ref);
    const orgHref = v.vdcHref ? parseVdc(await this.client.get(v.vdcHref)).orgHref : undefined;
    if (!orgHref)
      throw new NotFoundError(
        "organization",
        v.name,
        `vApp "${v.name}": cannot find its organization (no VDC or org link)`,
      );
    const adminOrgHref = orgHref.replace("/api/org/", "/api/admin/org/");
    let org: ReturnType<typeof parseAdminOrgUsers>;
    try {
      org = parseAdminOrgUsers(await this.client.get(adminOrgHref));
    } catch (e) {
      if (!(e instanceof ForbiddenError)) throw e;
      const who = this.client.sessionInfo?.user;
      throw new Error(
        `cannot list the users of the vApp's organization to set owner "${userName}": vCD refuses${who ? ` user "${who}"` : ""} (403); changing a vApp's owner needs organization administrator rights`,
        { cause: e },
      );
    }
    const users = org.users;
    const lower = userName.toLowerCase();
    const loose = users.filter((u) => u.name.toLowerCase() === lower);
    const hit = users.find((u) => u.name === userName) ?? (loose.length === 1 ? loose[0] : undefined);
    if (!hit) throw new NotFoundError("user", userName, `user "${userName}" not found in org "${org.name ?? orgHref}"`);
    return hit;
  }

  async getLease(ref: VAppRef): Promise<Leases> {
    return parseLease(await this.client.get(`${this.href(ref)}/leaseSettingsSection/`));
  }

  /**
   * Sets leases in seconds: 0 means the org's value ("never expires" when the org allows it); other values must be
   * at least 3600. vCD silently reduces values above the org maximum, so read the result rather than assume it
   * (go-vcloud-director govcd/vapp_test.go Test_Vapp_LeaseUpdate; vApp templates answer an error instead).
   */
  async setLease(ref: VAppRef, l: { deploymentSeconds?: number; storageSeconds?: number }): Promise<Leases> {
    const href = `${this.href(ref)}/leaseSettingsSection/`;
    await this.run(
      "PUT",
      href,
      bodies.leaseSettings({ href, deploymentSeconds: l.deploymentSeconds, storageSeconds: l.storageSeconds }),
      MEDIA.lease,
    );
    return this.getLease(ref);
  }

  // --- power ---

  async deploy(ref: VAppRef, opts: { powerOn?: boolean; deploymentLeaseSeconds?: number } = {}): Promise<Task> {
    return this.run(
      "POST",
      `${this.href(ref)}/action/deploy`,
      bodies.deployParams({ powerOn: opts.powerOn ?? true, deploymentLeaseSeconds: opts.deploymentLeaseSeconds }),
      MEDIA.deploy,
    );
  }

  async undeploy(ref: VAppRef, action: UndeployPowerAction = "powerOff"): Promise<Task> {
    return this.run("POST", `${this.href(ref)}/action/undeploy`, bodies.undeployParams(action), MEDIA.undeploy);
  }

  /** powerOn | powerOff | reboot | reset | suspend | shutdown: only offered (as links) for vApps with VMs. */
  async powerAction(
    ref: VAppRef,
    action: "powerOn" | "powerOff" | "reboot" | "reset" | "suspend" | "shutdown",
  ): Promise<Task> {
    return this.run("POST", `${this.href(ref)}/power/action/${action}`, undefined);
  }

  /**
   * Converges the power state. On: deploy with powerOn (or power on a deployed, stopped vApp). Off: undeploy, as the
   * vCD UI does, so the vApp ends undeployed and can be deleted, with `offAction` (default powerOff here; the
   * provider passes the user's choice, shutdown by default). An empty vApp has nothing to power; asking to power it
   * on is an error.
   */
  async setPower(ref: VAppRef, on: boolean, offAction: UndeployPowerAction = "powerOff"): Promise<VApp> {
    const v = await this.get(ref);
    if (on) {
      if (v.status === VAppStatus.POWERED_ON) return v;
      if (!v.vmNames.length && !findLink(v.links, "power:powerOn")) {
        throw new Error(`vApp "${v.name}" has no VMs: vCD cannot power it on (status ${v.statusText})`);
      }
      if (v.deployed) await this.powerAction(v.href, "powerOn");
      else await this.deploy(v.href, { powerOn: true });
    } else {
      if (!v.deployed) return v;
      await this.stop(v.href, offAction);
    }
    return this.get(v.href);
  }

  /**
   * Undeploys with `action`. A guest shutdown that vCD reports as failed (no VMware Tools, a guest that refuses) falls
   * back to powerOff, as terraform-provider-vsphere's force_power_off does after shutdown_wait_timeout; vCD's task
   * timeout bounds the wait.
   */
  async stop(ref: VAppRef, action: UndeployPowerAction): Promise<void> {
    try {
      await this.undeploy(ref, action);
    } catch (e) {
      const refused =
        e instanceof TaskError || (e instanceof VcdError && e.status === 400 && e.minorErrorCode !== "BUSY_ENTITY");
      if (action !== "shutdown" || !refused) throw e;
      const v = await this.get(ref);
      if (v.deployed) await this.undeploy(ref, "powerOff");
    }
  }

  // --- metadata ---

  async getMetadata(ref: VAppRef): Promise<MetadataEntry[]> {
    return parseMetadata(await this.client.get(`${this.href(ref)}/metadata`));
  }

  /** Adds or changes entries in one request (POST merge); entries not named are kept. */
  async mergeMetadata(ref: VAppRef, entries: MetadataInput[]): Promise<MetadataEntry[]> {
    if (!entries.length) return this.getMetadata(ref);
    await this.run("POST", `${this.href(ref)}/metadata`, bodies.metadata(entries), MEDIA.metadata);
    return this.getMetadata(ref);
  }

  async setMetadataValue(ref: VAppRef, entry: MetadataInput): Promise<void> {
    await this.run(
      "PUT",
      this.metadataHref(ref, entry.key, entry.domain),
      bodies.metadataValue(entry),
      MEDIA.metadataValue,
    );
  }

  async deleteMetadata(ref: VAppRef, key: string, domain: MetadataDomain = "GENERAL"): Promise<void> {
    await this.run("DELETE", this.metadataHref(ref, key, domain), undefined);
  }

  private metadataHref(ref: VAppRef, key: string, domain: MetadataDomain = "GENERAL"): string {
    return `${this.href(ref)}/metadata/${domain === "SYSTEM" ? "SYSTEM/" : ""}${encodeURIComponent(key)}`;
  }

  // --- delete ---

  /**
   * Deletes the vApp. vCD refuses to delete a deployed vApp ("Stop the vApp and try again"), so by default it is
   * undeployed first (`undeployPowerAction`, default powerOff; shutdown falls back to powerOff, see stop()); pass
   * undeploy:false to see the refusal, or force:true to let vCD do both.
   */
  async delete(
    ref: VAppRef,
    opts: { undeploy?: boolean; force?: boolean; undeployPowerAction?: UndeployPowerAction } = {},
  ): Promise<void> {
    const href = this.href(ref);
    if (opts.undeploy !== false && !opts.force) {
      const v = await this.get(href);
      if (v.deployed) await this.stop(href, opts.undeployPowerAction ?? "powerOff");
    }
    await this.run("DELETE", opts.force ? `${href}?force=true&recursive=true` : href, undefined);
  }

  /** A 202 mutation: send, then wait for its task to succeed. */
  private async run(method: string, href: string, body: string | undefined, contentType?: string): Promise<Task> {
    const task = await this.client.startTask(method, href, body, contentType);
    return this.client.waitForTask(task);
  }
}
