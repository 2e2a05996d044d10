// Generated from the zod schema of VCenterTemplate (sdk/schemas) by `npm run args`; do not edit.
import type * as pulumi from "@pulumi/pulumi";

/** The inputs of a VCenterTemplate. check() enforces the rules given here at `pulumi preview`. */
export interface VCenterTemplateArgs {
  /** Secret as a whole: encrypted in the state. */
  discovery: pulumi.Input<VCenterTemplateDiscoveryArgs>;
  /** Secret as a whole: encrypted in the state. */
  credentials: pulumi.Input<VCenterTemplateCredentialsArgs>;
  /**
   * How long create, update and delete may each take in all, as durations ("30m", "1h30m"); tasks still
   * running then are cancelled.
   */
  timeouts?: pulumi.Input<VCenterTemplateTimeoutsArgs>;
  /** At least 1 item. */
  templates: pulumi.Input<pulumi.Input<VCenterTemplateItemArgs>[]>;
  /** The VCenterTemplates' namespace: every rendered object is placed there. */
  namespace: pulumi.Input<string>;
  /** Extra global context (sapcc's free-form Secret keys, e.g. pbm_enabled). */
  variables?: pulumi.Input<{ [key: string]: pulumi.Input<unknown> }>;
  /**
   * The `domain` in the context; default: the DNS zone, or a static vCenter's domain. At most 253 characters.
   */
  domain?: pulumi.Input<string>;
  /** Nova cells (`cells` in the context); left undefined when absent. */
  cells?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Refuses (at refresh/update) a shrink of the discovered vCenters or production clusters beyond
   * maxRemovedFraction, and always an empty result, unless what disappeared is listed in `allow`: their
   * Kubernetes objects would be deleted by the next `pulumi up`.
   */
  pruneGuard?: pulumi.Input<VCenterTemplatePruneGuardArgs>;
  /** SDK URL per vCenter FQDN where it is not https://<fqdn>/sdk (tunnels, labs, simulators). */
  endpoints?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
  /** Skip TLS certificate verification (labs and simulators only); not together with `ca`. */
  insecure?: pulumi.Input<boolean>;
  /** PEM CA bundle to trust in addition to the system roots. */
  ca?: pulumi.Input<string>;
  /**
   * Accept http:// endpoints, which send the password unencrypted (labs only); off by default, and warned
   * about when on.
   */
  allowHttp?: pulumi.Input<boolean>;
}

/** Every input of a VCenterTemplate, as the resource reports it back (`vCenterTemplate.<input>`). */
export interface VCenterTemplateInputOutputs {
  /** Secret as a whole: encrypted in the state. */
  readonly discovery: pulumi.Output<VCenterTemplateDiscovery>;
  /** Secret as a whole: encrypted in the state. */
  readonly credentials: pulumi.Output<VCenterTemplateCredentials>;
  /**
   * How long create, update and delete may each take in all, as durations ("30m", "1h30m"); tasks still
   * running then are cancelled.
   */
  readonly timeouts: pulumi.Output<VCenterTemplateTimeouts | undefined>;
  /** At least 1 item. */
  readonly templates: pulumi.Output<VCenterTemplateItem[]>;
  /** The VCenterTemplates' namespace: every rendered object is placed there. */
  readonly namespace: pulumi.Output<string>;
  /** Extra global context (sapcc's free-form Secret keys, e.g. pbm_enabled). */
  readonly variables: pulumi.Output<{ [key: string]: unknown } | undefined>;
  /**
   * The `domain` in the context; default: the DNS zone, or a static vCenter's domain. At most 253 characters.
   */
  readonly domain: pulumi.Output<string | undefined>;
  /** Nova cells (`cells` in the context); left undefined when absent. */
  readonly cells: pulumi.Output<string[] | undefined>;
  /**
   * Refuses (at refresh/update) a shrink of the discovered vCenters or production clusters beyond
   * maxRemovedFraction, and always an empty result, unless what disappeared is listed in `allow`: their
   * Kubernetes objects would be deleted by the next `pulumi up`.
   */
  readonly pruneGuard: pulumi.Output<VCenterTemplatePruneGuard | undefined>;
  /** SDK URL per vCenter FQDN where it is not https://<fqdn>/sdk (tunnels, labs, simulators). */
  readonly endpoints: pulumi.Output<{ [key: string]: string } | undefined>;
  /** Skip TLS certificate verification (labs and simulators only); not together with `ca`. */
  readonly insecure: pulumi.Output<boolean | undefined>;
  /** PEM CA bundle to trust in addition to the system roots. */
  readonly ca: pulumi.Output<string | undefined>;
  /**
   * Accept http:// endpoints, which send the password unencrypted (labs only); off by default, and warned
   * about when on.
   */
  readonly allowHttp: pulumi.Output<boolean | undefined>;
}

