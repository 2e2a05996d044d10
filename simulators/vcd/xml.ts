// Response rendering. Each function emits one vCD type with its children in schema order (the order real servers
// emit, which strict clients depend on); attribute order follows recorded responses.
import { escapeXml, tag, textTag } from "../../sdk/xml";
import {
  COMMON_NS,
  MEDIA,
  OVF_NS,
  OVFENV_NS,
  QUERY_RECORDS,
  QueryType,
  RASD_NS,
  VAppStatus,
  VCLOUD_NS,
  VERSIONS_NS,
  VMEXT_NS,
  VMW_NS,
  VSSD_NS,
  XSI_NS,
} from "../../sdk/vcd/wire";
import { Catalog, CatalogItem, MetadataItem, Org, Session, SimState, Template, User, VApp, Vdc } from "./state";
import { SimTask } from "./tasks";

const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/**
 * The namespaces vCD 10.x declares on every /api root element, in its order: recorded from a 10.4 server
 * (go-vcloud-director test-resources/golden/TestSamlAdfsAuthenticate_RESP_api_sessions.golden and _api_org.golden).
 * The 9.0 recordings also declare the networkservice namespaces (ns9..ns11) and put versions at ns12.
 */
const rootNs = {
  xmlns: VCLOUD_NS,
  "xmlns:ovf": OVF_NS,
  "xmlns:vssd": VSSD_NS,
  "xmlns:common": COMMON_NS,
  "xmlns:rasd": RASD_NS,
  "xmlns:vmw": VMW_NS,
  "xmlns:ovfenv": OVFENV_NS,
  "xmlns:vmext": VMEXT_NS,
  "xmlns:ns9": VERSIONS_NS,
};
/** Roots whose children use xsi:type declare xsi too (inferred: the recordings declare it where it is used). */
const rootNsXsi = { ...rootNs, "xmlns:xsi": XSI_NS };

/** OVF sections carry the vCloud `type`/`href` as namespaced attributes (recorded: ns13:type, ns13:href). */
const ovfSectionAttrs = (href: string, type: string) => ({
  "xmlns:vcloud": VCLOUD_NS,
  "vcloud:type": type,
  "vcloud:href": href,
});

