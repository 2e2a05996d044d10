// Response rendering. Each function emits one vCD type with its children in schema order (the order real servers
// emit, which strict clients depend on); attribute order follows recorded responses.
import { escapeXml, tag, textTag } from "../../sdk/xml";
import { OVF_NS, XSI_NS } from "./body";
import { VCLOUD_NS } from "./errors";
import { Catalog, CatalogItem, MetadataItem, Org, Session, SimState, Template, User, VApp, Vdc } from "./state";
import { SimTask } from "./tasks";

export const VERSIONS_NS = "http://www.vmware.com/vcloud/versions";

export const MT = {
  vApp: "application/vnd.vmware.vcloud.vApp+xml",
  vdc: "application/vnd.vmware.vcloud.vdc+xml",
  org: "application/vnd.vmware.vcloud.org+xml",
  orgList: "application/vnd.vmware.vcloud.orgList+xml",
  catalog: "application/vnd.vmware.vcloud.catalog+xml",
  catalogItem: "application/vnd.vmware.vcloud.catalogItem+xml",
  vAppTemplate: "application/vnd.vmware.vcloud.vAppTemplate+xml",
  task: "application/vnd.vmware.vcloud.task+xml",
  owner: "application/vnd.vmware.vcloud.owner+xml",
  lease: "application/vnd.vmware.vcloud.leaseSettingsSection+xml",
  metadata: "application/vnd.vmware.vcloud.metadata+xml",
  metadataValue: "application/vnd.vmware.vcloud.metadata.value+xml",
  session: "application/vnd.vmware.vcloud.session+xml",
  user: "application/vnd.vmware.admin.user+xml",
  adminOrg: "application/vnd.vmware.admin.organization+xml",
  records: "application/vnd.vmware.vcloud.query.records+xml",
  error: "application/vnd.vmware.vcloud.error+xml",
  compose: "application/vnd.vmware.vcloud.composeVAppParams+xml",
  instantiate: "application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml",
  deploy: "application/vnd.vmware.vcloud.deployVAppParams+xml",
  undeploy: "application/vnd.vmware.vcloud.undeployVAppParams+xml",
  network: "application/vnd.vmware.vcloud.network+xml",
  vAppNetwork: "application/vnd.vmware.vcloud.vAppNetwork+xml",
  networkConfigSection: "application/vnd.vmware.vcloud.networkConfigSection+xml",
  startupSection: "application/vnd.vmware.vcloud.startupSection+xml",
  networkSection: "application/vnd.vmware.vcloud.networkSection+xml",
  controlAccess: "application/vnd.vmware.vcloud.controlAccess+xml",
  productSections: "application/vnd.vmware.vcloud.productSections+xml",
  recompose: "application/vnd.vmware.vcloud.recomposeVAppParams+xml",
  snapshot: "application/vnd.vmware.vcloud.createSnapshotParams+xml",
  envelope: "text/xml",
  vm: "application/vnd.vmware.vcloud.vm+xml",
  versions: "application/vnd.vmware.vcloud.versions+xml",
  queryList: "application/vnd.vmware.vcloud.query.queryList+xml",
  entity: "application/vnd.vmware.vcloud.entity+xml",
} as const;

const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const rootNs = { xmlns: VCLOUD_NS, "xmlns:ovf": OVF_NS, "xmlns:xsi": XSI_NS };

export const STATUS_NAMES: Record<number, string> = {
  [-1]: "FAILED_CREATION", 0: "UNRESOLVED", 1: "RESOLVED", 2: "DEPLOYED", 3: "SUSPENDED", 4: "POWERED_ON",
  5: "WAITING_FOR_INPUT", 6: "UNKNOWN", 7: "UNRECOGNIZED", 8: "POWERED_OFF", 9: "INCONSISTENT_STATE", 10: "MIXED",
  11: "DESCRIPTOR_PENDING", 12: "COPYING_CONTENTS", 13: "DISK_CONTENTS_PENDING", 14: "QUARANTINED",
  15: "QUARANTINE_EXPIRED", 16: "REJECTED", 17: "TRANSFER_TIMEOUT", 18: "VAPP_UNDEPLOYED",
  19: "VAPP_PARTIALLY_DEPLOYED", 20: "PARTIALLY_POWERED_OFF", 21: "PARTIALLY_SUSPENDED",
};

