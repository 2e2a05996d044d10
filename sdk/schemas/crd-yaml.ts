// YAML for Kubernetes. Kubernetes tooling reads YAML 1.1 (sigs.k8s.io/yaml over go-yaml v2, PyYAML, kubectl), where
// plain `on`, `off`, `y`, `no`, `0755` or `60:30` are booleans and numbers; yaml@2 writes YAML 1.2, where they are
// strings. The `compat` option quotes every scalar whose meaning differs, so the text means the same under both.
import { stringify } from "yaml";

/** `value` as YAML that parses to the same data under YAML 1.1 and 1.2 (long lines are not folded). */
export function stringifyKubernetesYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, compat: "yaml-1.1" });
}
