// vApp handlers: creation (compose, instantiate), reads, edits, power, leases, owner, metadata and delete.
// Every change goes through a task and lands on the entity only when the task succeeds, as on a real vCD.
import { randomUUID } from "crypto";
import { assertOrgAccess, Reply, Req, requireContentType, sessionUser, Sim, xmlReply } from "./context";
import { badRequest, forbidden, SimError } from "./errors";
import { El, kid, kids, kidText, readBody } from "./body";
import { MetadataItem, VApp, VAppNetworkConfig } from "./state";
import { SimTask } from "./tasks";
import {
  FENCE_MODES,
  MEDIA,
  METADATA_DOMAINS,
  METADATA_TYPES,
  METADATA_VISIBILITIES,
  MetadataDomain,
  MetadataType,
  MetadataVisibility,
  UNDEPLOY_POWER_ACTIONS,
  VAppStatus,
} from "../../sdk/vcd/wire";

const UUID = "([0-9a-fA-F-]{36})";

// --- lookups ---

function vappFor(sim: Sim, req: Req, id: string): VApp {
  const v = sim.state.vapps.get(id);
  // Deleted and unknown ids look the same as ids of another org: 403, never 404.
  if (!v) throw forbidden(`com.vmware.vcloud.entity.vapp:${id}`);
  assertOrgAccess(req, v.orgId, `com.vmware.vcloud.entity.vapp:${id}`);
  return v;
}

function idFromHref(href: string | undefined, pattern: RegExp): string | undefined {
  return href ? pattern.exec(href)?.[1]?.toLowerCase() : undefined;
}

const parseBool = (s: string | undefined, dflt: boolean) => (s === undefined ? dflt : s === "true" || s === "1");

/** Refuses a change while the vApp is locked by another task, or while a BUSY_ENTITY fault is armed for it. */
function assertNotBusy(sim: Sim, v: VApp) {
  if (sim.faults.takeBusy(v.id, v.name) || sim.tasks.activeFor(v.id).length > 0) {
    throw new SimError(
      400,
      "BUSY_ENTITY",
      `The entity vApp "${v.name}" (urn:vcloud:vapp:${v.id}) is busy completing an operation.`,
    );
  }
}

function startTask(
  sim: Sim,
  req: Req,
  v: VApp,
  operationName: string,
  operation: string,
  apply: () => void,
  onFail?: () => void,
): SimTask {
  const user = sessionUser(sim, req);
  const failure = sim.faults.takeTaskFailure(operationName);
  return sim.tasks.create(
    {
      operationName,
      operation: `${operation} ${v.name}(${v.id})`,
      owner: { kind: "vApp", id: v.id, name: v.name },
      userId: user.id,
      orgId: v.orgId,
      apply,
      onFail,
    },
    failure,
  );
}

/** 202 Accepted with the Task, and its href in Location: the answer to every vApp mutation except owner PUT. */
function accepted(req: Req, t: SimTask): Reply {
  return xmlReply(202, MEDIA.task, req.render.task(t), { Location: req.render.taskHref(t) });
}

// --- leases ---

/**
 * 0 asks for the org's value; anything above a non-zero org maximum is reduced to it, silently, for vApps (vApp
 * templates answer an error instead). Source: go-vcloud-director govcd/vapp_test.go Test_Vapp_LeaseUpdate and
 * govcd/vapptemplate_test.go Test_VappTemplateLeaseUpdate (acceptance tests against a real vCD); terraform-provider-vcd
 * website/docs/r/vapp.html.markdown, `lease`: "the values are **silently** reduced to the highest value allowed".
 */
function clampLease(requested: number, orgMax: number): number {
  if (requested === 0) return orgMax;
  return orgMax > 0 ? Math.min(requested, orgMax) : requested;
}

function parseLease(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw badRequest(`Bad request: "${text}" is not a valid value for ${field}.`);
  const n = Number(text);
  if (n !== 0 && n < 3600)
    throw badRequest(`The value of ${field} must be 0 or at least 3600 seconds (1 hour), got ${n}.`);
  return n;
}

