// The CRDs this kit publishes, rendered to YAML: file name → content.
import { renderCrd, CrdDefinition } from "./crd";
import { stringifyKubernetesYaml } from "./crd-yaml";
import { vmGroupCrd } from "./vmgroup";
import { vcenterTemplateCrd } from "./vcentertemplate";
import { vcdVappCrd } from "./vcdvapp";

const DEFINITIONS: Record<string, CrdDefinition> = {
  "vmgroup.yaml": vmGroupCrd,
  "vcentertemplate.yaml": vcenterTemplateCrd,
  "vcdvapp.yaml": vcdVappCrd,
};

export function allCrds(): Record<string, string> {
  const header = "# Generated from sdk/schemas by `npm run crds`; do not edit.\n";
  return Object.fromEntries(
    Object.entries(DEFINITIONS).map(([file, def]) => [file, header + stringifyKubernetesYaml(renderCrd(def))]),
  );
}
