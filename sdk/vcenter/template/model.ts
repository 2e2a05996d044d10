// VCenterTemplate's plain data: what is asked for (the inputs), what one pass observes, and the outputs made of it.
import type { VCenterTemplateInputs } from "../../schemas/vcentertemplate";
import type { DiscoveredVCenters, VCenterInventory } from "../../schemas/vcentertemplate-outputs";
import type { Manifest } from "../manifests";

/** The desired state: the validated inputs (sdk/schemas/vcentertemplate.ts) and the name messages use. */
export type TemplateSpec = VCenterTemplateInputs & { resourceName?: string };

/** What one pass reads and renders: discovery, every vCenter's inventory summary, the rendered manifests. */
export interface Observation {
  vcenters: DiscoveredVCenters;
  inventory: VCenterInventory[];
  /** Secret → ConfigMap → Deployment → others (sdk/vcenter/manifests.ts). */
  manifests: Manifest[];
  /** Object ids rendered more than once (duplicateWarnings). */
  warnings: string[];
}

/** The resource's outputs, as recorded: `manifests` are the objects with TEMPLATE_ANNOTATION set. */
export interface TemplateOutputs {
  vcenters: DiscoveredVCenters;
  inventory: VCenterInventory[];
  manifests: Record<string, unknown>[];
  /** `apiVersion/kind/namespace/name` of each manifest, same order. */
  manifestIds: string[];
  warnings: string[];
}

/** How a vCenter is logged on to. */
export interface Login {
  username: string;
  password: string;
}