function restartStorageLease(sim: Sim, v: VApp) {
  v.storageExpiration =
    v.storageLeaseSeconds > 0 ? new Date(sim.state.now().getTime() + v.storageLeaseSeconds * 1000) : undefined;
}

function startDeploymentLease(sim: Sim, v: VApp) {
  v.deploymentExpiration =
    v.deploymentLeaseSeconds > 0 ? new Date(sim.state.now().getTime() + v.deploymentLeaseSeconds * 1000) : undefined;
}

function undeployNow(sim: Sim, v: VApp, status = VAppStatus.POWERED_OFF) {
  v.deployed = false;
  v.status = status;
  v.deploymentExpiration = undefined;
  restartStorageLease(sim, v);
}

/** Runtime leases that ran out stop their vApp, as vCD's lease monitor does. */
export function settleLeases(sim: Sim) {
  const now = sim.state.now().getTime();
  for (const v of sim.state.vapps.values()) {
    if (
      v.deployed &&
      v.deploymentExpiration &&
      v.deploymentExpiration.getTime() < now &&
      sim.tasks.activeFor(v.id).length === 0
    )
      undeployNow(sim, v);
  }
}

// --- creation ---

function parseNetworks(sim: Sim, orgId: string, vdcId: string, params: El | undefined): VAppNetworkConfig[] {
  const section = kid(params, "NetworkConfigSection");
  return kids(section, "NetworkConfig").map((nc) => {
    const networkName = nc.attrs.networkName;
    if (!networkName) throw badRequest("Bad request: NetworkConfig requires the networkName attribute.");
    const conf = kid(nc, "Configuration");
    const fenceMode = kidText(conf, "FenceMode") ?? "";
    if (!(FENCE_MODES as readonly string[]).includes(fenceMode))
      throw badRequest(`Bad request: "${fenceMode}" is not a valid FenceMode (${FENCE_MODES.join(", ")}).`);
    const parentHref = kid(conf, "ParentNetwork")?.attrs.href;
    let parentNetworkId: string | undefined;
    if (parentHref) {
      parentNetworkId = idFromHref(parentHref, new RegExp(`/network/${UUID}`));
      const net = parentNetworkId ? sim.state.networks.get(parentNetworkId) : undefined;
      if (!net || net.orgId !== orgId || net.vdcId !== vdcId)
        throw badRequest(`The network reference ${parentHref} is invalid.`, "INVALID_REFERENCE");
    } else if (fenceMode !== "isolated") {
      throw badRequest(`Bad request: network "${networkName}" with fence mode ${fenceMode} needs a ParentNetwork.`);
    }
    return { id: randomUUID(), networkName, parentNetworkId, fenceMode };
  });
}

function newVApp(sim: Sim, req: Req, vdcId: string, root: El): VApp {
  const vdc = sim.state.vdcs.get(vdcId);
  if (!vdc) throw forbidden(`com.vmware.vcloud.entity.vdc:${vdcId}`);
  assertOrgAccess(req, vdc.orgId, `com.vmware.vcloud.entity.vdc:${vdcId}`);
  const name = root.attrs.name;
  if (!name || !name.trim()) throw badRequest("Bad request: the vApp name is required.");
  if (sim.state.vappByName(vdc.id, name))
    throw new SimError(400, "DUPLICATE_NAME", `The VMware Cloud Director entity ${name} already exists.`);
  const org = sim.state.orgs.get(vdc.orgId)!;
  const user = sessionUser(sim, req);
  return {
    id: randomUUID(),
    orgId: vdc.orgId,
    vdcId: vdc.id,
    name,
    description: kidText(root, "Description"),
    status: VAppStatus.UNRESOLVED,
    deployed: false,
    ownerId: user.id,
    created: sim.state.now(),
    vmCount: 0,
    deploymentLeaseSeconds: org.leasePolicy.deploymentLeaseSeconds,
    storageLeaseSeconds: org.leasePolicy.storageLeaseSeconds,
    networks: parseNetworks(sim, vdc.orgId, vdc.id, kid(root, "InstantiationParams")),
    metadata: [],
  };
}