export interface VCenterTemplateDiscoveryArgs {
  /** Fixed vCenter FQDNs instead of DNS discovery. At least 1 item. */
  static?: pulumi.Input<pulumi.Input<string>[]>;
  /** DNS discovery: a TSIG-signed SOA query and zone transfer (AXFR) of the zone. */
  dns?: pulumi.Input<VCenterTemplateDiscoveryDnsArgs>;
}

export interface VCenterTemplateDiscoveryDnsArgs {
  /** Primary (e.g. Designate mDNS) that allows TSIG-signed zone transfers. */
  server: pulumi.Input<string>;
  /** DNS port of the server. A whole number from 1 to 65535. Default: `53`. */
  port?: pulumi.Input<number>;
  /** The region's zone; vCenters are vc-<letters>-<digits>.<zone>. At most 253 characters. */
  zone: pulumi.Input<string>;
  /** Name of the TSIG key (RFC 8945) the server knows. Not empty. Default: `"tsig-key"`. */
  tsigKeyName?: pulumi.Input<string>;
  /**
   * base64 hmac-sha256 secret, at least 32 bytes decoded (RFC 2104 §3). Not empty. Secret: encrypted in the
   * state and never shown.
   */
  tsigKey: pulumi.Input<string>;
}

export interface VCenterTemplateDiscovery {
  /** Fixed vCenter FQDNs instead of DNS discovery. At least 1 item. */
  static?: string[];
  /** DNS discovery: a TSIG-signed SOA query and zone transfer (AXFR) of the zone. */
  dns?: VCenterTemplateDiscoveryDns;
}

export interface VCenterTemplateDiscoveryDns {
  /** Primary (e.g. Designate mDNS) that allows TSIG-signed zone transfers. */
  server: string;
  /** DNS port of the server. A whole number from 1 to 65535. Default: `53`. */
  port: number;
  /** The region's zone; vCenters are vc-<letters>-<digits>.<zone>. At most 253 characters. */
  zone: string;
  /** Name of the TSIG key (RFC 8945) the server knows. Not empty. Default: `"tsig-key"`. */
  tsigKeyName: string;
  /**
   * base64 hmac-sha256 secret, at least 32 bytes decoded (RFC 2104 §3). Not empty. Secret: encrypted in the
   * state and never shown.
   */
  tsigKey: string;
}

export interface VCenterTemplateCredentialsArgs {
  /**
   * sapcc's scheme: log on to each vCenter as `username` with the Master Password (long) derived for its
   * FQDN. Secret: encrypted in the state and never shown.
   */
  masterPassword?: pulumi.Input<VCenterLoginArgs>;
  /** Explicit credentials per vCenter FQDN. */
  perVCenter?: pulumi.Input<{ [key: string]: pulumi.Input<VCenterLoginArgs> }>;
}

export interface VCenterLoginArgs {
  /** vCenter user. Not empty. */
  username: pulumi.Input<string>;
  /** Password (or Master Password) of the user. Not empty. Secret: encrypted in the state and never shown. */
  password: pulumi.Input<string>;
}