/** vCD prints timestamps with milliseconds and an offset. */
export const ts = (d: Date) => d.toISOString().replace("Z", "+00:00");

const link = (rel: string, href: string, type?: string, name?: string) => tag("Link", { rel, href, name, type });

/** Renders entities for one request: hrefs use the address the client called. */
export class Renderer {
  constructor(
    readonly base: string,
    private readonly state: SimState,
  ) {}

  // --- hrefs ---
  orgHref = (o: Org) => `${this.base}/api/org/${o.id}`;
  vdcHref = (v: Vdc) => `${this.base}/api/vdc/${v.id}`;
  catalogHref = (c: Catalog) => `${this.base}/api/catalog/${c.id}`;
  catalogItemHref = (i: CatalogItem) => `${this.base}/api/catalogItem/${i.id}`;
  templateHref = (t: Template) => `${this.base}/api/vAppTemplate/vappTemplate-${t.id}`;
  vappHref = (v: { id: string }) => `${this.base}/api/vApp/vapp-${v.id}`;
  taskHref = (t: SimTask) => `${this.base}/api/task/${t.id}`;
  userHref = (u: User) => `${this.base}/api/admin/user/${u.id}`;
  networkHref = (n: { id: string }) => `${this.base}/api/network/${n.id}`;

  versions(cloudapi: boolean): string {
    const infos = this.state.versions.map((v) => {
      const major = Number(v.version.split(".")[0]);
      const modern = cloudapi && major >= 36;
      return tag(
        "VersionInfo",
        { deprecated: v.deprecated },
        textTag("Version", v.version),
        textTag("LoginUrl", modern ? `${this.base}/cloudapi/1.0.0/sessions` : `${this.base}/api/sessions`),
        modern ? textTag("ProviderLoginUrl", `${this.base}/cloudapi/1.0.0/sessions/provider`) : undefined,
      );
    });
    return XML_DECL + tag("SupportedVersions", { xmlns: VERSIONS_NS, "xmlns:xsi": XSI_NS }, ...infos);
  }

  session(s: Session): string {
    const user = this.state.users.get(s.userId)!;
    const org = this.state.orgs.get(s.orgId)!;
    const b = this.base;
    return XML_DECL + tag(
      "Session",
      { xmlns: VCLOUD_NS, org: org.name, user: user.name, userId: `urn:vcloud:user:${user.id}`, roles: user.role, locationId: `${org.name}@simulator`, href: `${b}/api/session/`, type: MT.session },
      link("down", `${b}/api/org/`, MT.orgList),
      link("remove", `${b}/api/session`),
      s.provider ? link("down", `${b}/api/admin/`, "application/vnd.vmware.admin.vcloud+xml") : undefined,
      s.provider ? undefined : link("down", this.orgHref(org), MT.org, org.name),
      link("down", `${b}/api/query`, MT.queryList),
      link("entityResolver", `${b}/api/entity/`, MT.entity),
    );
  }

  orgList(orgs: Org[]): string {
    return XML_DECL + tag("OrgList", { xmlns: VCLOUD_NS, href: `${this.base}/api/org/`, type: MT.orgList },
      ...orgs.map((o) => tag("Org", { href: this.orgHref(o), name: o.name, type: MT.org })));
  }