function created(sim: Sim, req: Req, v: VApp, t: SimTask): Reply {
  return xmlReply(201, MEDIA.vApp, req.render.vapp(v, sim.tasks.activeFor(v.id).length ? [t] : []), {
    Location: req.render.vappHref(v),
  });
}

export function compose(sim: Sim, req: Req): Reply {
  requireContentType(req, MEDIA.compose);
  const root = readBody(req.body, "ComposeVAppParams");
  if (kids(root, "SourcedItem").length)
    throw badRequest("Bad request: SourcedItem (composing from existing VMs) is not implemented by this simulator.");
  const v = newVApp(sim, req, req.params[0], root);
  sim.state.vapps.set(v.id, v);
  // An empty vApp has no VMs to deploy or power on, so deploy/powerOn are moot and it settles at RESOLVED.
  const t = startTask(
    sim,
    req,
    v,
    "vdcComposeVapp",
    "Composing Virtual Application",
    () => {
      v.status = VAppStatus.RESOLVED;
      restartStorageLease(sim, v);
    },
    () => (v.status = VAppStatus.FAILED_CREATION),
  );
  return created(sim, req, v, t);
}

export function instantiate(sim: Sim, req: Req): Reply {
  requireContentType(req, MEDIA.instantiate);
  const root = readBody(req.body, "InstantiateVAppTemplateParams");
  const srcHref = kid(root, "Source")?.attrs.href;
  const tplId = idFromHref(srcHref, new RegExp(`/vAppTemplate/vappTemplate-${UUID}`, "i"));
  const tpl = tplId ? sim.state.templates.get(tplId) : undefined;
  if (!tpl) throw forbidden(`com.vmware.vcloud.entity.vapptemplate:${tplId ?? srcHref}`);
  assertOrgAccess(req, tpl.orgId, `com.vmware.vcloud.entity.vapptemplate:${tpl.id}`);
  if (tpl.eula && !parseBool(kidText(root, "AllEULAsAccepted"), false)) {
    throw new SimError(
      400,
      "EULA_NOT_ACCEPTED",
      `The EULAs of vApp template "${tpl.name}" must be accepted: set AllEULAsAccepted to true.`,
    );
  }
  const v = newVApp(sim, req, req.params[0], root);
  v.templateId = tpl.id;
  // VAppCreationParams: deploy and powerOn both default to true in the schema.
  const deploy = parseBool(root.attrs.deploy, true);
  const powerOn = parseBool(root.attrs.powerOn, true);
  sim.state.vapps.set(v.id, v);
  const t = startTask(
    sim,
    req,
    v,
    "vdcInstantiateVapp",
    "Creating Virtual Application",
    () => {
      v.vmCount = tpl.vmCount;
      if (powerOn || deploy) {
        v.deployed = true;
        v.status = powerOn ? VAppStatus.POWERED_ON : VAppStatus.POWERED_OFF;
        startDeploymentLease(sim, v);
      } else v.status = VAppStatus.POWERED_OFF;
      restartStorageLease(sim, v);
      if (sim.state.originMetadata) {
        // vCD 10.5.1+ (API 38.1) writes vapp.origin.{id,name,type} on a vApp made from a template (or another vApp),
        // and vm.origin.* on each VM made from a template's VM (not modelled: VMs are not resources here). Source:
        // terraform-provider-vcd CHANGELOG 3.11.0 (#1146, #1173) and its acceptance test TestAccVcdVAppInheritedMetadata
        // (vcd/datasource_vcd_vapp_test.go: origin.id a bare uuid, origin.type com.vmware.vcloud.entity.*), run
        // against real 10.5.1+ servers. go-vcloud-director CODING_GUIDELINES.md calls these SYSTEM metadata; READONLY
        // and the template's entity type name are inferred.
        const ro = (key: string, value: string): MetadataItem => ({
          key,
          value,
          domain: "SYSTEM",
          visibility: "READONLY",
          type: "MetadataStringValue",
        });
        v.metadata.push(
          ro("vapp.origin.id", tpl.id),
          ro("vapp.origin.name", tpl.name),
          ro("vapp.origin.type", "com.vmware.vcloud.entity.vapptemplate"),
        );
      }
    },
    () => (v.status = VAppStatus.FAILED_CREATION),
  );
  return created(sim, req, v, t);
}

