// The vCD wire vocabulary: XML namespaces, media types, query types and vApp status codes. The client (sdk/vcd)
// and the simulator (simulators/vcd) both import it, so neither spells these itself; behaviour stays in each.
// Constants only. Sources: the vCloud API schema reference (developer.broadcom.com/xapis/vmware-cloud-director-api,
// type and operation pages); go-vcloud-director types/v56/constants.go keeps the same vocabulary in one place.

/** Namespace of every legacy /api body (vCloud API 1.5 schema, still current in API 39). */
export const VCLOUD_NS = "http://www.vmware.com/vcloud/v1.5";
/** DMTF OVF envelope: ovf:Info, ovf:StartupSection, ovf:NetworkSection, ovf:required. */
export const OVF_NS = "http://schemas.dmtf.org/ovf/envelope/1";
export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
/** Root namespace of GET /api/versions (SupportedVersions). */
export const VERSIONS_NS = "http://www.vmware.com/vcloud/versions";
/** The other namespaces a vCD declares on every /api root element (OVF hardware sections, extensions). */
export const VSSD_NS = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData";
export const COMMON_NS = "http://schemas.dmtf.org/wbem/wscim/1/common";
export const RASD_NS = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData";
export const VMW_NS = "http://www.vmware.com/schema/ovf";
export const OVFENV_NS = "http://schemas.dmtf.org/ovf/environment/1";
export const VMEXT_NS = "http://www.vmware.com/vcloud/extension/v1.5";

/**
 * Media types (Content-Type of requests, `type` of links and references). vCD matches them case-insensitively and
 * writes them lower-cased in its Content-Type header, camel-cased in `type` attributes.
 */
export const MEDIA = {
  vApp: "application/vnd.vmware.vcloud.vApp+xml",
  vm: "application/vnd.vmware.vcloud.vm+xml",
  vdc: "application/vnd.vmware.vcloud.vdc+xml",
  org: "application/vnd.vmware.vcloud.org+xml",
  orgList: "application/vnd.vmware.vcloud.orgList+xml",
  catalog: "application/vnd.vmware.vcloud.catalog+xml",
  catalogItem: "application/vnd.vmware.vcloud.catalogItem+xml",
  vAppTemplate: "application/vnd.vmware.vcloud.vAppTemplate+xml",
  task: "application/vnd.vmware.vcloud.task+xml",
  tasksList: "application/vnd.vmware.vcloud.tasksList+xml",
  owner: "application/vnd.vmware.vcloud.owner+xml",
  lease: "application/vnd.vmware.vcloud.leaseSettingsSection+xml",
  metadata: "application/vnd.vmware.vcloud.metadata+xml",
  metadataValue: "application/vnd.vmware.vcloud.metadata.value+xml",
  session: "application/vnd.vmware.vcloud.session+xml",
  user: "application/vnd.vmware.admin.user+xml",
  role: "application/vnd.vmware.admin.role+xml",
  adminOrg: "application/vnd.vmware.admin.organization+xml",
  adminVdc: "application/vnd.vmware.admin.vdc+xml",
  adminVcloud: "application/vnd.vmware.admin.vcloud+xml",
  records: "application/vnd.vmware.vcloud.query.records+xml",
  queryList: "application/vnd.vmware.vcloud.query.queryList+xml",
  error: "application/vnd.vmware.vcloud.error+xml",
  compose: "application/vnd.vmware.vcloud.composeVAppParams+xml",
  instantiate: "application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml",
  recompose: "application/vnd.vmware.vcloud.recomposeVAppParams+xml",
  deploy: "application/vnd.vmware.vcloud.deployVAppParams+xml",
  undeploy: "application/vnd.vmware.vcloud.undeployVAppParams+xml",
  uploadVAppTemplate: "application/vnd.vmware.vcloud.uploadVAppTemplateParams+xml",
  cloneVApp: "application/vnd.vmware.vcloud.cloneVAppParams+xml",
  network: "application/vnd.vmware.vcloud.network+xml",
  vAppNetwork: "application/vnd.vmware.vcloud.vAppNetwork+xml",
  networkConfigSection: "application/vnd.vmware.vcloud.networkConfigSection+xml",
  networkSection: "application/vnd.vmware.vcloud.networkSection+xml",
  startupSection: "application/vnd.vmware.vcloud.startupSection+xml",
  snapshotSection: "application/vnd.vmware.vcloud.snapshotSection+xml",
  controlAccess: "application/vnd.vmware.vcloud.controlAccess+xml",
  productSections: "application/vnd.vmware.vcloud.productSections+xml",
  createSnapshot: "application/vnd.vmware.vcloud.createSnapshotParams+xml",
  versions: "application/vnd.vmware.vcloud.versions+xml",
  entity: "application/vnd.vmware.vcloud.entity+xml",
  apiExtensibility: "application/vnd.vmware.vcloud.apiextensibility+xml",
  media: "application/vnd.vmware.vcloud.media+xml",
  disk: "application/vnd.vmware.vcloud.diskCreateParams+xml",
  orgVdcNetwork: "application/vnd.vmware.vcloud.orgVdcNetwork+xml",
  vdcStorageProfile: "application/vnd.vmware.vcloud.vdcStorageProfile+xml",
  instantiateOvf: "application/vnd.vmware.vcloud.instantiateOvfParams+xml",
  cloneVAppTemplate: "application/vnd.vmware.vcloud.cloneVAppTemplateParams+xml",
  cloneMedia: "application/vnd.vmware.vcloud.cloneMediaParams+xml",
  captureVApp: "application/vnd.vmware.vcloud.captureVAppParams+xml",
  /** The OVF descriptor (rel="ovf"). */
  envelope: "text/xml",
} as const;