  org(o: Org): string {
    const vdcs = [...this.state.vdcs.values()].filter((v) => v.orgId === o.id);
    const cats = [...this.state.catalogs.values()].filter((c) => c.orgId === o.id);
    return XML_DECL + tag("Org", { xmlns: VCLOUD_NS, name: o.name, id: `urn:vcloud:org:${o.id}`, href: this.orgHref(o), type: MT.org },
      ...vdcs.map((v) => link("down", this.vdcHref(v), MT.vdc, v.name)),
      ...cats.map((c) => link("down", this.catalogHref(c), MT.catalog, c.name)),
      link("down", `${this.base}/api/tasksList/${o.id}`, "application/vnd.vmware.vcloud.tasksList+xml"),
      link("down", `${this.orgHref(o)}/metadata`, MT.metadata),
      textTag("Description", ""),
      textTag("FullName", o.fullName),
    );
  }

  vdc(v: Vdc): string {
    const href = this.vdcHref(v);
    const org = this.state.orgs.get(v.orgId)!;
    const vapps = [...this.state.vapps.values()].filter((a) => a.vdcId === v.id);
    const tpls = [...this.state.templates.values()].filter((t) => t.vdcId === v.id);
    const nets = [...this.state.networks.values()].filter((n) => n.vdcId === v.id);
    return XML_DECL + tag("Vdc", { xmlns: VCLOUD_NS, status: 1, name: v.name, id: `urn:vcloud:vdc:${v.id}`, href, type: MT.vdc },
      link("up", this.orgHref(org), MT.org),
      link("down", `${href}/metadata`, MT.metadata),
      link("add", `${href}/action/uploadVAppTemplate`, "application/vnd.vmware.vcloud.uploadVAppTemplateParams+xml"),
      link("add", `${href}/action/instantiateVAppTemplate`, MT.instantiate),
      link("add", `${href}/action/cloneVApp`, "application/vnd.vmware.vcloud.cloneVAppParams+xml"),
      link("add", `${href}/action/composeVApp`, MT.compose),
      textTag("Description", v.description || undefined),
      textTag("AllocationModel", "AllocationVApp"),
      tag("ResourceEntities", {},
        ...vapps.map((a) => tag("ResourceEntity", { href: this.vappHref(a), name: a.name, type: MT.vApp })),
        ...tpls.map((t) => tag("ResourceEntity", { href: this.templateHref(t), name: t.name, type: MT.vAppTemplate }))),
      tag("AvailableNetworks", {}, ...nets.map((n) => tag("Network", { href: this.networkHref(n), name: n.name, type: MT.network }))),
      textTag("NicQuota", 0),
      textTag("NetworkQuota", 20),
      textTag("UsedNetworkCount", nets.length),
      textTag("VmQuota", 0),
      textTag("IsEnabled", true),
    );
  }

  catalog(c: Catalog): string {
    const href = this.catalogHref(c);
    const org = this.state.orgs.get(c.orgId)!;
    const items = [...this.state.catalogItems.values()].filter((i) => i.catalogId === c.id);
    return XML_DECL + tag("Catalog", { xmlns: VCLOUD_NS, name: c.name, id: `urn:vcloud:catalog:${c.id}`, href, type: MT.catalog },
      link("up", this.orgHref(org), MT.org),
      link("down", `${href}/metadata`, MT.metadata),
      textTag("Description", c.description || undefined),
      tag("CatalogItems", {}, ...items.map((i) => tag("CatalogItem", { href: this.catalogItemHref(i), id: i.id, name: i.name, type: MT.catalogItem }))),
      textTag("IsPublished", false),
      textTag("VersionNumber", 1),
    );
  }

  catalogItem(i: CatalogItem): string {
    const cat = this.state.catalogs.get(i.catalogId)!;
    const tpl = this.state.templates.get(i.templateId)!;
    const href = this.catalogItemHref(i);
    return XML_DECL + tag("CatalogItem", { xmlns: VCLOUD_NS, size: 0, name: i.name, id: `urn:vcloud:catalogitem:${i.id}`, href, type: MT.catalogItem },
      link("up", this.catalogHref(cat), MT.catalog),
      link("down", `${href}/metadata`, MT.metadata),
      textTag("Description", tpl.description || undefined),
      tag("Entity", { href: this.templateHref(tpl), name: tpl.name, type: MT.vAppTemplate }),
      textTag("VersionNumber", 1),
    );
  }