// --- read and edit ---

export function getVApp(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  return xmlReply(200, MEDIA.vApp, req.render.vapp(v, sim.tasks.activeFor(v.id)));
}

export function editVApp(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  requireContentType(req, MEDIA.vApp);
  const root = readBody(req.body, "VApp");
  const name = root.attrs.name;
  if (!name || !name.trim()) throw badRequest("Bad request: the vApp name is required.");
  const other = sim.state.vappByName(v.vdcId, name);
  if (other && other.id !== v.id)
    throw new SimError(400, "DUPLICATE_NAME", `The VMware Cloud Director entity ${name} already exists.`);
  assertNotBusy(sim, v);
  const description = kidText(root, "Description") ?? "";
  return accepted(
    req,
    startTask(sim, req, v, "vdcUpdateVapp", "Updating Virtual Application", () => {
      v.name = name;
      v.description = description;
    }),
  );
}

/**
 * recomposeVApp, for what govcd uses it on 10.x: the name attribute and Description (always applied, so an empty
 * one clears it). Adding, removing or reconfiguring VMs is not simulated.
 */
export function recompose(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  requireContentType(req, MEDIA.recompose);
  const root = readBody(req.body, "RecomposeVAppParams");
  const items = root.children.filter((c) => !["Description", "AllEULAsAccepted"].includes(c.local));
  if (items.length)
    throw badRequest(
      `Bad request: ${items[0].local} (changing a vApp's VMs or networks by recompose) is not implemented by this simulator.`,
    );
  const name = root.attrs.name ?? v.name;
  if (!name.trim()) throw badRequest("Bad request: the vApp name is required.");
  const other = sim.state.vappByName(v.vdcId, name);
  if (other && other.id !== v.id)
    throw new SimError(400, "DUPLICATE_NAME", `The VMware Cloud Director entity ${name} already exists.`);
  assertNotBusy(sim, v);
  const description = kidText(root, "Description");
  return accepted(
    req,
    startTask(sim, req, v, "vdcRecomposeVapp", "Updating Virtual Application", () => {
      v.name = name;
      if (description !== undefined) v.description = description;
    }),
  );
}

export function getOwner(sim: Sim, req: Req): Reply {
  return xmlReply(200, MEDIA.owner, req.render.owner(vappFor(sim, req, req.params[0]), true));
}

export function setOwner(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  requireContentType(req, MEDIA.owner);
  const root = readBody(req.body, "Owner");
  const href = kid(root, "User")?.attrs.href;
  const userId = idFromHref(href, new RegExp(`/admin/user/${UUID}`));
  const user = userId ? sim.state.users.get(userId) : undefined;
  if (!user || user.orgId !== v.orgId)
    throw badRequest(`The user reference ${href ?? "(none)"} is invalid.`, "INVALID_REFERENCE");
  assertNotBusy(sim, v);
  v.ownerId = user.id;
  return { status: 204 };
}

export function getLease(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  if (v.status === VAppStatus.UNRESOLVED)
    throw new SimError(
      400,
      "BUSY_ENTITY",
      `The entity vApp "${v.name}" (urn:vcloud:vapp:${v.id}) is busy completing an operation.`,
    );
  return xmlReply(200, MEDIA.lease, req.render.lease(v, true));
}