/** The site half of a session's locationId (`<org uuid>@<site uuid>` on a 10.4 server). */
const SITE_ID = "5e1a7c2d-0000-4000-8000-000000000001";

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
    return XML_DECL + tag("SupportedVersions", { xmlns: VERSIONS_NS }, ...infos);
  }

  /**
   * Attribute order, links and AuthorizedLocations as a 10.4 server writes them (go-vcloud-director golden
   * TestSamlAdfsAuthenticate_RESP_api_sessions.golden); the /api/admin/ link is there for an organization
   * administrator (recorded in both captures) and the provider (inferred).
   */
  session(s: Session): string {
    const user = this.state.users.get(s.userId)!;
    const org = this.state.orgs.get(s.orgId)!;
    const b = this.base;
    const locationId = `${org.id}@${SITE_ID}`;
    const admin = s.provider || user.role === "Organization Administrator";
    return (
      XML_DECL +
      tag(
        "Session",
        {
          ...rootNs,
          locationId,
          org: org.name,
          roles: user.role,
          user: user.name,
          userId: `urn:vcloud:user:${user.id}`,
          href: `${b}/api/session`,
          type: MEDIA.session,
        },
        link("down", `${b}/api/org/`, MEDIA.orgList),
        link("remove", `${b}/api/session`),
        admin ? link("down", `${b}/api/admin/`, MEDIA.adminVcloud) : undefined,
        s.provider ? undefined : link("down", this.orgHref(org), MEDIA.org, org.name),
        link("down", `${b}/api/query`, MEDIA.queryList),
        link("entityResolver", `${b}/api/entity/`, MEDIA.entity),
        link("down:extensibility", `${b}/api/extensibility`, MEDIA.apiExtensibility),
        link("nsx", `${b}/network`, "application/xml"),
        link("openapi", `${b}/cloudapi`, "application/json"),
        tag(
          "AuthorizedLocations",
          {},
          tag(
            "Location",
            {},
            textTag("LocationId", locationId),
            textTag("SiteName", new URL(b).host),
            textTag("OrgName", org.name),
            textTag("RestApiEndpoint", b),
            textTag("UIEndpoint", b),
            textTag("AuthContext", org.name),
          ),
        ),
      )
    );
  }

  orgList(orgs: Org[]): string {
    return (
      XML_DECL +
      tag(
        "OrgList",
        { ...rootNs, href: `${this.base}/api/org/`, type: MEDIA.orgList },
        ...orgs.map((o) => tag("Org", { href: this.orgHref(o), name: o.name, type: MEDIA.org })),
      )
    );
  }

  org(o: Org): string {
    const vdcs = [...this.state.vdcs.values()].filter((v) => v.orgId === o.id);
    const cats = [...this.state.catalogs.values()].filter((c) => c.orgId === o.id);
    return (
      XML_DECL +
      tag(
        "Org",
        { ...rootNs, name: o.name, id: `urn:vcloud:org:${o.id}`, href: this.orgHref(o), type: MEDIA.org },
        ...vdcs.map((v) => link("down", this.vdcHref(v), MEDIA.vdc, v.name)),
        ...cats.map((c) => link("down", this.catalogHref(c), MEDIA.catalog, c.name)),
        link("down", `${this.base}/api/tasksList/${o.id}`, MEDIA.tasksList),
        link("down", `${this.orgHref(o)}/metadata`, MEDIA.metadata),
        textTag("Description", ""),
        textTag("FullName", o.fullName),
      )
    );
  }

  /** Links, children and their order as recorded from a 9.0 VDC (fog-vcloud-director get_vdc.yml); capacities are fixed. */
  vdc(v: Vdc): string {
    const href = this.vdcHref(v);
    const admin = `${this.base}/api/admin/vdc/${v.id}`;
    const org = this.state.orgs.get(v.orgId)!;
    const vapps = [...this.state.vapps.values()].filter((a) => a.vdcId === v.id);
    const tpls = [...this.state.templates.values()].filter((t) => t.vdcId === v.id);
    const nets = [...this.state.networks.values()].filter((n) => n.vdcId === v.id);
    const capacity = (units: string, n: number) => [
      textTag("Units", units),
      textTag("Allocated", n),
      textTag("Limit", n),
      textTag("Reserved", 0),
      textTag("Used", 0),
      textTag("Overhead", 0),
    ];
    const add = (action: string, type: string) => link("add", `${href}/action/${action}`, type);
    return (
      XML_DECL +
      tag(
        "Vdc",
        { ...rootNs, status: 1, name: v.name, id: `urn:vcloud:vdc:${v.id}`, href, type: MEDIA.vdc },
        link("up", this.orgHref(org), MEDIA.org),
        link("down", `${href}/metadata`, MEDIA.metadata),
        link("edit", href, MEDIA.vdc),
        add("uploadVAppTemplate", MEDIA.uploadVAppTemplate),
        link("add", `${href}/media`, MEDIA.media),
        add("instantiateOvf", MEDIA.instantiateOvf),
        add("instantiateVAppTemplate", MEDIA.instantiate),
        add("cloneVApp", MEDIA.cloneVApp),
        add("cloneVAppTemplate", MEDIA.cloneVAppTemplate),
        add("cloneMedia", MEDIA.cloneMedia),
        add("captureVApp", MEDIA.captureVApp),
        add("composeVApp", MEDIA.compose),
        link("add", `${href}/disk`, MEDIA.disk),
        link("edgeGateways", `${admin}/edgeGateways`, MEDIA.records),
        link("add", `${admin}/networks`, MEDIA.orgVdcNetwork),
        link("orgVdcNetworks", `${admin}/networks`, MEDIA.records),
        link("alternate", admin, MEDIA.adminVdc),
        textTag("Description", v.description || undefined),
        textTag("AllocationModel", "AllocationVApp"),
        tag("ComputeCapacity", {}, tag("Cpu", {}, ...capacity("MHz", 0)), tag("Memory", {}, ...capacity("MB", 0))),
        tag(
          "ResourceEntities",
          {},
          ...tpls.map((t) =>
            tag("ResourceEntity", { href: this.templateHref(t), name: t.name, type: MEDIA.vAppTemplate }),
          ),
          ...vapps.map((a) => tag("ResourceEntity", { href: this.vappHref(a), name: a.name, type: MEDIA.vApp })),
        ),
        tag(
          "AvailableNetworks",
          {},
          ...nets.map((n) => tag("Network", { href: this.networkHref(n), name: n.name, type: MEDIA.network })),
        ),
        tag(
          "Capabilities",
          {},
          tag(
            "SupportedHardwareVersions",
            {},
            ...["vmx-14", "vmx-19", "vmx-21"].map((h) => textTag("SupportedHardwareVersion", h)),
          ),
        ),
        textTag("NicQuota", 0),
        textTag("NetworkQuota", 20),
        textTag("UsedNetworkCount", nets.length),
        textTag("VmQuota", 0),
        textTag("IsEnabled", true),
        tag(
          "VdcStorageProfiles",
          {},
          tag("VdcStorageProfile", {
            href: `${this.base}/api/vdcStorageProfile/${v.id}`,
            name: "*",
            type: MEDIA.vdcStorageProfile,
          }),
        ),
        textTag("VCpuInMhz2", 1000),
      )
    );
  }

  catalog(c: Catalog): string {
    const href = this.catalogHref(c);
    const org = this.state.orgs.get(c.orgId)!;
    const items = [...this.state.catalogItems.values()].filter((i) => i.catalogId === c.id);
    return (
      XML_DECL +
      tag(
        "Catalog",
        { ...rootNs, name: c.name, id: `urn:vcloud:catalog:${c.id}`, href, type: MEDIA.catalog },
        link("up", this.orgHref(org), MEDIA.org),
        link("down", `${href}/metadata`, MEDIA.metadata),
        textTag("Description", c.description || undefined),
        tag(
          "CatalogItems",
          {},
          ...items.map((i) =>
            tag("CatalogItem", { href: this.catalogItemHref(i), id: i.id, name: i.name, type: MEDIA.catalogItem }),
          ),
        ),
        textTag("IsPublished", false),
        textTag("VersionNumber", 1),
      )
    );
  }

  catalogItem(i: CatalogItem): string {
    const cat = this.state.catalogs.get(i.catalogId)!;
    const tpl = this.state.templates.get(i.templateId)!;
    const href = this.catalogItemHref(i);
    return (
      XML_DECL +
      tag(
        "CatalogItem",
        { ...rootNs, size: 0, name: i.name, id: `urn:vcloud:catalogitem:${i.id}`, href, type: MEDIA.catalogItem },
        link("up", this.catalogHref(cat), MEDIA.catalog),
        link("down", `${href}/metadata`, MEDIA.metadata),
        textTag("Description", tpl.description || undefined),
        tag("Entity", { href: this.templateHref(tpl), name: tpl.name, type: MEDIA.vAppTemplate }),
        textTag("VersionNumber", 1),
      )
    );
  }

  template(t: Template): string {
    const href = this.templateHref(t);
    const vdc = this.state.vdcs.get(t.vdcId)!;
    const item = [...this.state.catalogItems.values()].find((i) => i.templateId === t.id);
    const vms = Array.from({ length: t.vmCount }, (_, n) =>
      tag("Vm", {
        goldMaster: false,
        status: VAppStatus.POWERED_OFF,
        name: `${t.name}-vm${n + 1}`,
        id: `urn:vcloud:vm:${t.id.slice(0, 24)}${String(n).padStart(12, "0")}`,
        type: MEDIA.vm,
      }),
    );
    return (
      XML_DECL +
      tag(
        "VAppTemplate",
        {
          ...rootNs,
          goldMaster: false,
          ovfDescriptorUploaded: true,
          status: VAppStatus.POWERED_OFF,
          name: t.name,
          id: `urn:vcloud:vapptemplate:${t.id}`,
          href,
          type: MEDIA.vAppTemplate,
        },
        link("up", this.vdcHref(vdc), MEDIA.vdc),
        item ? link("up", this.catalogItemHref(item), MEDIA.catalogItem) : undefined,
        link("down", `${href}/metadata`, MEDIA.metadata),
        link("down", `${href}/owner`, MEDIA.owner),
        link("ovf", `${href}/ovf`, MEDIA.envelope),
        textTag("Description", t.description || undefined),
        tag("Children", {}, ...vms),
        t.eula
          ? tag("ovf:EulaSection", {}, textTag("ovf:Info", "License agreement"), textTag("ovf:License", t.eula))
          : undefined,
        tag(
          "LeaseSettingsSection",
          { href: `${href}/leaseSettingsSection/`, type: MEDIA.lease, "ovf:required": false },
          textTag("ovf:Info", "Lease settings section"),
          textTag("StorageLeaseInSeconds", 0),
        ),
      )
    );
  }

  /** The admin view of an org, reduced to what clients read: its Users list (UserReference per user) and VDCs. */
  adminOrg(o: Org): string {
    const href = `${this.base}/api/admin/org/${o.id}`;
    const users = [...this.state.users.values()].filter((u) => u.orgId === o.id);
    const vdcs = [...this.state.vdcs.values()].filter((v) => v.orgId === o.id);
    return (
      XML_DECL +
      tag(
        "AdminOrg",
        { ...rootNs, name: o.name, id: `urn:vcloud:org:${o.id}`, href, type: MEDIA.adminOrg },
        link("alternate", this.orgHref(o), MEDIA.org),
        textTag("Description", ""),
        textTag("FullName", o.fullName),
        textTag("IsEnabled", true),
        tag(
          "Users",
          {},
          ...users.map((u) => tag("UserReference", { href: this.userHref(u), name: u.name, type: MEDIA.user })),
        ),
        tag(
          "Vdcs",
          {},
          ...vdcs.map((v) =>
            tag("Vdc", { href: `${this.base}/api/admin/vdc/${v.id}`, name: v.name, type: MEDIA.adminVdc }),
          ),
        ),
      )
    );
  }

  user(u: User): string {
    const org = this.state.orgs.get(u.orgId)!;
    return (
      XML_DECL +
      tag(
        "User",
        { ...rootNs, name: u.name, id: `urn:vcloud:user:${u.id}`, href: this.userHref(u), type: MEDIA.user },
        link("up", `${this.base}/api/admin/org/${org.id}`, MEDIA.adminOrg),
        textTag("FullName", u.fullName),
        textTag("IsEnabled", true),
        tag("Role", { name: u.role, type: MEDIA.role }),
      )
    );
  }

  // --- vApp ---

  /** A vApp is expired when its storage lease ran out: real vCD then offers only up, edit, remove and network links. */
  isExpired(v: VApp): boolean {
    return !!v.storageExpiration && v.storageExpiration.getTime() < this.state.now().getTime();
  }

  /**
   * The links of a vApp by state: creating (status 0) as quoted in kube-nfv/RO test_vimconn_vmware_xml_response.py
   * `deployed_vapp_xml`; powered on as quoted in its `vapp_xml_response`; powered off and undeployed as recorded in
   * fog-vcloud-director get_vapp.yml; expired from get_vapps-expired.yml and get_vapps-novms.yml. Snapshot
   * revert/removeAll links come only with a snapshot, which the simulator never has. Suspended and deployed-but-off
   * sets are inferred.
   */
  private vappLinks(v: VApp): string[] {
    const href = this.vappHref(v);
    const vdc = this.state.vdcs.get(v.vdcId)!;
    const up = link("up", this.vdcHref(vdc), MEDIA.vdc);
    const remove = link("remove", href);
    const common = [
      link("down", `${href}/owner`, MEDIA.owner),
      link("down", `${href}/metadata`, MEDIA.metadata),
      link("ovf", `${href}/ovf`, MEDIA.envelope),
      link("down", `${href}/productSections/`, MEDIA.productSections),
    ];
    const controlAccess = link("down", `${href}/controlAccess/`, MEDIA.controlAccess);
    if (v.status === VAppStatus.UNRESOLVED || v.status === VAppStatus.FAILED_CREATION) {
      return [controlAccess, up, ...common, ...(v.status === VAppStatus.FAILED_CREATION ? [remove] : [])];
    }
    const netLinks = v.networks.map((n) => link("down", this.networkHref(n), MEDIA.vAppNetwork, n.networkName));
    if (this.isExpired(v)) return [...netLinks, up, link("edit", href, MEDIA.vApp), remove];
    const power = (...actions: string[]) => actions.map((a) => link(`power:${a}`, `${href}/power/action/${a}`));
    const deploy = link("deploy", `${href}/action/deploy`, MEDIA.deploy);
    const undeploy = link("undeploy", `${href}/action/undeploy`, MEDIA.undeploy);
    const running = v.status === VAppStatus.POWERED_ON;
    const hasVms = v.vmCount > 0;
    let state: string[] = [];
    if (hasVms && running) state = [...power("powerOff", "reboot", "reset", "shutdown", "suspend"), deploy, undeploy];
    else if (hasVms && v.status === VAppStatus.SUSPENDED)
      state = [
        ...power("powerOn"),
        link("discardState", `${href}/action/discardSuspendedState`),
        ...(v.deployed ? [undeploy] : []),
      ];
    else if (hasVms) state = [...power("powerOn"), v.deployed ? undeploy : deploy];
    return [
      ...state,
      ...netLinks,
      controlAccess,
      link("controlAccess", `${href}/action/controlAccess`, MEDIA.controlAccess),
      ...(running ? [] : [link("recompose", `${href}/action/recomposeVApp`, MEDIA.recompose)]),
      up,
      link("edit", href, MEDIA.vApp),
      ...(v.deployed
        ? []
        : [remove, link("enable", `${href}/action/enableDownload`), link("disable", `${href}/action/disableDownload`)]),
      ...common,
      ...(hasVms ? [link("snapshot:create", `${href}/action/createSnapshot`, MEDIA.createSnapshot)] : []),
    ];
  }

  lease(v: VApp, root: boolean): string {
    const href = `${this.vappHref(v)}/leaseSettingsSection/`;
    const body = tag(
      "LeaseSettingsSection",
      { ...(root ? rootNs : {}), href, type: MEDIA.lease, "ovf:required": false },
      textTag("ovf:Info", "Lease settings section"),
      link("edit", href, MEDIA.lease),
      textTag("DeploymentLeaseInSeconds", v.deploymentLeaseSeconds),
      textTag("StorageLeaseInSeconds", v.storageLeaseSeconds),
      v.deployed && v.deploymentExpiration
        ? textTag("DeploymentLeaseExpiration", ts(v.deploymentExpiration))
        : undefined,
      v.storageExpiration ? textTag("StorageLeaseExpiration", ts(v.storageExpiration)) : undefined,
    );
    return root ? XML_DECL + body : body;
  }

  owner(v: VApp, root: boolean): string {
    const u = this.state.users.get(v.ownerId);
    const body = tag(
      "Owner",
      { ...(root ? { ...rootNs, href: `${this.vappHref(v)}/owner` } : {}), type: MEDIA.owner },
      root ? link("edit", `${this.vappHref(v)}/owner`, MEDIA.owner) : undefined,
      u ? tag("User", { href: this.userHref(u), name: u.name, type: MEDIA.user }) : undefined,
    );
    return root ? XML_DECL + body : body;
  }

  private networkConfigSection(v: VApp): string {
    const href = `${this.vappHref(v)}/networkConfigSection/`;
    return tag(
      "NetworkConfigSection",
      { href, type: MEDIA.networkConfigSection, "ovf:required": false },
      textTag("ovf:Info", "The configuration parameters for logical networks"),
      link("edit", href, MEDIA.networkConfigSection),
      ...v.networks.map((n) => {
        const parent = n.parentNetworkId ? this.state.networks.get(n.parentNetworkId) : undefined;
        return tag(
          "NetworkConfig",
          { networkName: n.networkName },
          link("repair", `${this.base}/api/admin/network/${n.id}/action/reset`),
          textTag("Description", n.networkName),
          tag(
            "Configuration",
            {},
            parent
              ? tag("ParentNetwork", {
                  href: `${this.base}/api/admin/network/${parent.id}`,
                  id: parent.id,
                  name: parent.name,
                })
              : undefined,
            textTag("FenceMode", n.fenceMode),
            textTag("RetainNetInfoAcrossDeployments", false),
          ),
          textTag("IsDeployed", v.deployed),
        );
      }),
    );
  }

  /**
   * A vApp in the recorded child order (fog-vcloud-director get_vapp.yml): the OVF sections carry vCloud-namespaced
   * type/href, NetworkSection is there with or without networks, SnapshotSection whenever the vApp has VMs.
   */
  vapp(v: VApp, tasks: SimTask[]): string {
    const href = this.vappHref(v);
    const creating = v.status === VAppStatus.UNRESOLVED || v.status === VAppStatus.FAILED_CREATION;
    const withVms = v.vmCount > 0 && !creating;
    return (
      XML_DECL +
      tag(
        "VApp",
        {
          ...rootNs,
          ovfDescriptorUploaded: true,
          deployed: v.deployed,
          status: v.status,
          name: v.name,
          id: `urn:vcloud:vapp:${v.id}`,
          href,
          type: MEDIA.vApp,
        },
        ...this.vappLinks(v),
        textTag("Description", v.description),
        // Embedded tasks carry no cancel link, as in the recorded create response.
        tasks.length ? tag("Tasks", {}, ...tasks.map((t) => this.taskBody(t, false, false))) : undefined,
        creating ? undefined : this.lease(v, false),
        withVms
          ? tag(
              "ovf:StartupSection",
              ovfSectionAttrs(`${href}/startupSection/`, MEDIA.startupSection),
              textTag("ovf:Info", "VApp startup section"),
              ...this.vmNames(v).map((n) =>
                tag("ovf:Item", {
                  "ovf:id": n,
                  "ovf:order": 0,
                  "ovf:startAction": "powerOn",
                  "ovf:startDelay": 0,
                  "ovf:stopAction": "powerOff",
                  "ovf:stopDelay": 0,
                }),
              ),
              link("edit", `${href}/startupSection/`, MEDIA.startupSection),
            )
          : undefined,
        creating
          ? undefined
          : tag(
              "ovf:NetworkSection",
              ovfSectionAttrs(`${href}/networkSection/`, MEDIA.networkSection),
              textTag("ovf:Info", "The list of logical networks"),
              ...v.networks.map((n) =>
                tag("ovf:Network", { "ovf:name": n.networkName }, textTag("ovf:Description", n.networkName)),
              ),
            ),
        creating ? undefined : this.networkConfigSection(v),
        withVms
          ? tag(
              "SnapshotSection",
              { href: `${href}/snapshotSection`, type: MEDIA.snapshotSection, "ovf:required": false },
              textTag("ovf:Info", "Snapshot information section"),
            )
          : undefined,
        textTag("DateCreated", ts(v.created)),
        this.owner(v, false),
        textTag("InMaintenanceMode", false),
        withVms
          ? tag(
              "Children",
              {},
              ...this.vmNames(v).map((n, i) =>
                tag("Vm", {
                  needsCustomization: false,
                  nestedHypervisorEnabled: false,
                  deployed: v.deployed,
                  status: v.status === VAppStatus.POWERED_ON ? VAppStatus.POWERED_ON : VAppStatus.POWERED_OFF,
                  name: n,
                  id: `urn:vcloud:vm:${v.id.slice(0, 24)}${String(i).padStart(12, "0")}`,
                  href: `${this.base}/api/vApp/vm-${v.id.slice(0, 24)}${String(i).padStart(12, "0")}`,
                  type: MEDIA.vm,
                }),
              ),
            )
          : undefined,
      )
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
    return (
      XML_DECL +
      tag(
        "Metadata",
        { ...rootNsXsi, href, type: MEDIA.metadata },
        link("add", href, MEDIA.metadata),
        link("up", this.vappHref(v), MEDIA.vApp),
        ...v.metadata.map((m) => {
          const eh = `${href}/${m.domain === "SYSTEM" ? "SYSTEM/" : ""}${encodeURIComponent(m.key)}`;
          return tag(
            "MetadataEntry",
            { href: eh, type: MEDIA.metadataValue },
            link("up", href, MEDIA.metadata),
            ...(m.visibility === "READWRITE" ? [link("edit", eh, MEDIA.metadataValue), link("remove", eh)] : []),
            this.domain(m),
            textTag("Key", m.key),
            this.metadataTypedValue(m),
          );
        }),
      )
    );
  }

  metadataValue(v: VApp, m: MetadataItem): string {
    const href = `${this.vappHref(v)}/metadata/${m.domain === "SYSTEM" ? "SYSTEM/" : ""}${encodeURIComponent(m.key)}`;
    return (
      XML_DECL +
      tag(
        "MetadataValue",
        { ...rootNsXsi, href, type: MEDIA.metadataValue },
        link("up", `${this.vappHref(v)}/metadata`, MEDIA.metadata),
        ...(m.visibility === "READWRITE" ? [link("edit", href, MEDIA.metadataValue), link("remove", href)] : []),
        this.domain(m),
        this.metadataTypedValue(m),
      )
    );
  }

  // --- tasks ---

  taskBody(t: SimTask, root: boolean, links = true): string {
    const user = this.state.users.get(t.userId);
    const org = this.state.orgs.get(t.orgId);
    return tag(
      "Task",
      {
        ...(root ? rootNs : {}),
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
        type: MEDIA.task,
      },
      t.status === "running" && links ? link("task:cancel", `${this.taskHref(t)}/action/cancel`) : undefined,
      tag("Owner", { href: this.vappHref(t.owner), name: t.owner.name, type: MEDIA.vApp }),
      t.error
        ? tag("Error", {
            majorErrorCode: t.error.status,
            message: t.error.message,
            minorErrorCode: t.error.minorErrorCode,
          })
        : undefined,
      user ? tag("User", { href: this.userHref(user), name: user.name, type: MEDIA.user }) : undefined,
      org ? tag("Organization", { href: this.orgHref(org), name: org.name, type: MEDIA.org }) : undefined,
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

  queryRecords(
    type: QueryType,
    records: Array<Record<string, string | number | boolean | undefined>>,
    page: number,
    pageSize: number,
    total: number,
    queryHref: (page: number) => string,
  ): string {
    const recordName = QUERY_RECORDS[type];
    const last = Math.max(1, Math.ceil(total / pageSize));
    return (
      XML_DECL +
      tag(
        "QueryResultRecords",
        { ...rootNsXsi, total, pageSize, page, name: type, href: queryHref(page), type: MEDIA.records },
        page > 1 ? link("firstPage", queryHref(1), MEDIA.records) : undefined,
        page > 1 ? link("previousPage", queryHref(page - 1), MEDIA.records) : undefined,
        page < last ? link("nextPage", queryHref(page + 1), MEDIA.records) : undefined,
        page < last ? link("lastPage", queryHref(last), MEDIA.records) : undefined,
        ...records.map((r) => tag(recordName, r)),
      )
    );
  }
}