  template(t: Template): string {
    const href = this.templateHref(t);
    const vdc = this.state.vdcs.get(t.vdcId)!;
    const item = [...this.state.catalogItems.values()].find((i) => i.templateId === t.id);
    const vms = Array.from({ length: t.vmCount }, (_, n) =>
      tag("Vm", { goldMaster: false, status: 8, name: `${t.name}-vm${n + 1}`, id: `urn:vcloud:vm:${t.id.slice(0, 24)}${String(n).padStart(12, "0")}`, type: MT.vm }));
    return XML_DECL + tag("VAppTemplate", { ...rootNs, goldMaster: false, ovfDescriptorUploaded: true, status: 8, name: t.name, id: `urn:vcloud:vapptemplate:${t.id}`, href, type: MT.vAppTemplate },
      link("up", this.vdcHref(vdc), MT.vdc),
      item ? link("up", this.catalogItemHref(item), MT.catalogItem) : undefined,
      link("down", `${href}/metadata`, MT.metadata),
      link("down", `${href}/owner`, MT.owner),
      link("ovf", `${href}/ovf`, MT.envelope),
      textTag("Description", t.description || undefined),
      tag("Children", {}, ...vms),
      t.eula ? tag("ovf:EulaSection", {}, textTag("ovf:Info", "License agreement"), textTag("ovf:License", t.eula)) : undefined,
      tag("LeaseSettingsSection", { href: `${href}/leaseSettingsSection/`, type: MT.lease, "ovf:required": false },
        textTag("ovf:Info", "Lease settings section"), textTag("StorageLeaseInSeconds", 0)),
    );
  }

  /** The admin view of an org, reduced to what clients read: its Users list (UserReference per user) and VDCs. */
  adminOrg(o: Org): string {
    const href = `${this.base}/api/admin/org/${o.id}`;
    const users = [...this.state.users.values()].filter((u) => u.orgId === o.id);
    const vdcs = [...this.state.vdcs.values()].filter((v) => v.orgId === o.id);
    return XML_DECL + tag("AdminOrg", { xmlns: VCLOUD_NS, name: o.name, id: `urn:vcloud:org:${o.id}`, href, type: MT.adminOrg },
      link("alternate", this.orgHref(o), MT.org),
      textTag("Description", ""),
      textTag("FullName", o.fullName),
      textTag("IsEnabled", true),
      tag("Users", {}, ...users.map((u) => tag("UserReference", { href: this.userHref(u), name: u.name, type: MT.user }))),
      tag("Vdcs", {}, ...vdcs.map((v) => tag("Vdc", { href: `${this.base}/api/admin/vdc/${v.id}`, name: v.name, type: "application/vnd.vmware.admin.vdc+xml" }))),
    );
  }

  user(u: User): string {
    const org = this.state.orgs.get(u.orgId)!;
    return XML_DECL + tag("User", { xmlns: VCLOUD_NS, name: u.name, id: `urn:vcloud:user:${u.id}`, href: this.userHref(u), type: MT.user },
      link("up", `${this.base}/api/admin/org/${org.id}`, "application/vnd.vmware.admin.organization+xml"),
      textTag("FullName", u.fullName),
      textTag("IsEnabled", true),
      tag("Role", { name: u.role, type: "application/vnd.vmware.admin.role+xml" }),
    );
  }

  // --- vApp ---

  /** A vApp is expired when its storage lease ran out: real vCD then offers only up, edit, remove and network links. */
  isExpired(v: VApp): boolean {
    return !!v.storageExpiration && v.storageExpiration.getTime() < this.state.now().getTime();
  }

