// VcdVapp: one VMware Cloud Director vApp (kvcd's VcdVapp, typed). This schema is the single source for check(),
// the TypeScript argument types and crds/vcdvapp.yaml.
import { z } from "zod";
import { endpointUrl, tlsFields, timeoutsSchema, transportRules, xmlIllegalChar, XS_INT_MAX } from "./common";
import type { CrdDefinition } from "./crd";

export const vcdConnectionSchema = z
  .object({
    url: endpointUrl("vCD endpoint").describe(
      "vCD base URL, e.g. https://vcd.example.com; changing it (or org) replaces the vApp.",
    ),
    org: z
      .string({ error: "must be the org to log in to (System for provider users)" })
      .min(1, { error: "must not be empty" })
      .describe("Org to log in to (System for provider users)."),
    username: z
      .string({ error: "must be the vCD user name" })
      .min(1, { error: "must not be empty" })
      .describe("vCD user name."),
    password: z
      .string({ error: "must be the vCD password" })
      .min(1, { error: "must not be empty" })
      .describe("Password of the vCD user."),
    apiVersion: z
      .string()
      .regex(/^\d+\.\d+(\.\d+)?$/, { error: 'must be an API version such as "37.0"' })
      .optional()
      .describe("Pin an API version instead of negotiating the highest common one."),
    ...tlsFields,
  })
  .superRefine((v, ctx) => transportRules(v, [{ path: ["url"], url: v.url }], ctx));

const entityName = (what: string, max: number) =>
  z
    .string({ error: `must be the ${what}` })
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => s.trim() === s, { error: "must not start or end with a space" });

/** 0 = the org's value (never expires when the org allows it); otherwise at least an hour, as vCD requires. */
const leaseSeconds = z
  .number({ error: "must be a number of seconds" })
  .int({ error: "must be a whole number of seconds" })
  .max(XS_INT_MAX, { error: `must be at most ${XS_INT_MAX} (vCD's lease fields are xs:int)` })
  .refine((n) => n === 0 || n >= 3600, { error: "must be 0 (the org's value) or at least 3600 (vCD's minimum)" });

/** A DateTime metadata value; plain strings stay MetadataStringValue, so dates are tagged explicitly. */
export const metadataDateTimeSchema = z.object({
  dateTime: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z" }),
});

const metadataValue = z
  .union([z.string(), z.number().int().safe(), z.boolean(), metadataDateTimeSchema], {
    error: "must be a string, a whole number, a boolean or { dateTime: <ISO 8601> }",
  })
  // Kubernetes wants structural schemas: an anyOf of typed branches is not one, so the CRD keeps any value.
  .meta({ anyOf: undefined, "x-kubernetes-preserve-unknown-fields": true } as Record<string, unknown>);

/**
 * Keys vCD writes itself (10.5.1+) on vApps built from templates; read-only, never ours to manage. (VMs get
 * vm.origin.* instead, on the VM.) Source: terraform-provider-vcd CHANGELOG 3.11.0 (#1146, #1173) and
 * vcd/datasource_vcd_vapp_test.go TestAccVcdVAppInheritedMetadata.
 */
export const RESERVED_METADATA_PREFIX = "vapp.origin.";

/**
 * Why vCD would refuse a metadata key, or undefined. vCD's rules (vCloud API Programming Guide 5.5, "vCloud API
 * Object Metadata Limits" and Table 83 "Content Restrictions for Key"; the 10.x reference, MetadataEntryType: "Length
 * cannot exceed 256 UTF-8 characters"): at most 256 characters; no ";"; never "/../" or "/./" inside, "./" or "../"
 * at the start, "/." or "/.." at the end. The key also travels in an XML body (XML 1.0 Char production) and in the
 * URL of a DELETE; the kit adds: no control characters, no leading or trailing space, not vapp.origin.* (vCD's own).
 */
export function metadataKeyProblem(key: string): string | undefined {
  if (key === "") return "keys must not be empty";
  const shown = JSON.stringify([...key].length > 40 ? [...key].slice(0, 40).join("") + "…" : key);
  if ([...key].length > 256) return `key ${shown} is longer than 256 characters (vCD's limit)`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
  if (/[\u0000-\u001f\u007f]/.test(key) || xmlIllegalChar(key))
    return `key ${JSON.stringify(key.replace(/[^\x20-\x7e]/g, "?").slice(0, 40))} must not contain control or XML-illegal characters`;
  if (key.trim() !== key) return `key ${shown} must not start or end with a space`;
  if (key.includes(";")) return `key ${shown} must not contain ";" (vCD refuses it)`;
  if (/\/\.\.?\//.test(key) || /^\.\.?\//.test(key) || /\/\.\.?$/.test(key)) {
    return `key ${shown} must not contain "/./" or "/../", start with "./" or "../", or end with "/." or "/.." (vCD refuses them)`;
  }
  if (key.startsWith(RESERVED_METADATA_PREFIX))
    return `key ${shown} is reserved: vCD writes ${RESERVED_METADATA_PREFIX}* itself`;
  return undefined;
}

