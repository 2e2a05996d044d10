// Mapping between vCD XML and typed objects. Parsing uses the shared compact parser (prefixes stripped); the
// request bodies live in bodies.ts.
import { attr, child, children, parseXml, text, XmlNode } from "../xml";
import { splitRequestId } from "./errors";
import { MetadataDomain, MetadataType, MetadataVisibility, QUERY_RECORDS, VAppStatus, vappStatusName } from "./wire";

/** Elements that may repeat; parsed as arrays even when a response holds one. */
const REPEATED = [
  "Link",
  "Task",
  "MetadataEntry",
  "VersionInfo",
  "NetworkConfig",
  "Vm",
  "ResourceEntity",
  "Network",
  "CatalogItem",
  "Item",
  ...Object.values(QUERY_RECORDS),
  "Org",
  "UserReference",
];

export const parseVcdXml = (xml: string) => parseXml(xml, REPEATED);

export interface Link {
  rel: string;
  href: string;
  type?: string;
  name?: string;
}

export type TaskStatus =
  "queued" | "preRunning" | "running" | "postRunning" | "success" | "error" | "canceled" | "aborted";

export interface Task {
  id: string;
  href: string;
  status: TaskStatus;
  operationName: string;
  operation?: string;
  progress?: number;
  startTime?: string;
  endTime?: string;
  ownerHref?: string;
  ownerName?: string;
  userName?: string;
  orgName?: string;
  error?: { majorErrorCode?: string; minorErrorCode?: string; message: string; requestId?: string };
  links: Link[];
}

export interface Leases {
  /** Runtime (deployment) lease in seconds; 0 = never expires. */
  deploymentSeconds: number;
  /** Storage lease in seconds; 0 = never expires. */
  storageSeconds: number;
  /** Present only while the vApp is deployed. */
  deploymentExpiration?: string;
  storageExpiration?: string;
}

export interface VAppNetwork {
  name: string;
  fenceMode?: string;
  parentNetworkHref?: string;
  parentNetworkName?: string;
}

export type { MetadataType, MetadataDomain, MetadataVisibility };

export interface MetadataEntry {
  key: string;
  /** string for String and DateTime (ISO 8601), number for Number, boolean for Boolean. */
  value: string | number | boolean;
  type: MetadataType;
  domain: MetadataDomain;
  visibility: MetadataVisibility;
}

export interface OwnerRef {
  name: string;
  href: string;
}

export interface VApp {
  /** URN, e.g. urn:vcloud:vapp:<uuid>: the stable id a provider stores. */
  id: string;
  uuid: string;
  name: string;
  description: string;
  status: number;
  statusText: string;
  href: string;
  vdcHref?: string;
  deployed: boolean;
  owner?: OwnerRef;
  /** Absent while the vApp is being created (status 0). */
  leases?: Leases;
  /** StorageLeaseExpiration is in the past: vCD then refuses power operations. */
  expired: boolean;
  networks: VAppNetwork[];
  vmNames: string[];
  dateCreated?: string;
  inMaintenanceMode: boolean;
  /** Tasks running on the vApp (embedded <Tasks>). */
  tasks: Task[];
  links: Link[];
  /** Filled by VAppApi.get(..., { metadata: true }); the VApp document itself does not carry metadata. */
  metadata?: MetadataEntry[];
}

export interface NamedRef {
  name: string;
  href: string;
}

/** What a client needs of a <Vdc> document: its name, its organization and the org VDC networks it offers. */
export interface Vdc {
  name: string;
  href: string;
  /** The `up` link to the Org (absent for a provider's view without it). */
  orgHref?: string;
  availableNetworks: NamedRef[];
}

/** An <AdminOrg> document reduced to its name and its Users list (UserReference). */
export interface AdminOrgUsers {
  name?: string;
  users: NamedRef[];
}

export interface VersionInfo {
  version: string;
  deprecated: boolean;
  loginUrl?: string;
  providerLoginUrl?: string;
}