  private vappLinks(v: VApp): string[] {
    const href = this.vappHref(v);
    const vdc = this.state.vdcs.get(v.vdcId)!;
    const up = link("up", this.vdcHref(vdc), MT.vdc);
    const netLinks = v.networks.map((n) => link("down", this.networkHref(n), MT.vAppNetwork, n.networkName));
    if (v.status === 0 || v.status === -1) {
      return [up, link("down", `${href}/owner`, MT.owner), link("down", `${href}/metadata`, MT.metadata), ...(v.status === -1 ? [link("remove", href)] : [])];
    }
    if (this.isExpired(v)) return [...netLinks, up, link("edit", href, MT.vApp), link("remove", href)];
    const power: string[] = [];
    if (v.vmCount > 0) {
      if (v.status === 4) {
        for (const a of ["powerOff", "reboot", "reset", "shutdown", "suspend"]) power.push(link(`power:${a}`, `${href}/power/action/${a}`));
        power.push(link("undeploy", `${href}/action/undeploy`, MT.undeploy));
      } else if (v.status === 3) {
        power.push(link("power:powerOn", `${href}/power/action/powerOn`), link("discardState", `${href}/action/discardSuspendedState`));
        if (v.deployed) power.push(link("undeploy", `${href}/action/undeploy`, MT.undeploy));
      } else {
        power.push(link("power:powerOn", `${href}/power/action/powerOn`));
        power.push(v.deployed ? link("undeploy", `${href}/action/undeploy`, MT.undeploy) : link("deploy", `${href}/action/deploy`, MT.deploy));
      }
    }
    return [
      ...power,
      ...netLinks,
      link("down", `${href}/controlAccess/`, MT.controlAccess),
      link("controlAccess", `${href}/action/controlAccess`, MT.controlAccess),
      link("recompose", `${href}/action/recomposeVApp`, MT.recompose),
      up,
      link("edit", href, MT.vApp),
      link("remove", href),
      link("down", `${href}/owner`, MT.owner),
      link("down", `${href}/metadata`, MT.metadata),
      link("ovf", `${href}/ovf`, MT.envelope),
      link("down", `${href}/productSections/`, MT.productSections),
      ...(v.vmCount > 0 ? [link("snapshot:create", `${href}/action/createSnapshot`, MT.snapshot), link("snapshot:removeAll", `${href}/action/removeAllSnapshots`)] : []),
    ];
  }

  lease(v: VApp, root: boolean): string {
    const href = `${this.vappHref(v)}/leaseSettingsSection/`;
    const body = tag("LeaseSettingsSection", { ...(root ? rootNs : {}), href, type: MT.lease, "ovf:required": false },
      textTag("ovf:Info", "Lease settings section"),
      link("edit", href, MT.lease),
      textTag("DeploymentLeaseInSeconds", v.deploymentLeaseSeconds),
      textTag("StorageLeaseInSeconds", v.storageLeaseSeconds),
      v.deployed && v.deploymentExpiration ? textTag("DeploymentLeaseExpiration", ts(v.deploymentExpiration)) : undefined,
      v.storageExpiration ? textTag("StorageLeaseExpiration", ts(v.storageExpiration)) : undefined,
    );
    return root ? XML_DECL + body : body;
  }

  owner(v: VApp, root: boolean): string {
    const u = this.state.users.get(v.ownerId);
    const body = tag("Owner", { ...(root ? { xmlns: VCLOUD_NS, href: `${this.vappHref(v)}/owner` } : {}), type: MT.owner },
      root ? link("edit", `${this.vappHref(v)}/owner`, MT.owner) : undefined,
      u ? tag("User", { href: this.userHref(u), name: u.name, type: MT.user }) : undefined,
    );
    return root ? XML_DECL + body : body;
  }

  private networkConfigSection(v: VApp): string {
    const href = `${this.vappHref(v)}/networkConfigSection/`;
    return tag("NetworkConfigSection", { href, type: MT.networkConfigSection, "ovf:required": false },
      textTag("ovf:Info", "The configuration parameters for logical networks"),
      link("edit", href, MT.networkConfigSection),
      ...v.networks.map((n) => {
        const parent = n.parentNetworkId ? this.state.networks.get(n.parentNetworkId) : undefined;
        return tag("NetworkConfig", { networkName: n.networkName },
          link("repair", `${this.networkHref(n)}/action/reset`),
          textTag("Description", ""),
          tag("Configuration", {},
            parent ? tag("ParentNetwork", { href: this.networkHref(parent), id: parent.id, name: parent.name }) : undefined,
            textTag("FenceMode", n.fenceMode),
            textTag("RetainNetInfoAcrossDeployments", false)),
          textTag("IsDeployed", v.deployed));
      }),
    );
  }

