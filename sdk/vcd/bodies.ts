// Request bodies in schema order: vCD validates every body against its XML schema and refuses elements out of
// sequence with 400, so each builder lists children in the order the schema defines them.
import { tag, textTag } from "../xml";
import {
  FenceMode,
  MEDIA,
  MetadataDomain,
  MetadataType,
  MetadataVisibility,
  OVF_NS,
  UndeployPowerAction,
  VCLOUD_NS,
  XSI_NS,
} from "./wire";

export type { FenceMode, UndeployPowerAction };

export interface NetworkSpec {
  /** vApp network name (usually the org VDC network's name). */
  name: string;
  /** Href of the org VDC network; omitted for an isolated network. */
  parentHref?: string;
  fenceMode: FenceMode;
}

const root = (extra: Record<string, string | boolean | undefined> = {}) => ({
  xmlns: VCLOUD_NS,
  "xmlns:ovf": OVF_NS,
  ...extra,
});

function instantiationParams(networks: NetworkSpec[]): string | undefined {
  if (!networks.length) return undefined;
  return tag(
    "InstantiationParams",
    {},
    tag(
      "NetworkConfigSection",
      {},
      textTag("ovf:Info", "Configuration parameters for logical networks"),
      ...networks.map((n) =>
        tag(
          "NetworkConfig",
          { networkName: n.name },
          tag(
            "Configuration",
            {},
            n.parentHref ? tag("ParentNetwork", { href: n.parentHref }) : undefined,
            textTag("FenceMode", n.fenceMode),
          ),
        ),
      ),
    ),
  );
}

export interface ComposeBody {
  name: string;
  description?: string;
  networks?: NetworkSpec[];
  deploy?: boolean;
  powerOn?: boolean;
}

/** ComposeVAppParams: Description, VAppParent, InstantiationParams, SourcedItem*, AllEULAsAccepted. */
export function composeVAppParams(b: ComposeBody): string {
  return tag(
    "ComposeVAppParams",
    root({ name: b.name, deploy: b.deploy ?? false, powerOn: b.powerOn ?? false }),
    textTag("Description", b.description ?? ""),
    instantiationParams(b.networks ?? []),
  );
}

export interface InstantiateBody extends ComposeBody {
  sourceHref: string;
  acceptAllEulas?: boolean;
}

/** InstantiateVAppTemplateParams: Description, VAppParent, InstantiationParams, Source, IsSourceDelete, SourcedItem*, AllEULAsAccepted. */
export function instantiateVAppTemplateParams(b: InstantiateBody): string {
  return tag(
    "InstantiateVAppTemplateParams",
    root({ name: b.name, deploy: b.deploy ?? false, powerOn: b.powerOn ?? false }),
    textTag("Description", b.description ?? ""),
    instantiationParams(b.networks ?? []),
    tag("Source", { href: b.sourceHref }),
    b.acceptAllEulas !== undefined ? textTag("AllEULAsAccepted", b.acceptAllEulas) : undefined,
  );
}

/** PUT vApp (rel=edit) body, as pyvcloud/fog sent it to older servers; VAppApi.update uses recomposeVApp instead. */
export function vAppEdit(b: { name: string; description: string }): string {
  return tag("VApp", root({ name: b.name }), textTag("Description", b.description));
}

/**
 * RecomposeVAppParams that only renames and re-describes (govcd UpdateNameDescription): the 10.x API reference
 * documents PUT /vApp/{id} for VMs only (vm+xml), so a vApp's name and description go through recomposeVApp.
 * Description is always sent, so an empty one clears it; deploy/powerOn mirror the current state, so the
 * recompose changes neither.
 */
export function recomposeNameDescription(b: {
  name: string;
  description: string;
  deployed: boolean;
  poweredOn: boolean;
}): string {
  return tag(
    "RecomposeVAppParams",
    root({ name: b.name, deploy: b.deployed, powerOn: b.poweredOn }),
    textTag("Description", b.description),
  );
}

/** LeaseSettingsSection: ovf:Info, Link*, DeploymentLeaseInSeconds, StorageLeaseInSeconds. */
export function leaseSettings(b: { href?: string; deploymentSeconds?: number; storageSeconds?: number }): string {
  return tag(
    "LeaseSettingsSection",
    root({ href: b.href, type: MEDIA.lease }),
    textTag("ovf:Info", "Lease section settings"),
    textTag("DeploymentLeaseInSeconds", b.deploymentSeconds),
    textTag("StorageLeaseInSeconds", b.storageSeconds),
  );
}

