// pulumi-vmware-kit: Pulumi resources for VMware, plus the clients they are built on.
export { VmGroup, VmGroupArgs } from "./providers/vmgroup";
export { VcdVapp, VcdVappArgs } from "./providers/vcdvapp";
export { VCenterTemplate, VCenterTemplateArgs, VCenterManifests, VCenterManifestsArgs, vcenterTemplatesFromYaml, TEMPLATE_ANNOTATION } from "./providers/vcentertemplate";
export { kubeconfigFromConfig } from "./providers/kubernetes/kubeconfig";
export { kubeconfigProblems } from "./sdk/kubernetes/kubeconfig";
// Custom resources of the operators the kinds follow (kopf-operator-vmworld, codeconnect-vm-operator) → ours.
export { vmGroupFromSeed, SeedVmGroupPlacement } from "./sdk/schemas/crd-seeds";