  vapp(v: VApp, tasks: SimTask[]): string {
    const href = this.vappHref(v);
    const creating = v.status === 0 || v.status === -1;
    const withVms = v.vmCount > 0 && !creating;
    return XML_DECL + tag("VApp", { ...rootNs, ovfDescriptorUploaded: true, deployed: v.deployed, status: v.status, name: v.name, id: `urn:vcloud:vapp:${v.id}`, href, type: MT.vApp },
      ...this.vappLinks(v),
      textTag("Description", v.description || undefined),
      // Embedded tasks carry no cancel link, as in the recorded create response.
      tasks.length ? tag("Tasks", {}, ...tasks.map((t) => this.taskBody(t, false, false))) : undefined,
      creating ? undefined : this.lease(v, false),
      withVms ? tag("ovf:StartupSection", { href: `${href}/startupSection/`, type: MT.startupSection, "ovf:required": false },
        textTag("ovf:Info", "VApp startup section"),
        ...this.vmNames(v).map((n, i) => tag("ovf:Item", { "ovf:id": n, "ovf:order": i, "ovf:startAction": "powerOn", "ovf:startDelay": 0, "ovf:stopAction": "powerOff", "ovf:stopDelay": 0 })),
        link("edit", `${href}/startupSection/`, MT.startupSection)) : undefined,
      !creating && v.networks.length ? tag("ovf:NetworkSection", { href: `${href}/networkSection/`, type: MT.networkSection, "ovf:required": false },
        textTag("ovf:Info", "The list of logical networks"),
        ...v.networks.map((n) => tag("ovf:Network", { "ovf:name": n.networkName }, textTag("ovf:Description", "")))) : undefined,
      creating ? undefined : this.networkConfigSection(v),
      textTag("DateCreated", ts(v.created)),
      this.owner(v, false),
      textTag("InMaintenanceMode", false),
      withVms ? tag("Children", {}, ...this.vmNames(v).map((n, i) => tag("Vm", {
        needsCustomization: false, deployed: v.deployed, status: v.status === 4 ? 4 : 8, name: n,
        id: `urn:vcloud:vm:${v.id.slice(0, 24)}${String(i).padStart(12, "0")}`,
        href: `${this.base}/api/vApp/vm-${v.id.slice(0, 24)}${String(i).padStart(12, "0")}`, type: MT.vm,
      }))) : undefined,
    );
  }

  private vmNames(v: VApp): string[] {
    return Array.from({ length: v.vmCount }, (_, i) => `${v.name}-vm${i + 1}`);
  }

  // --- metadata ---

  private metadataTypedValue(m: MetadataItem): string {
    return tag("TypedValue", { "xsi:type": m.type }, textTag("Value", m.value));
  }

  private domain(m: MetadataItem): string {
    return tag("Domain", { visibility: m.visibility }, escapeXml(m.domain));
  }

  metadata(v: VApp): string {
    const href = `${this.vappHref(v)}/metadata`;
    return XML_DECL + tag("Metadata", { xmlns: VCLOUD_NS, "xmlns:xsi": XSI_NS, href, type: MT.metadata },
      link("add", href, MT.metadata),
      link("up", this.vappHref(v), MT.vApp),
      ...v.metadata.map((m) => {
        const eh = `${href}/${m.domain === "SYSTEM" ? "SYSTEM/" : ""}${encodeURIComponent(m.key)}`;
        return tag("MetadataEntry", { href: eh, type: "application/vnd.vmware.vcloud.metadata.value+xml" },
          link("up", href, MT.metadata),
          ...(m.visibility === "READWRITE" ? [link("edit", eh, MT.metadataValue), link("remove", eh)] : []),
          this.domain(m), textTag("Key", m.key), this.metadataTypedValue(m));
      }),
    );
  }

