// VCenterTemplate: sapcc vcenter-operator's templates rendered over discovered vCenters' inventories.
// One schema feeds check(), the TypeScript argument types and crds/vcentertemplate.yaml (the CR describes ONE
// template, top level like sapcc's: `options` and `template`, no `spec`).
import * as net from "net";
import { z } from "zod";
import { endpointUrl, tlsFields, transportRules, timeoutsSchema } from "./common";
import type { CrdDefinition } from "./crd";
import { jinja2OptionErrors } from "../vcenter/jinja2-options";

const LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
const HOSTNAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`, "i");
const FQDN = new RegExp(`^${LABEL}(\\.${LABEL})+\\.?$`, "i");
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const K8S_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const fqdn = (what: string) =>
  z
    .string({ error: `must be the ${what}` })
    .max(253, { error: "must be at most 253 characters" })
    .regex(FQDN, {
      error: (iss) => `must be a fully qualified domain name (${what}), got ${JSON.stringify(iss.input)}`,
    });

const nonEmpty = (what: string) => z.string({ error: `must be the ${what}` }).min(1, { error: "must not be empty" });

// ---- the custom resource: one template ----

export const scopeSchema = z
  .enum(["cluster", "datacenter"], {
    error: (iss) => `must be "cluster" or "datacenter", got ${JSON.stringify(iss.input)}`,
  })
  .describe("cluster: rendered once per production cluster; datacenter: once per availability zone of each vCenter.");

export const vcenterTemplateCrSchema = z.object({
  options: z
    .object({
      scope: scopeSchema,
      jinja2_options: z
        .record(z.string(), z.any().meta({ "x-kubernetes-preserve-unknown-fields": true }))
        .superRefine((o, ctx) => {
          for (const [key, reason] of jinja2OptionErrors(o))
            ctx.addIssue({ code: "custom", path: [key], message: reason });
        })
        .optional()
        .describe(
          "Jinja Environment attributes for this template, e.g. variable_start_string: '{='. A key ending in _string must be one of the six delimiter attributes.",
        ),
    })
    .describe("How the template is rendered: its scope and Jinja options."),
  template: z
    .string({ error: "must be the template text" })
    .min(1, { error: "must not be empty" })
    .refine((s) => s.trim() !== "", { error: "must not be empty" })
    .describe("Jinja2 text rendering to one or more Kubernetes YAML documents."),
});

// ---- the Pulumi resource ----

export const vcenterTemplateItemSchema = vcenterTemplateCrSchema.extend({
  name: z
    .string({ error: "must be the template name" })
    .max(253, { error: "must be at most 253 characters" })
    .regex(K8S_NAME, {
      error: (iss) =>
        `must be a Kubernetes object name (lowercase letters, digits, '-', '.'), got ${JSON.stringify(iss.input)}`,
    })
    .describe("The VCenterTemplate's metadata.name; `render` refers to vcenter_<scope>/<namespace>/<name>.yaml.j2."),
});

const dnsServer = z
  .string({ error: "must be the DNS server's address" })
  .refine((s) => net.isIP(s) !== 0 || (s.length <= 253 && HOSTNAME.test(s)), {
    error: (iss) => `must be an IP address or host name (give the port separately), got ${JSON.stringify(iss.input)}`,
  });

const base64 = (what: string) =>
  nonEmpty(what).refine((s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && s.length % 4 === 0, {
    error: `must be the base64 ${what}`,
  });

/**
 * The hmac-sha256 TSIG secret (RFC 8945 §6 names hmac-sha256 as the algorithm to implement): at least 32 bytes, the
 * SHA-256 output length L, following RFC 2104 §3 ("less than L bytes is strongly discouraged as it would decrease the
 * security strength of the function"). BIND's `tsig-keygen -a hmac-sha256` makes 32-byte keys. Never echoed.
 */
export const TSIG_MIN_KEY_BYTES = 32;
const tsigSecret = base64("hmac-sha256 TSIG secret").superRefine((s, ctx) => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s) || s.length % 4 !== 0) return;
  const n = Buffer.from(s, "base64").length;
  if (n < TSIG_MIN_KEY_BYTES) {
    ctx.addIssue({
      code: "custom",
      message: `must be at least ${TSIG_MIN_KEY_BYTES} bytes once decoded (the HMAC-SHA256 output length; RFC 2104 §3), got ${n}; make one with \`tsig-keygen -a hmac-sha256\``,
    });
  }
});

export const discoverySchema = z
  .object({
    static: z
      .array(fqdn("vCenter FQDN"))
      .min(1, { error: "must list at least one vCenter" })
      .optional()
      .describe("Fixed vCenter FQDNs instead of DNS discovery."),
    dns: z
      .object({
        server: dnsServer.describe("Primary (e.g. Designate mDNS) that allows TSIG-signed zone transfers."),
        port: z
          .number({ error: "must be a port number" })
          .int({ error: "must be a whole number" })
          .min(1, { error: "must be 1..65535" })
          .max(65535, { error: "must be 1..65535" })
          .default(53)
          .describe("DNS port of the server."),
        zone: fqdn("zone").describe("The region's zone; vCenters are vc-<letters>-<digits>.<zone>."),
        tsigKeyName: nonEmpty("TSIG key name")
          .default("tsig-key")
          .describe("Name of the TSIG key (RFC 8945) the server knows."),
        tsigKey: tsigSecret.describe("base64 hmac-sha256 secret, at least 32 bytes decoded (RFC 2104 §3)."),
      })
      .optional()
      .describe("DNS discovery: a TSIG-signed SOA query and zone transfer (AXFR) of the zone."),
  })
  .refine((d) => (d.static === undefined) !== (d.dns === undefined), {
    error: "give exactly one of `static` or `dns`",
  });