export function parseLinks(node: XmlNode | undefined): Link[] {
  return children(node, "Link").map((l) => ({
    rel: attr(l, "rel") ?? "",
    href: attr(l, "href") ?? "",
    type: attr(l, "type"),
    name: attr(l, "name"),
  }));
}

export function findLink(links: Link[], rel: string, type?: string): Link | undefined {
  return links.find((l) => l.rel === rel && (!type || l.type === type));
}

/** The element named `name` at the root of `xml` (throws a clear error for anything else). */
export function rootElement(xml: string, name: string): XmlNode {
  const doc = parseVcdXml(xml);
  const root = child(doc, name);
  if (!root) throw new Error(`expected a <${name}> document, got: ${xml.slice(0, 120)}`);
  return root;
}

const namedRef = (n: XmlNode): NamedRef => ({ name: attr(n, "name") ?? "", href: attr(n, "href") ?? "" });

export function parseVdc(xml: string): Vdc {
  const v = rootElement(xml, "Vdc");
  return {
    name: attr(v, "name") ?? "",
    href: attr(v, "href") ?? "",
    orgHref: parseLinks(v).find((l) => l.rel === "up" && (l.type ?? "").endsWith(".org+xml"))?.href,
    availableNetworks: children(child(v, "AvailableNetworks"), "Network").map(namedRef),
  };
}

export function parseAdminOrgUsers(xml: string): AdminOrgUsers {
  const org = rootElement(xml, "AdminOrg");
  return { name: attr(org, "name"), users: children(child(org, "Users"), "UserReference").map(namedRef) };
}

export function parseVersions(xml: string): VersionInfo[] {
  const root = rootElement(xml, "SupportedVersions");
  return children(root, "VersionInfo").map((v) => ({
    version: text(v, "Version") ?? "",
    deprecated: attr(v, "deprecated") === "true",
    loginUrl: text(v, "LoginUrl"),
    providerLoginUrl: text(v, "ProviderLoginUrl"),
  }));
}

export function parseTaskNode(t: XmlNode): Task {
  const owner = child(t, "Owner");
  const err = child(t, "Error");
  const progress = text(t, "Progress");
  const href = attr(t, "href") ?? "";
  const split = err ? splitRequestId(attr(err, "message") ?? "") : undefined;
  return {
    id: attr(t, "id") ?? href.split("/").pop() ?? "",
    href,
    status: (attr(t, "status") ?? "queued") as TaskStatus,
    operationName: attr(t, "operationName") ?? "",
    operation: attr(t, "operation"),
    progress: progress ? Number(progress) : undefined,
    startTime: attr(t, "startTime"),
    endTime: attr(t, "endTime"),
    ownerHref: attr(owner, "href"),
    ownerName: attr(owner, "name"),
    userName: attr(child(t, "User"), "name"),
    orgName: attr(child(t, "Organization"), "name"),
    error: err
      ? {
          majorErrorCode: attr(err, "majorErrorCode"),
          minorErrorCode: attr(err, "minorErrorCode"),
          message: split!.text,
          requestId: split!.requestId,
        }
      : undefined,
    links: parseLinks(t),
  };
}

export const parseTask = (xml: string) => parseTaskNode(rootElement(xml, "Task"));

const num = (s: string | undefined) => (s === undefined || s === "" ? 0 : Number(s));

export function parseLeaseNode(l: XmlNode): Leases {
  return {
    deploymentSeconds: num(text(l, "DeploymentLeaseInSeconds")),
    storageSeconds: num(text(l, "StorageLeaseInSeconds")),
    deploymentExpiration: text(l, "DeploymentLeaseExpiration") || undefined,
    storageExpiration: text(l, "StorageLeaseExpiration") || undefined,
  };
}

export const parseLease = (xml: string) => parseLeaseNode(rootElement(xml, "LeaseSettingsSection"));

export function parseOwnerNode(o: XmlNode | undefined): OwnerRef | undefined {
  const u = child(o, "User");
  return u ? { name: attr(u, "name") ?? "", href: attr(u, "href") ?? "" } : undefined;
}