/** vCD's limits for one object's GENERAL metadata (Programming Guide 5.5, "vCloud API Object Metadata Limits"). */
export const METADATA_MAX_ENTRIES = 1024;
/** "The size of all Metadata for an object, computed as the sum of all Key and TypedValue UTF-8 strings … cannot exceed 128 KB." */
export const METADATA_MAX_BYTES = 128 * 1024;

const valueText = (v: unknown): string =>
  v && typeof v === "object" ? String((v as { dateTime?: unknown }).dateTime ?? "") : String(v);

const metadataSchema = z.record(z.string(), metadataValue).superRefine((rec, ctx) => {
  let bytes = 0;
  for (const [key, value] of Object.entries(rec)) {
    const problem = metadataKeyProblem(key);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: key });
    const text = valueText(value);
    bytes += Buffer.byteLength(key, "utf8") + Buffer.byteLength(text, "utf8");
    const bad = typeof value === "string" ? xmlIllegalChar(value) : undefined;
    // The value is never quoted: metadata may hold anything, and the message goes to logs.
    if (bad)
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `character ${bad.index} (${bad.codePoint}) is not allowed in XML 1.0, so vCD cannot store it`,
      });
  }
  const entries = Object.keys(rec).length;
  if (entries > METADATA_MAX_ENTRIES)
    ctx.addIssue({
      code: "custom",
      message: `has ${entries} entries; vCD allows at most ${METADATA_MAX_ENTRIES} per object`,
    });
  if (bytes > METADATA_MAX_BYTES) {
    ctx.addIssue({
      code: "custom",
      message: `keys and values take ${bytes} bytes (UTF-8); vCD allows at most ${METADATA_MAX_BYTES} (128 KB) per object`,
    });
  }
});

/**
 * How vCD stops the VMs when the vApp is powered off or deleted (UndeployPowerAction, vCD API UndeployVAppParams):
 * shutdown = guest shutdown through VMware Tools (falls back to powerOff when vCD reports it failed, e.g. no Tools);
 * powerOff = immediate power off; default = each VM's stop action from the vApp's StartupSection.
 */
export const undeployPowerActionSchema = z
  .enum(["shutdown", "powerOff", "default"], { error: "must be one of shutdown, powerOff, default" })
  .default("shutdown")
  .describe(
    "How the VMs stop on powerOn: false and on delete: shutdown (guest, then power off if that fails; default), powerOff or default (the vApp's StartupSection).",
  );

const specFields = {
  org: entityName("org name", 128).describe("Org of the vApp (creation only)."),
  vdc: entityName("org VDC name", 128).describe("Org VDC of the vApp (creation only)."),
  name: entityName("vApp name", 128)
    .optional()
    .describe(
      "vApp name; defaults to the resource name (with adopt: the adopted vApp's name). Renaming updates in place.",
    ),
  description: z
    .string({ error: "must be a string" })
    .default("")
    .describe("vApp description (with adopt, undeclared keeps the adopted vApp's)."),
  fenceMode: z
    .enum(["isolated", "direct", "bridged", "natRouted"], {
      error: "must be one of isolated, direct, bridged, natRouted",
    })
    .default("bridged")
    .describe("Fence mode of the vApp network (creation only)."),
  acceptAllEulas: z
    .boolean({ error: "must be true or false" })
    .default(true)
    .describe("Accept the template's EULAs (creation only)."),
  owner: z
    .string({ error: "must be a user name" })
    .min(1, { error: "must not be empty", abort: true })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, {
      error: "must be a vCD user name (letters, digits, . _ - @; no spaces)",
    })
    .optional()
    .describe("User of the vApp's org who owns it; unmanaged when omitted."),
  powerOn: z
    .boolean({ error: "must be true or false" })
    .default(false)
    .describe(
      "Power the vApp on (true) or keep it undeployed (false). With adopt, undeclared keeps the vApp's power state.",
    ),
  undeployPowerAction: undeployPowerActionSchema,
  leases: z
    .object(
      {
        deploymentSeconds: leaseSeconds.describe("Runtime lease in seconds: 0 = the org's value, else at least 3600."),
        storageSeconds: leaseSeconds.describe("Storage lease in seconds: 0 = the org's value, else at least 3600."),
      },
      { error: "must be { deploymentSeconds, storageSeconds }" },
    )
    .optional()
    .describe(
      "Runtime and storage leases in seconds; unmanaged when omitted. vCD reduces values above the org's maximum.",
    ),
  source: z
    .object(
      {
        catalog: entityName("catalog name", 128).describe("Catalog that holds the template."),
        template: entityName("template name", 128).describe("vApp template in that catalog."),
      },
      { error: "must be { catalog, template }" },
    )
    .optional()
    .describe("Catalog template to instantiate (creation only); omitted = an empty composed vApp."),
  network: entityName("org VDC network name", 128).optional().describe("Org VDC network to connect (creation only)."),
  metadata: metadataSchema
    .optional()
    .describe(
      "GENERAL-domain metadata, kept exactly as declared (keys vCD owns are left alone); unmanaged when omitted.",
    ),
};

