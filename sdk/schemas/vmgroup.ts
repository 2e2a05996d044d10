// VmGroup: N identical VMs cloned from one template into one folder, scaled like a ReplicaSet.
// This schema is the single source for check(), the TypeScript argument types and crds/vmgroup.yaml.
import { z } from "zod";
import { httpUrl, tlsFields } from "./common";
import type { CrdDefinition } from "./crd";

export const vsphereConnectionSchema = z.object({
  url: httpUrl("vCenter SDK endpoint").describe("vCenter SDK endpoint, e.g. https://vcenter.example.com/sdk"),
  username: z.string({ error: "must be the vCenter user name" }).min(1, { error: "must not be empty" }).describe("vCenter user, e.g. administrator@vsphere.local."),
  password: z.string({ error: "must be the vCenter password" }).min(1, { error: "must not be empty" }).describe("Password of the vCenter user."),
  ...tlsFields,
});

const name = (what: string) =>
  z
    .string({ error: `must be the ${what}` })
    .min(1, { error: "must not be empty" })
    .max(80, { error: "must be at most 80 characters (vCenter's limit)" });

/** The group as Kubernetes and Pulumi describe it, without credentials. */
export const vmGroupSpecSchema = z.object({
  datacenter: name("datacenter name").describe("Datacenter that holds the template and the group."),
  template: name("template name or path").describe("VM or template to clone: a name searched under <datacenter>/vm, or a path below it."),
  replicas: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be 0 or more" })
    .max(1000, { error: "must be at most 1000" })
    .describe("Number of VMs in the group."),
  cpu: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number of vCPUs" })
    .min(1, { error: "must be at least 1" })
    .max(768, { error: "must be at most 768" })
    .describe("vCPUs per VM."),
  memoryMB: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number of MB" })
    .min(4, { error: "must be at least 4" })
    .multipleOf(4, { error: "must be a multiple of 4 MB (vSphere's granularity)" })
    .describe("Memory per VM in MB (a multiple of 4)."),
  folder: z
    .string({ error: "must be a folder path" })
    .regex(/^[^/]+(\/[^/]+)*$/, { error: "must be a folder name, optionally below a parent path (\"apps/web\"), without leading or trailing /" })
    .describe("Folder for the group below <datacenter>/vm; the last segment is created and owned by the group, the rest must exist. VMs are named <folder name>-<index>."),
  cluster: name("cluster name").optional().describe("Cluster whose root resource pool receives the VMs."),
  resourcePool: name("resource pool path").optional().describe("Resource pool path below the cluster (or <datacenter>/host)."),
  datastore: name("datastore name").optional().describe("Datastore for the clones (default: the template's)."),
  powerState: z.enum(["on", "off"], { error: 'must be "on" or "off"' }).default("on").describe("Desired power state of every VM."),
  maxConcurrency: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(64, { error: "must be at most 64" })
    .default(4)
    .describe("Clones and power operations in flight at once."),
});

export const vmGroupInputsSchema = vmGroupSpecSchema.extend({ connection: vsphereConnectionSchema });

export type VsphereConnectionArgs = z.input<typeof vsphereConnectionSchema>;
export type VmGroupSpec = z.output<typeof vmGroupSpecSchema>;
export type VmGroupInputs = z.output<typeof vmGroupInputsSchema>;

export const vmGroupVmSchema = z.object({
  name: z.string().describe("VM name, <folder name>-<index>."),
  moref: z.string().describe("Managed object id, e.g. vm-42."),
  instanceUuid: z.string().describe("vCenter instance UUID."),
  powerState: z.enum(["poweredOn", "poweredOff", "suspended"]).describe("Power state as vCenter reports it."),
  cpu: z.number().int().describe("vCPUs."),
  memoryMB: z.number().int().describe("Memory in MB."),
});
export type VmGroupVm = z.infer<typeof vmGroupVmSchema>;

export const vmGroupStatusSchema = z.object({
  phase: z.enum(["READY", "PENDING", "ERROR"]).describe("READY when every VM matches the spec."),
  currentReplicas: z.number().int(),
  desiredReplicas: z.number().int(),
  lastMessage: z.string(),
  folderId: z.string().describe("Managed object id of the group's folder."),
  vms: z.array(vmGroupVmSchema),
});
export type VmGroupStatus = z.infer<typeof vmGroupStatusSchema>;

export const vmGroupCrd: CrdDefinition = {
  group: "vsphere.vmware.com",
  version: "v1alpha1",
  kind: "VmGroup",
  plural: "vmgroups",
  shortNames: ["vg"],
  schema: vmGroupSpecSchema,
  status: vmGroupStatusSchema,
  printerColumns: [
    { name: "Template", type: "string", jsonPath: ".spec.template" },
    { name: "Desired", type: "integer", jsonPath: ".spec.replicas" },
    { name: "Available", type: "integer", jsonPath: ".status.currentReplicas" },
    { name: "Phase", type: "string", jsonPath: ".status.phase" },
  ],
  scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.currentReplicas" },
};