  metadataValue(v: VApp, m: MetadataItem): string {
    const href = `${this.vappHref(v)}/metadata/${m.domain === "SYSTEM" ? "SYSTEM/" : ""}${encodeURIComponent(m.key)}`;
    return XML_DECL + tag("MetadataValue", { xmlns: VCLOUD_NS, "xmlns:xsi": XSI_NS, href, type: MT.metadataValue },
      link("up", `${this.vappHref(v)}/metadata`, MT.metadata),
      ...(m.visibility === "READWRITE" ? [link("edit", href, MT.metadataValue), link("remove", href)] : []),
      this.domain(m), this.metadataTypedValue(m));
  }

  // --- tasks ---

  taskBody(t: SimTask, root: boolean, links = true): string {
    const user = this.state.users.get(t.userId);
    const org = this.state.orgs.get(t.orgId);
    const running = t.status === "queued" || t.status === "running";
    return tag("Task", {
      ...(root ? { xmlns: VCLOUD_NS } : {}),
      cancelRequested: t.cancelRequested,
      endTime: t.endTime ? ts(t.endTime) : undefined,
      expiryTime: ts(t.expiryTime),
      operation: t.operation,
      operationName: t.operationName,
      serviceNamespace: "com.vmware.vcloud",
      startTime: ts(t.startTime),
      status: t.status,
      name: "task",
      id: `urn:vcloud:task:${t.id}`,
      href: this.taskHref(t),
      type: MT.task,
    },
      running && links ? link("task:cancel", `${this.taskHref(t)}/action/cancel`) : undefined,
      tag("Owner", { href: this.vappHref(t.owner), name: t.owner.name, type: MT.vApp }),
      t.error ? tag("Error", { majorErrorCode: t.error.status, message: t.error.message, minorErrorCode: t.error.minorErrorCode }) : undefined,
      user ? tag("User", { href: this.userHref(user), name: user.name, type: MT.user }) : undefined,
      org ? tag("Organization", { href: this.orgHref(org), name: org.name, type: MT.org }) : undefined,
      textTag("Progress", this.progress(t)),
      tag("Details", {}, t.error ? escapeXml(t.error.message) : undefined),
    );
  }

  /** Set by the server so rendering does not need the task engine. */
  progress: (t: SimTask) => number = () => 0;

  task(t: SimTask): string {
    return XML_DECL + this.taskBody(t, true);
  }

  // --- query ---

  queryRecords(type: string, records: Array<Record<string, string | number | boolean | undefined>>, page: number, pageSize: number, total: number, queryHref: (page: number) => string): string {
    const recordName = RECORD_NAMES[type];
    const last = Math.max(1, Math.ceil(total / pageSize));
    return XML_DECL + tag("QueryResultRecords", { xmlns: VCLOUD_NS, "xmlns:xsi": XSI_NS, total, pageSize, page, name: type, href: queryHref(page), type: MT.records },
      page > 1 ? link("firstPage", queryHref(1), MT.records) : undefined,
      page > 1 ? link("previousPage", queryHref(page - 1), MT.records) : undefined,
      page < last ? link("nextPage", queryHref(page + 1), MT.records) : undefined,
      page < last ? link("lastPage", queryHref(last), MT.records) : undefined,
      ...records.map((r) => tag(recordName, r)),
    );
  }
}

export const RECORD_NAMES: Record<string, string> = {
  organization: "OrgRecord",
  orgVdc: "OrgVdcRecord",
  vApp: "VAppRecord",
  vAppTemplate: "VAppTemplateRecord",
  catalog: "CatalogRecord",
  catalogItem: "CatalogItemRecord",
  task: "TaskRecord",
  user: "UserRecord",
  adminUser: "AdminUserRecord",
};