export interface VCenterTemplateCredentials {
  /**
   * sapcc's scheme: log on to each vCenter as `username` with the Master Password (long) derived for its
   * FQDN. Secret: encrypted in the state and never shown.
   */
  masterPassword?: VCenterLogin;
  /** Explicit credentials per vCenter FQDN. */
  perVCenter?: { [key: string]: VCenterLogin };
}

export interface VCenterLogin {
  /** vCenter user. Not empty. */
  username: string;
  /** Password (or Master Password) of the user. Not empty. Secret: encrypted in the state and never shown. */
  password: string;
}

export interface VCenterTemplateTimeoutsArgs {
  /** How long a create may take in all, 1s to 168h (default: no overall limit). */
  create?: pulumi.Input<string>;
  /** How long an update may take in all, 1s to 168h (default: no overall limit). */
  update?: pulumi.Input<string>;
  /** How long a delete may take in all, 1s to 168h (default: no overall limit). */
  delete?: pulumi.Input<string>;
}

export interface VCenterTemplateTimeouts {
  /** How long a create may take in all, 1s to 168h (default: no overall limit). */
  create?: string;
  /** How long an update may take in all, 1s to 168h (default: no overall limit). */
  update?: string;
  /** How long a delete may take in all, 1s to 168h (default: no overall limit). */
  delete?: string;
}

export interface VCenterTemplateItemArgs {
  /** How the template is rendered: its scope and Jinja options. */
  options: pulumi.Input<VCenterTemplateOptionsArgs>;
  /** Jinja2 text rendering to one or more Kubernetes YAML documents. Not empty. */
  template: pulumi.Input<string>;
  /**
   * The VCenterTemplate's metadata.name; `render` refers to vcenter_<scope>/<namespace>/<name>.yaml.j2. At
   * most 253 characters.
   */
  name: pulumi.Input<string>;
}

export interface VCenterTemplateOptionsArgs {
  /**
   * cluster: rendered once per production cluster; datacenter: once per availability zone of each vCenter.
   */
  scope: pulumi.Input<"cluster" | "datacenter">;
  /**
   * Jinja Environment attributes for this template, e.g. variable_start_string: '{='. A key ending in _string
   * must be one of the six delimiter attributes.
   */
  jinja2_options?: pulumi.Input<{ [key: string]: pulumi.Input<unknown> }>;
}

export interface VCenterTemplateItem {
  /** How the template is rendered: its scope and Jinja options. */
  options: VCenterTemplateOptions;
  /** Jinja2 text rendering to one or more Kubernetes YAML documents. Not empty. */
  template: string;
  /**
   * The VCenterTemplate's metadata.name; `render` refers to vcenter_<scope>/<namespace>/<name>.yaml.j2. At
   * most 253 characters.
   */
  name: string;
}

export interface VCenterTemplateOptions {
  /**
   * cluster: rendered once per production cluster; datacenter: once per availability zone of each vCenter.
   */
  scope: "cluster" | "datacenter";
  /**
   * Jinja Environment attributes for this template, e.g. variable_start_string: '{='. A key ending in _string
   * must be one of the six delimiter attributes.
   */
  jinja2_options?: { [key: string]: unknown };
}

export interface VCenterTemplatePruneGuardArgs {
  /**
   * Share (0..1) of the previously seen vCenters, and separately of their production clusters, that may
   * disappear in one read or update. Default 0.1. A number from 0 to 1.
   */
  maxRemovedFraction?: pulumi.Input<number>;
  /**
   * vCenter FQDNs (with their clusters) or `<vCenter FQDN>/<cluster name>` entries that may disappear
   * whatever the share.
   */
  allow?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface VCenterTemplatePruneGuard {
  /**
   * Share (0..1) of the previously seen vCenters, and separately of their production clusters, that may
   * disappear in one read or update. Default 0.1. A number from 0 to 1.
   */
  maxRemovedFraction?: number;
  /**
   * vCenter FQDNs (with their clusters) or `<vCenter FQDN>/<cluster name>` entries that may disappear
   * whatever the share.
   */
  allow?: string[];
}