type CrossFields = { powerOn?: boolean; source?: unknown; adopt?: string };
function crossFieldRules(v: CrossFields, ctx: z.RefinementCtx) {
  // An adopted vApp may have VMs whatever `source` says; its VMs are checked when it is read.
  if (v.powerOn && !v.source && !v.adopt) {
    ctx.addIssue({
      code: "custom",
      path: ["powerOn"],
      message: "an empty vApp (no source template) has no VMs that vCD could power on",
      input: v.powerOn,
    });
  }
}

/** The vApp as Kubernetes and Pulumi describe it, without credentials. */
export const vcdVappSpecSchema = z.object(specFields).superRefine(crossFieldRules);
const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
/**
 * Pulumi-only: take over an existing vApp at creation instead of composing one. The `import` resource option
 * cannot work with dynamic providers (the engine's Read carries no properties, so no provider code: pulumi/pulumi#16175).
 */
const adoptField = z
  .string({ error: "must be the href or URN of an existing vApp" })
  .regex(new RegExp(`^(https?://[^\\s]+/api/vApp/vapp-${UUID}|urn:vcloud:vapp:${UUID})$`), {
    error: "must be a vApp href (https://…/api/vApp/vapp-<uuid>) or URN (urn:vcloud:vapp:<uuid>)",
  })
  .optional()
  .describe(
    "Adopt this existing vApp (href or URN) instead of creating one; its declared properties are then applied.",
  );

export const vcdVappInputsSchema = z
  .object({ ...specFields, adopt: adoptField, connection: vcdConnectionSchema, timeouts: timeoutsSchema })
  .superRefine(crossFieldRules);

export type VcdConnectionArgs = z.input<typeof vcdConnectionSchema>;
export type VcdVappSpec = z.output<typeof vcdVappSpecSchema>;
export type VcdVappInputs = z.output<typeof vcdVappInputsSchema>;
export type MetadataValue = z.output<typeof metadataValue>;

export const vcdVappLeasesSchema = z.object({
  deploymentSeconds: z
    .number()
    .int()
    .optional()
    .describe("As declared (or as found when changed outside Pulumi); absent when unmanaged."),
  storageSeconds: z
    .number()
    .int()
    .optional()
    .describe("As declared (or as found when changed outside Pulumi); absent when unmanaged."),
  effectiveDeploymentSeconds: z
    .number()
    .int()
    .describe("What vCD applied (0 asks for the org's value; values above its maximum are reduced)."),
  effectiveStorageSeconds: z.number().int().describe("What vCD applied to the storage lease."),
  deploymentExpiration: z.string().optional().describe("Only while deployed."),
  storageExpiration: z.string().optional().describe("When the storage lease runs out (ISO 8601)."),
});
export type VcdVappLeases = z.infer<typeof vcdVappLeasesSchema>;

export const vcdVappStatusSchema = z.object({
  uuid: z.string().describe("URN of the vApp, urn:vcloud:vapp:<uuid>."),
  status: z
    .object({ code: z.number().int(), text: z.string() })
    .describe("vCD status code and name, e.g. 8 POWERED_OFF."),
  href: z.string(),
  vdcHref: z.string().optional(),
  owner: z.string().optional(),
  leases: vcdVappLeasesSchema.optional(),
  metadata: z
    .record(z.string(), metadataValue)
    .describe("The GENERAL read-write metadata (what this resource manages)."),
  expired: z.boolean().describe("The storage lease ran out: vCD refuses power operations until it is renewed."),
});
export type VcdVappStatus = z.infer<typeof vcdVappStatusSchema>;

export const vcdVappCrd: CrdDefinition = {
  group: "kvcd.lrivallain.dev",
  version: "v1",
  kind: "VcdVapp",
  plural: "vcdvapps",
  schema: vcdVappSpecSchema,
  status: vcdVappStatusSchema,
  printerColumns: [
    { name: "Org", type: "string", jsonPath: ".spec.org" },
    { name: "VDC", type: "string", jsonPath: ".spec.vdc" },
    { name: "Status", type: "string", jsonPath: ".status.status.text" },
    { name: "UUID", type: "string", jsonPath: ".status.uuid" },
  ],
};