export const parseOwner = (xml: string) => parseOwnerNode(rootElement(xml, "Owner"));

export function parseVAppNode(v: XmlNode, now = new Date()): VApp {
  const links = parseLinks(v);
  const lease = child(v, "LeaseSettingsSection");
  const leases = lease ? parseLeaseNode(lease) : undefined;
  const status = Number(attr(v, "status") ?? VAppStatus.UNKNOWN);
  const id = attr(v, "id") ?? "";
  const href = attr(v, "href") ?? "";
  return {
    id,
    uuid: id.split(":").pop() ?? "",
    name: attr(v, "name") ?? "",
    description: text(v, "Description") ?? "",
    status,
    statusText: vappStatusName(status),
    href,
    vdcHref: links.find((l) => l.rel === "up" && (l.type ?? "").includes("vdc+xml"))?.href,
    deployed: attr(v, "deployed") === "true",
    owner: parseOwnerNode(child(v, "Owner")),
    leases,
    expired: !!leases?.storageExpiration && Date.parse(leases.storageExpiration) < now.getTime(),
    networks: children(child(v, "NetworkConfigSection"), "NetworkConfig").map((nc) => {
      const conf = child(nc, "Configuration");
      const parent = child(conf, "ParentNetwork");
      return {
        name: attr(nc, "networkName") ?? "",
        fenceMode: text(conf, "FenceMode"),
        parentNetworkHref: attr(parent, "href"),
        parentNetworkName: attr(parent, "name"),
      };
    }),
    vmNames: children(child(v, "Children"), "Vm").map((vm) => attr(vm, "name") ?? ""),
    dateCreated: text(v, "DateCreated"),
    inMaintenanceMode: text(v, "InMaintenanceMode") === "true",
    tasks: children(child(v, "Tasks"), "Task").map(parseTaskNode),
    links,
  };
}

export const parseVApp = (xml: string, now?: Date) => parseVAppNode(rootElement(xml, "VApp"), now);

function metadataValue(type: MetadataType, raw: string): string | number | boolean {
  if (type === "MetadataNumberValue") return Number(raw);
  if (type === "MetadataBooleanValue") return raw === "true";
  return raw;
}

function parseMetadataEntry(e: XmlNode, key: string): MetadataEntry {
  const domainEl = child(e, "Domain");
  const tv = child(e, "TypedValue");
  const type = (attr(tv, "xsi:type") ?? "MetadataStringValue") as MetadataType;
  return {
    key,
    type,
    value: metadataValue(type, text(tv, "Value") ?? text(e, "Value") ?? ""),
    domain: ((domainEl && text(domainEl)) || "GENERAL") as MetadataDomain,
    visibility: (attr(domainEl, "visibility") ?? "READWRITE") as MetadataVisibility,
  };
}

export function parseMetadata(xml: string): MetadataEntry[] {
  return children(rootElement(xml, "Metadata"), "MetadataEntry").map((e) =>
    parseMetadataEntry(e, text(e, "Key") ?? ""),
  );
}

export function parseMetadataValue(xml: string, key: string): MetadataEntry {
  return parseMetadataEntry(rootElement(xml, "MetadataValue"), key);
}

export interface QueryRecord {
  /** Element name, e.g. VAppRecord. */
  recordType: string;
  attrs: Record<string, string>;
}

export interface QueryPage {
  total: number;
  page: number;
  pageSize: number;
  records: QueryRecord[];
  nextHref?: string;
}

export function parseQueryRecords(xml: string): QueryPage {
  const root = rootElement(xml, "QueryResultRecords");
  const records: QueryRecord[] = [];
  for (const name of Object.keys(root)) {
    if (!name.endsWith("Record")) continue;
    for (const r of children(root, name)) records.push({ recordType: name, attrs: { ...(r._attributes ?? {}) } });
  }
  return {
    total: num(attr(root, "total")),
    page: num(attr(root, "page")),
    pageSize: num(attr(root, "pageSize")),
    records,
    nextHref: parseLinks(root).find((l) => l.rel === "nextPage")?.href,
  };
}