export function setLease(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  requireContentType(req, MEDIA.lease);
  const root = readBody(req.body, "LeaseSettingsSection");
  const dep = parseLease(kidText(root, "DeploymentLeaseInSeconds"), "DeploymentLeaseInSeconds");
  const sto = parseLease(kidText(root, "StorageLeaseInSeconds"), "StorageLeaseInSeconds");
  assertNotBusy(sim, v);
  const policy = sim.state.orgs.get(v.orgId)!.leasePolicy;
  return accepted(
    req,
    startTask(sim, req, v, "vdcUpdateVapp", "Updating Virtual Application", () => {
      if (dep !== undefined) {
        v.deploymentLeaseSeconds = clampLease(dep, policy.deploymentLeaseSeconds);
        if (v.deployed) startDeploymentLease(sim, v);
      }
      if (sto !== undefined) {
        v.storageLeaseSeconds = clampLease(sto, policy.storageLeaseSeconds);
        restartStorageLease(sim, v);
      }
    }),
  );
}

// --- power ---

function assertHasVms(v: VApp) {
  if (v.vmCount === 0) {
    throw badRequest(
      `The requested operation could not be executed on vApp "${v.name}". The vApp does not contain any VMs.`,
    );
  }
}

export function deploy(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  requireContentType(req, MEDIA.deploy);
  const root = readBody(req.body, "DeployVAppParams");
  assertHasVms(v);
  if (v.deployed)
    throw badRequest(`The requested operation could not be executed since vApp "${v.name}" is already deployed.`);
  const powerOn = parseBool(root.attrs.powerOn, true);
  const leaseAttr = root.attrs.deploymentLeaseSeconds;
  const lease = leaseAttr === undefined ? undefined : parseLease(leaseAttr, "deploymentLeaseSeconds");
  assertNotBusy(sim, v);
  const policy = sim.state.orgs.get(v.orgId)!.leasePolicy;
  return accepted(
    req,
    startTask(sim, req, v, "vappDeploy", "Starting Virtual Application", () => {
      if (lease !== undefined) v.deploymentLeaseSeconds = clampLease(lease, policy.deploymentLeaseSeconds);
      v.deployed = true;
      v.status = powerOn ? VAppStatus.POWERED_ON : VAppStatus.POWERED_OFF;
      startDeploymentLease(sim, v);
    }),
  );
}

export function undeploy(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  requireContentType(req, MEDIA.undeploy);
  const root = readBody(req.body, "UndeployVAppParams");
  const action = kidText(root, "UndeployPowerAction") ?? "powerOff";
  if (!(UNDEPLOY_POWER_ACTIONS as readonly string[]).includes(action))
    throw badRequest(
      `Bad request: "${action}" is not a valid UndeployPowerAction (${UNDEPLOY_POWER_ACTIONS.join(", ")}).`,
    );
  if (!v.deployed)
    throw badRequest(`The requested operation could not be executed since vApp "${v.name}" is not running.`);
  assertNotBusy(sim, v);
  const op = action === "suspend" ? "vappUndeploySuspend" : "vappUndeployPowerOff";
  return accepted(
    req,
    startTask(sim, req, v, op, "Stopping Virtual Application", () =>
      undeployNow(sim, v, action === "suspend" ? VAppStatus.SUSPENDED : VAppStatus.POWERED_OFF),
    ),
  );
}

