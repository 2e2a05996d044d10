// pulumi-vmware-kit: Pulumi resources for VMware. The plain clients they are built on are separate entry points:
// `pulumi-vmware-kit/vsphere`, `pulumi-vmware-kit/vcd` and `pulumi-vmware-kit/vcenter` (package.json `exports`).
export { VmGroup } from "./providers/vmgroup";
export type {
  VmGroupArgs,
  VmGroupDrift,
  VmGroupInputOutputs,
  VmGroupVm,
  VsphereConnection,
  VsphereConnectionArgs,
} from "./providers/vmgroup";
export { VcdVapp } from "./providers/vcdvapp";
export type {
  VcdConnection,
  VcdConnectionArgs,
  VcdVappArgs,
  VcdVappInputOutputs,
  VcdVappLeases,
  VcdVappLeasesArgs,
  VcdVappSource,
  VcdVappSourceArgs,
} from "./providers/vcdvapp";
export {
  VCenterTemplate,
  VCenterManifests,
  vcenterTemplatesFromYaml,
  TEMPLATE_ANNOTATION,
} from "./providers/vcentertemplate";
export type {
  VCenterManifestsArgs,
  VCenterLogin,
  VCenterLoginArgs,
  VCenterTemplateArgs,
  VCenterTemplateCredentials,
  VCenterTemplateCredentialsArgs,
  VCenterTemplateDiscovery,
  VCenterTemplateDiscoveryArgs,
  VCenterTemplateDiscoveryDns,
  VCenterTemplateDiscoveryDnsArgs,
  VCenterTemplateInputOutputs,
  VCenterTemplateItem,
  VCenterTemplateItemArgs,
  VCenterTemplateOptions,
  VCenterTemplateOptionsArgs,
} from "./providers/vcentertemplate";
export type {
  DiscoveredVCenters,
  VCenterInventory,
  VCenterInventoryCluster,
  VCenterInventoryDatacenter,
} from "./sdk/schemas/vcentertemplate-outputs";
export { kubeconfigFromConfig } from "./providers/kubernetes/kubeconfig";
export { kubeconfigProblems } from "./sdk/kubernetes/kubeconfig";
// Custom resources of the operators the kinds follow (kopf-operator-vmworld, codeconnect-vm-operator) → ours.
export { vmGroupFromSeed } from "./sdk/schemas/crd-seeds";
export type { SeedVmGroupPlacement } from "./sdk/schemas/crd-seeds";