export function owner(userHref: string): string {
  return tag("Owner", { xmlns: VCLOUD_NS, type: MEDIA.owner }, tag("User", { href: userHref, type: MEDIA.user }));
}

export function deployParams(b: {
  powerOn: boolean;
  deploymentLeaseSeconds?: number;
  forceCustomization?: boolean;
}): string {
  return tag("DeployVAppParams", {
    xmlns: VCLOUD_NS,
    powerOn: b.powerOn,
    deploymentLeaseSeconds: b.deploymentLeaseSeconds,
    forceCustomization: b.forceCustomization,
  });
}

export function undeployParams(action: UndeployPowerAction = "powerOff"): string {
  return tag("UndeployVAppParams", { xmlns: VCLOUD_NS }, textTag("UndeployPowerAction", action));
}

export interface MetadataInput {
  key: string;
  value: string | number | boolean | Date;
  /** Inferred from the value when omitted (string → String, number → Number, boolean → Boolean, Date → DateTime). */
  type?: MetadataType;
  domain?: MetadataDomain;
  visibility?: MetadataVisibility;
}

export function metadataType(m: MetadataInput): MetadataType {
  if (m.type) return m.type;
  if (typeof m.value === "number") return "MetadataNumberValue";
  if (typeof m.value === "boolean") return "MetadataBooleanValue";
  if (m.value instanceof Date) return "MetadataDateTimeValue";
  return "MetadataStringValue";
}

/** The wire text of a value; numbers must be integers (xs:long), dates become ISO 8601. */
export function metadataText(m: MetadataInput): string {
  const type = metadataType(m);
  const v = m.value;
  if (type === "MetadataNumberValue") {
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isSafeInteger(n))
      throw new RangeError(
        `metadata "${m.key}": ${String(v)} is not an integer (MetadataNumberValue is a 64-bit integer)`,
      );
    return String(n);
  }
  if (type === "MetadataBooleanValue") {
    if (typeof v === "boolean") return String(v);
    if (v === "true" || v === "false") return v;
    throw new RangeError(`metadata "${m.key}": ${String(v)} is not a boolean`);
  }
  if (type === "MetadataDateTimeValue") {
    const d = v instanceof Date ? v : new Date(String(v));
    if (Number.isNaN(d.getTime())) throw new RangeError(`metadata "${m.key}": ${String(v)} is not a date-time`);
    return d.toISOString();
  }
  return v instanceof Date ? v.toISOString() : String(v);
}

function domain(m: MetadataInput): string {
  const d = m.domain ?? "GENERAL";
  const visibility = m.visibility ?? (d === "GENERAL" ? "READWRITE" : "READONLY");
  // vCD allows GENERAL only with READWRITE and SYSTEM only without it, and answers anything else with a bare
  // "500 … visibility" (govcd metadata_v2.go works around the same message): refuse it here, clearly.
  if ((d === "GENERAL") !== (visibility === "READWRITE")) {
    throw new RangeError(
      `metadata "${m.key}": visibility ${visibility} is not allowed in the ${d} domain (GENERAL needs READWRITE; SYSTEM takes READONLY or PRIVATE)`,
    );
  }
  return tag("Domain", { visibility }, d);
}

const typedValue = (m: MetadataInput) =>
  tag("TypedValue", { "xsi:type": metadataType(m) }, textTag("Value", metadataText(m)));

/** Metadata (POST merge): MetadataEntry = Domain, Key, TypedValue. */
export function metadata(entries: MetadataInput[]): string {
  return tag(
    "Metadata",
    { xmlns: VCLOUD_NS, "xmlns:xsi": XSI_NS },
    ...entries.map((m) => tag("MetadataEntry", {}, domain(m), textTag("Key", m.key), typedValue(m))),
  );
}

/** MetadataValue (PUT one key): Domain, TypedValue. */
export function metadataValue(m: MetadataInput): string {
  return tag("MetadataValue", { xmlns: VCLOUD_NS, "xmlns:xsi": XSI_NS }, domain(m), typedValue(m));
}