const login = z.object({
  username: nonEmpty("user name").describe("vCenter user."),
  password: nonEmpty("password").describe("Password (or Master Password) of the user."),
});

export const credentialsSchema = z
  .object({
    masterPassword: login
      .optional()
      .describe(
        "sapcc's scheme: log on to each vCenter as `username` with the Master Password (long) derived for its FQDN.",
      ),
    perVCenter: z.record(fqdn("vCenter FQDN"), login).optional().describe("Explicit credentials per vCenter FQDN."),
  })
  .refine((c) => (c.masterPassword === undefined) !== (c.perVCenter === undefined), {
    error: "give exactly one of `masterPassword` or `perVCenter`",
  });

export const vcenterTemplateInputsSchema = z
  .object({
    discovery: discoverySchema,
    credentials: credentialsSchema,
    timeouts: timeoutsSchema,
    templates: z
      .array(vcenterTemplateItemSchema, { error: "must be a list of templates" })
      .min(1, { error: "must hold at least one template" }),
    namespace: z
      .string({ error: "must be the namespace" })
      .regex(K8S_LABEL, { error: (iss) => `must be a Kubernetes namespace name, got ${JSON.stringify(iss.input)}` })
      .describe("The VCenterTemplates' namespace: every rendered object is placed there."),
    variables: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Extra global context (sapcc's free-form Secret keys, e.g. pbm_enabled)."),
    domain: fqdn("region domain")
      .optional()
      .describe("The `domain` in the context; default: the DNS zone, or a static vCenter's domain."),
    cells: z
      .array(nonEmpty("nova cell name"))
      .optional()
      .describe("Nova cells (`cells` in the context); left undefined when absent."),
    pruneGuard: z
      .object({
        maxRemovedFraction: z
          .number({ error: "must be a number between 0 and 1" })
          .min(0, { error: "must be between 0 and 1" })
          .max(1, { error: "must be between 0 and 1" })
          .optional()
          .describe(
            "Share (0..1) of the previously seen vCenters, and separately of their production clusters, that may disappear in one read or update. Default 0.1.",
          ),
        allow: z
          .array(nonEmpty("vCenter FQDN or <vCenter FQDN>/<cluster name>"))
          .optional()
          .describe(
            "vCenter FQDNs (with their clusters) or `<vCenter FQDN>/<cluster name>` entries that may disappear whatever the share.",
          ),
      })
      .optional()
      .describe(
        "Refuses (at refresh/update) a shrink of the discovered vCenters or production clusters beyond maxRemovedFraction, and always an empty result, unless what disappeared is listed in `allow`: their Kubernetes objects would be deleted by the next `pulumi up`.",
      ),
    endpoints: z
      .record(fqdn("vCenter FQDN"), endpointUrl("vCenter SDK endpoint"))
      .optional()
      .describe("SDK URL per vCenter FQDN where it is not https://<fqdn>/sdk (tunnels, labs, simulators)."),
    ...tlsFields,
  })
  .superRefine((v, ctx) => {
    transportRules(
      v,
      Object.entries(v.endpoints ?? {}).map(([h, url]) => ({ path: ["endpoints", h], url })),
      ctx,
    );
    const seen = new Map<string, number>();
    if (!Array.isArray(v.templates)) return;
    v.templates.forEach((t, i) => {
      const first = seen.get(t.name);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["templates", i, "name"],
          message: `duplicate template name "${t.name}" (also templates[${first}])`,
        });
      else seen.set(t.name, i);
    });
    if (v.discovery?.static && v.endpoints) {
      const hosts = new Set(v.discovery.static.map((h) => h.toLowerCase().replace(/\.$/, "")));
      for (const h of Object.keys(v.endpoints)) {
        if (!hosts.has(h.toLowerCase().replace(/\.$/, "")))
          ctx.addIssue({ code: "custom", path: ["endpoints", h], message: "is not one of discovery.static" });
      }
    }
  });

export type VCenterTemplateCr = z.input<typeof vcenterTemplateCrSchema>;
export type VCenterTemplateItem = z.input<typeof vcenterTemplateItemSchema>;
export type VCenterTemplateInputsArgs = z.input<typeof vcenterTemplateInputsSchema>;
export type VCenterTemplateInputs = z.output<typeof vcenterTemplateInputsSchema>;

// ---- outputs (plain shapes, documented here next to the inputs) ----

// Plain shapes, in a module without zod so that the resource's public types never load zod's declarations.
export type {
  DiscoveredVCenters,
  VCenterInventory,
  VCenterInventoryCluster,
  VCenterInventoryDatacenter,
} from "./vcentertemplate-outputs";

export const vcenterTemplateCrd: CrdDefinition = {
  group: "vcenter-operator.stable.sap.cc",
  version: "v1",
  kind: "VCenterTemplate",
  // sapcc's CRD is vcenter-templates.vcenter-operator.stable.sap.cc: keep its plural, so existing CRs still match.
  plural: "vcenter-templates",
  singular: "vcentertemplate",
  shortNames: ["vct"],
  schema: vcenterTemplateCrSchema,
  topLevel: true,
};