export function power(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  const action = req.params[1];
  assertHasVms(v);
  const on = v.status === VAppStatus.POWERED_ON;
  const transitions: Record<string, { allowed: boolean; why: string; op: string; opText: string; apply: () => void }> =
    {
      powerOn: {
        allowed: !on,
        why: "is already powered on",
        op: "vappPowerOn",
        opText: "Starting Virtual Application",
        apply: () => {
          if (!v.deployed) startDeploymentLease(sim, v);
          v.deployed = true;
          v.status = VAppStatus.POWERED_ON;
        },
      },
      // Power off keeps the vApp deployed (that is what undeploy is for), so a DELETE is still refused afterwards.
      powerOff: {
        allowed: on,
        why: "is not powered on",
        op: "vappPowerOff",
        opText: "Stopping Virtual Application",
        apply: () => (v.status = VAppStatus.POWERED_OFF),
      },
      shutdown: {
        allowed: on,
        why: "is not powered on",
        op: "vappShutdownGuest",
        opText: "Shutting down Virtual Application",
        apply: () => (v.status = VAppStatus.POWERED_OFF),
      },
      suspend: {
        allowed: on,
        why: "is not powered on",
        op: "vappSuspend",
        opText: "Suspending Virtual Application",
        apply: () => (v.status = VAppStatus.SUSPENDED),
      },
      reboot: {
        allowed: on,
        why: "is not powered on",
        op: "vappRebootGuest",
        opText: "Rebooting Virtual Application",
        apply: () => undefined,
      },
      reset: {
        allowed: on,
        why: "is not powered on",
        op: "vappReset",
        opText: "Resetting Virtual Application",
        apply: () => undefined,
      },
    };
  const tr = transitions[action];
  if (!tr) throw new SimError(405, "METHOD_NOT_ALLOWED", `The operation ${action} is not supported.`);
  if (!tr.allowed) throw badRequest(`The requested operation could not be executed since vApp "${v.name}" ${tr.why}.`);
  assertNotBusy(sim, v);
  return accepted(req, startTask(sim, req, v, tr.op, tr.opText, tr.apply));
}

// --- metadata ---

function findMetadata(v: VApp, key: string, domain: MetadataDomain): MetadataItem | undefined {
  return v.metadata.find((m) => m.key === key && m.domain === domain);
}

function checkTypedValue(
  type: string | undefined,
  value: string | undefined,
  key: string,
): { type: MetadataType; value: string } {
  if (!type || !(METADATA_TYPES as readonly string[]).includes(type))
    throw badRequest(
      `Bad request: metadata entry "${key}" needs a TypedValue with xsi:type one of ${METADATA_TYPES.join(", ")}.`,
    );
  const v = value ?? "";
  const ok =
    type === "MetadataNumberValue"
      ? /^-?\d+$/.test(v)
      : type === "MetadataBooleanValue"
        ? v === "true" || v === "false"
        : type === "MetadataDateTimeValue"
          ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)
          : true;
  if (!ok) throw badRequest(`Bad request: "${v}" is not a valid value for metadata entry "${key}" of type ${type}.`);
  return { type: type as MetadataType, value: v };
}

/** Reads Domain/TypedValue from a MetadataEntry or MetadataValue and applies the domain/visibility rules. */
function metadataItem(req: Req, e: El, key: string, pathDomain?: MetadataDomain): MetadataItem {
  const domainEl = kid(e, "Domain");
  const domain = (domainEl?.text || pathDomain || "GENERAL") as MetadataDomain;
  const visibility = (domainEl?.attrs.visibility ?? "READWRITE") as MetadataVisibility;
  if (!METADATA_DOMAINS.includes(domain))
    throw badRequest(`Bad request: "${domain}" is not a metadata domain (${METADATA_DOMAINS.join(", ")}).`);
  if (!METADATA_VISIBILITIES.includes(visibility))
    throw badRequest(`Bad request: "${visibility}" is not a metadata visibility.`);
  if (pathDomain && domain !== pathDomain)
    throw badRequest(`Bad request: the metadata domain ${domain} does not match the request path.`);
  // vCD answers a GENERAL entry that is not READWRITE, or a SYSTEM one that is, with a bare 500 "visibility"
  // (govcd metadata_v2.go rewrites that message for its users).
  if ((domain === "GENERAL") !== (visibility === "READWRITE"))
    throw new SimError(500, "INTERNAL_SERVER_ERROR", "visibility");
  if (domain === "SYSTEM" && !req.session?.provider) throw forbidden("metadata in the SYSTEM domain");
  const tv = kid(e, "TypedValue");
  const { type, value } = checkTypedValue(tv?.attrs["xsi:type"], kidText(tv, "Value"), key);
  return { key, domain, visibility, type, value };
}

