// pulumi-vmware-kit: Pulumi resources for VMware. The plain clients they are built on are separate entry points:
// `pulumi-vmware-kit/vsphere`, `pulumi-vmware-kit/vcd` and `pulumi-vmware-kit/vcenter`, and so is each resource:
// `pulumi-vmware-kit/vmgroup`, `/vcdvapp`, `/vcentertemplate` (package.json `exports`).
//
// Importing the root loads VmGroup and VcdVapp only. The rest loads on first use: VCenterTemplate brings
// @pulumi/kubernetes, nunjucks and yaml, the kubeconfig helpers yaml, vmGroupFromSeed the zod schemas: ~340 modules
// and ~0.3 s that a VmGroup program would pay for nothing (bench/up.ts). Each getter is written out, not made in a
// loop, in the shape TypeScript gives a re-export (`Object.defineProperty(exports, name, { enumerable, get() {
// return module.name } })`): Node reads the names an ES module may import by name from this text.
import type * as kubeconfig from "./providers/kubernetes/kubeconfig";
import type * as vcentertemplate from "./providers/vcentertemplate";
import type * as kubeconfigSdk from "./sdk/kubernetes/kubeconfig";
import type * as seeds from "./sdk/schemas/crd-seeds";

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
export type { SeedVmGroupPlacement } from "./sdk/schemas/crd-seeds";

/** The exports of the module `load` requires, required on the first read of one of them. */
function onFirstUse<T extends object>(load: () => T): T {
  return new Proxy({} as T, { get: (_, key) => Reflect.get(load(), key) });
}
const vct = onFirstUse<typeof vcentertemplate>(() => require("./providers/vcentertemplate"));
const kc = onFirstUse<typeof kubeconfig>(() => require("./providers/kubernetes/kubeconfig"));
const kcSdk = onFirstUse<typeof kubeconfigSdk>(() => require("./sdk/kubernetes/kubeconfig"));
const crdSeeds = onFirstUse<typeof seeds>(() => require("./sdk/schemas/crd-seeds"));

/** See providers/vcentertemplate: vcenter-operator's templates rendered over every discovered vCenter. */
export declare const VCenterTemplate: typeof vcentertemplate.VCenterTemplate;
export type VCenterTemplate = vcentertemplate.VCenterTemplate;
Object.defineProperty(exports, "VCenterTemplate", {
  enumerable: true,
  get: function () {
    return vct.VCenterTemplate;
  },
});

/** See providers/vcentertemplate/manifests.ts: applies rendered manifests with @pulumi/kubernetes. */
export declare const VCenterManifests: typeof vcentertemplate.VCenterManifests;
export type VCenterManifests = vcentertemplate.VCenterManifests;
Object.defineProperty(exports, "VCenterManifests", {
  enumerable: true,
  get: function () {
    return vct.VCenterManifests;
  },
});

/** See providers/vcentertemplate/yaml.ts. */
export declare const vcenterTemplatesFromYaml: typeof vcentertemplate.vcenterTemplatesFromYaml;
Object.defineProperty(exports, "vcenterTemplatesFromYaml", {
  enumerable: true,
  get: function () {
    return vct.vcenterTemplatesFromYaml;
  },
});

/** See sdk/vcenter/annotation.ts. */
export declare const TEMPLATE_ANNOTATION: typeof vcentertemplate.TEMPLATE_ANNOTATION;
Object.defineProperty(exports, "TEMPLATE_ANNOTATION", {
  enumerable: true,
  get: function () {
    return vct.TEMPLATE_ANNOTATION;
  },
});

/** See providers/kubernetes/kubeconfig.ts. */
export declare const kubeconfigFromConfig: typeof kubeconfig.kubeconfigFromConfig;
Object.defineProperty(exports, "kubeconfigFromConfig", {
  enumerable: true,
  get: function () {
    return kc.kubeconfigFromConfig;
  },
});

/** See sdk/kubernetes/kubeconfig.ts. */
export declare const kubeconfigProblems: typeof kubeconfigSdk.kubeconfigProblems;
Object.defineProperty(exports, "kubeconfigProblems", {
  enumerable: true,
  get: function () {
    return kcSdk.kubeconfigProblems;
  },
});

/** Custom resources of the operators the kinds follow (kopf-operator-vmworld, codeconnect-vm-operator) → ours. */
export declare const vmGroupFromSeed: typeof seeds.vmGroupFromSeed;
Object.defineProperty(exports, "vmGroupFromSeed", {
  enumerable: true,
  get: function () {
    return crdSeeds.vmGroupFromSeed;
  },
});
