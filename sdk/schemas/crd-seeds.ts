// The VmGroup custom resources of the operators this kit follows, converted to ours. kopf-operator-vmworld
// (vsphere.vmware.com/v1alpha1, our group and version) and codeconnect-vm-operator (vm.codeconnect.vmworld.com/v1alpha1)
// both write `spec: {cpu, memory, template, replicas}` with memory in GB, and hard-code the datacenter in the operator
// (kopf: DATACENTER in controller.py) and the folder (kopf: one named after metadata.name). Our VmGroup states all of
// that in the spec, in MB (vSphere's unit, VirtualMachineConfigSpec.memoryMB): a `memory: 1` accepted as written would
// be ambiguous, so such a CR is refused by our CRD (unknown field spec.memory) and converted here instead.
import { vmGroupCrd, vmGroupSpecSchema } from "./vmgroup";

/** Group/versions whose VmGroup spec is `{cpu, memory (GB), template, replicas}`. */
export const SEED_VMGROUP_API_VERSIONS = [
  "vsphere.vmware.com/v1alpha1",
  "vm.codeconnect.vmworld.com/v1alpha1",
] as const;

export interface SeedVmGroupPlacement {
  /** Datacenter the seed operator had hard-coded (kopf: controller.py's DATACENTER). */
  datacenter: string;
  /** Folder below <datacenter>/vm; default metadata.name, where kopf puts the group's VMs. */
  folder?: string;
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

/**
 * A kopf-operator-vmworld or codeconnect-vm-operator VmGroup → this kit's VmGroup (vsphere.vmware.com/v1alpha1):
 * memoryMB = memory (GB) × 1024, datacenter and folder from `placement`, metadata (name, namespace, labels,
 * annotations) kept. Throws naming the field when the CR is not such a VmGroup or the result breaks our schema
 * (e.g. `cpu: 0`); fields other than cpu, memory, template and replicas are refused, not dropped.
 */
export function vmGroupFromSeed(cr: KubernetesObject, placement: SeedVmGroupPlacement): KubernetesObject {
  const where = `VmGroup ${cr.metadata?.name ?? "(no metadata.name)"}`;
  if (cr.kind !== "VmGroup" || !(SEED_VMGROUP_API_VERSIONS as readonly string[]).includes(cr.apiVersion)) {
    throw new Error(
      `${where}: apiVersion/kind must be one of ${SEED_VMGROUP_API_VERSIONS.join(", ")} VmGroup, not ${cr.apiVersion} ${cr.kind}`,
    );
  }
  if (!cr.metadata?.name) throw new Error(`${where}: metadata.name is required (it names the folder)`);
  const { cpu, memory, template, replicas, ...rest } = cr.spec ?? {};
  const extra = Object.keys(rest);
  if (extra.length)
    throw new Error(`${where}: spec.${extra[0]} is not a field of the seed VmGroup (cpu, memory, template, replicas)`);
  if (typeof memory !== "number" || !(memory > 0))
    throw new Error(`${where}: spec.memory must be a number of GB above 0`);
  const spec = {
    datacenter: placement.datacenter,
    folder: placement.folder ?? cr.metadata.name,
    template,
    replicas,
    cpu,
    memoryMB: Math.round(memory * 1024),
  };
  const parsed = vmGroupSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join(".") === "memoryMB" ? "memory" : issue.path.join(".");
    throw new Error(`${where}: spec.${field} ${issue.message}`);
  }
  const { name, namespace, labels, annotations } = cr.metadata;
  return {
    apiVersion: `${vmGroupCrd.group}/${vmGroupCrd.version}`,
    kind: "VmGroup",
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
    // Only the fields the seed stated: the API server applies the CRD's defaults (powerState, maxConcurrency).
    spec,
  };
}
