// sapcc vcenter-operator's core as a library (`pulumi-vmware-kit/vcenter`): discover vCenters, derive their
// Master Password credentials, collect their inventory and render templates over it. Only what a script needs;
// the steps in between (conventions, TSIG wire format, manifest ordering) stay inside their modules.
export { discoverFromDns, discoverStatic, VCENTER_LABEL } from "./discovery";
export type { DiscoveryResult, DiscoveryState, DnsDiscoveryOptions } from "./discovery";
export { derivePassword, MasterPassword } from "./masterpassword";
export type { TemplateName } from "./masterpassword";
export { collectInventory } from "./inventory";
export type { Inventory, InventoryCluster, InventoryDatacenter, VCenterOptions, GlobalOptions } from "./conventions";
export { TemplateSet, TemplateRenderError } from "./templates";
export { templateFromResource } from "./template/resource";
export type { RenderContext, Scope, VCenterTemplateSource } from "./templates";
export { renderAll } from "./render";
export type { RenderAllResult, RenderedVCenter } from "./render";
export type { DuplicateManifest, Manifest, ManifestId } from "./manifests";
export { DnsTransferError, querySoaSerial, transferZone } from "./dns/axfr";
export type { DnsEndpoint, DnsRecord, TransferOptions } from "./dns/axfr";
export { TsigError } from "./dns/tsig";
export type { TsigKey } from "./dns/tsig";
export { renderAllIsolated, stopRenderWorker, DEFAULT_ISOLATE_LIMITS } from "./isolate";
export type { IsolateLimits } from "./isolate";
export { RenderLimitError, TemplateSecurityError } from "./nunjucks-compat";
