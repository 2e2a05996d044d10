// VMware Cloud Director client (no Pulumi dependency): sessions, version negotiation, tasks, queries, vApps.
export { VcdClient, VcdClientOptions, RequestOptions, VcdResponse } from "./client";
export { withVcdSession, closeVcdSessions, setVcdSessionDefaults, vcdSessionStats } from "./pool";
export { VAppApi, VdcRef, NetworkRequest, ComposeOptions, InstantiateOptions, VAppRef } from "./vapp/api";
export {
  VcdError,
  ForbiddenError,
  NotFoundError,
  AccessDeniedError,
  VcdObjectKind,
  NotAuthenticatedError,
  BusyEntityError,
  TaskError,
  TaskTimeoutError,
  VersionError,
  isForbidden,
  parseErrorResponse,
  splitRequestId,
} from "./errors";
export { CLIENT_API_VERSIONS, chooseVersion, compareVersions, LoginMode } from "./session";
export { waitForTask, WaitOptions, RUNNING } from "./tasks";
export { buildFilter, QueryOptions } from "./query";
export { FenceMode, MetadataInput, UndeployPowerAction, NetworkSpec } from "./bodies";
export * as bodies from "./bodies";
export { MEDIA, QUERY_RECORDS, QueryType, VAppStatus, vappStatusName, VCLOUD_NS, OVF_NS, XSI_NS } from "./wire";
export {
  VApp,
  Leases,
  Link,
  Task,
  TaskStatus,
  MetadataEntry,
  MetadataType,
  MetadataDomain,
  MetadataVisibility,
  OwnerRef,
  VAppNetwork,
  VersionInfo,
  QueryRecord,
  QueryPage,
  parseVApp,
  parseTask,
  parseLease,
  parseOwner,
  parseMetadata,
  parseMetadataValue,
  parseVersions,
  parseQueryRecords,
  parseVdc,
  parseAdminOrgUsers,
  Vdc,
  AdminOrgUsers,
  NamedRef,
  findLink,
} from "./xml";