/**
 * Typed query types (GET /api/query?type=…) and the record element each answers with (format=records). Source: the
 * API reference's query service page (QueryResultRecordsType); `user` is deprecated since API 38.1.
 */
export const QUERY_RECORDS = {
  organization: "OrgRecord",
  orgVdc: "OrgVdcRecord",
  vApp: "VAppRecord",
  vAppTemplate: "VAppTemplateRecord",
  catalog: "CatalogRecord",
  catalogItem: "CatalogItemRecord",
  task: "TaskRecord",
  user: "UserRecord",
  adminUser: "AdminUserRecord",
} as const;
export type QueryType = keyof typeof QUERY_RECORDS;

/** Value sets of the schema's enumerations that both sides check or send. */
export const FENCE_MODES = ["isolated", "direct", "bridged", "natRouted"] as const;
export type FenceMode = (typeof FENCE_MODES)[number];
export const UNDEPLOY_POWER_ACTIONS = ["powerOff", "suspend", "shutdown", "force", "default"] as const;
export type UndeployPowerAction = (typeof UNDEPLOY_POWER_ACTIONS)[number];
export const METADATA_TYPES = [
  "MetadataStringValue",
  "MetadataNumberValue",
  "MetadataBooleanValue",
  "MetadataDateTimeValue",
] as const;
export type MetadataType = (typeof METADATA_TYPES)[number];
export const METADATA_DOMAINS = ["GENERAL", "SYSTEM"] as const;
export type MetadataDomain = (typeof METADATA_DOMAINS)[number];
export const METADATA_VISIBILITIES = ["PRIVATE", "READONLY", "READWRITE"] as const;
export type MetadataVisibility = (typeof METADATA_VISIBILITIES)[number];

/**
 * vApp (and VM) status codes: the `status` attribute of VApp/Vm, an int. Query records (VAppRecord) carry the name
 * instead. Source: go-vcloud-director types/v56/types.go VAppStatuses; pyvcloud VCLOUD_STATUS_MAP; 20 and 21 since
 * 10.3 (API 36).
 */
export enum VAppStatus {
  FAILED_CREATION = -1,
  UNRESOLVED = 0,
  RESOLVED = 1,
  DEPLOYED = 2,
  SUSPENDED = 3,
  POWERED_ON = 4,
  WAITING_FOR_INPUT = 5,
  UNKNOWN = 6,
  UNRECOGNIZED = 7,
  POWERED_OFF = 8,
  INCONSISTENT_STATE = 9,
  MIXED = 10,
  DESCRIPTOR_PENDING = 11,
  COPYING_CONTENTS = 12,
  DISK_CONTENTS_PENDING = 13,
  QUARANTINED = 14,
  QUARANTINE_EXPIRED = 15,
  REJECTED = 16,
  TRANSFER_TIMEOUT = 17,
  VAPP_UNDEPLOYED = 18,
  VAPP_PARTIALLY_DEPLOYED = 19,
  PARTIALLY_POWERED_OFF = 20,
  PARTIALLY_SUSPENDED = 21,
}

/** The status name for a code ("UNKNOWN" for codes this list does not have), as VAppRecord spells it. */
export const vappStatusName = (code: number): string => VAppStatus[code] ?? "UNKNOWN";