function assertWritable(req: Req, existing: MetadataItem | undefined) {
  if (existing && existing.visibility !== "READWRITE" && !req.session?.provider)
    throw forbidden(`metadata entry ${existing.key}`);
}

function upsert(v: VApp, m: MetadataItem) {
  const i = v.metadata.findIndex((x) => x.key === m.key && x.domain === m.domain);
  if (i >= 0) v.metadata[i] = m;
  else v.metadata.push(m);
}

export function getMetadata(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  return xmlReply(200, MEDIA.metadata, req.render.metadata(visibleMetadata(req, v)));
}

/** PRIVATE entries are visible to the provider only. */
function visibleMetadata(req: Req, v: VApp): VApp {
  return req.session?.provider ? v : { ...v, metadata: v.metadata.filter((m) => m.visibility !== "PRIVATE") };
}

function metadataKeyParams(req: Req): { key: string; domain: MetadataDomain } {
  const system = req.params[1] === "SYSTEM/";
  return { key: decodeURIComponent(req.params[2]), domain: system ? "SYSTEM" : "GENERAL" };
}

export function getMetadataValue(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  const { key, domain } = metadataKeyParams(req);
  const m = findMetadata(visibleMetadata(req, v), key, domain);
  if (!m) throw forbidden(`metadata entry ${key}`);
  return xmlReply(200, MEDIA.metadataValue, req.render.metadataValue(v, m));
}

export function mergeMetadata(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  requireContentType(req, MEDIA.metadata);
  const root = readBody(req.body, "Metadata");
  const items = kids(root, "MetadataEntry").map((e) => {
    const key = kidText(e, "Key") ?? "";
    if (!key) throw badRequest("Bad request: a MetadataEntry needs a non-empty Key.");
    return metadataItem(req, e, key);
  });
  for (const m of items) assertWritable(req, findMetadata(v, m.key, m.domain));
  assertNotBusy(sim, v);
  return accepted(
    req,
    startTask(sim, req, v, "metadataUpdate", "Updating metadata of Virtual Application", () =>
      items.forEach((m) => upsert(v, m)),
    ),
  );
}

export function putMetadataValue(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  requireContentType(req, MEDIA.metadataValue);
  const { key, domain } = metadataKeyParams(req);
  const root = readBody(req.body, "MetadataValue");
  const m = metadataItem(req, root, key, domain);
  assertWritable(req, findMetadata(v, key, domain));
  assertNotBusy(sim, v);
  return accepted(
    req,
    startTask(sim, req, v, "metadataUpdate", "Updating metadata of Virtual Application", () => upsert(v, m)),
  );
}

export function deleteMetadataValue(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  const { key, domain } = metadataKeyParams(req);
  const existing = findMetadata(v, key, domain);
  if (!existing) throw forbidden(`metadata entry ${key}`);
  assertWritable(req, existing);
  if (domain === "SYSTEM" && !req.session?.provider) throw forbidden(`metadata entry ${key}`);
  assertNotBusy(sim, v);
  return accepted(
    req,
    startTask(sim, req, v, "metadataDelete", "Deleting metadata of Virtual Application", () => {
      v.metadata = v.metadata.filter((m) => !(m.key === key && m.domain === domain));
    }),
  );
}

// --- delete ---

export function deleteVApp(sim: Sim, req: Req): Reply {
  const v = vappFor(sim, req, req.params[0]);
  const force = req.query.get("force") === "true";
  if (v.deployed && !force) {
    throw badRequest(`The requested operation could not be executed on vApp "${v.name}". Stop the vApp and try again.`);
  }
  assertNotBusy(sim, v);
  return accepted(
    req,
    startTask(sim, req, v, "vdcDeleteVapp", "Deleting Virtual Application", () => {
      sim.state.vapps.delete(v.id);
      sim.state.deletedVApps.add(v.id);
    }),
  );
}
