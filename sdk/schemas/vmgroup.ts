// VmGroup: N identical VMs cloned from one template into one folder, scaled like a ReplicaSet.
// This schema is the single source for check(), the TypeScript argument types and crds/vmgroup.yaml.
import { z } from "zod";
import { endpointUrl, tlsFields, transportRules, timeoutsSchema } from "./common";
import { escapeEntityName } from "../vsphere/vmgroup/names";
import type { CrdDefinition } from "./crd";

export const vsphereConnectionSchema = z
  .object({
    url: endpointUrl("vCenter SDK endpoint").describe(
      "vCenter SDK endpoint, e.g. https://vcenter.example.com/sdk; changing it replaces the group.",
    ),
    username: z
      .string({ error: "must be the vCenter user name" })
      .min(1, { error: "must not be empty" })
      .describe("vCenter user, e.g. administrator@vsphere.local."),
    password: z
      .string({ error: "must be the vCenter password" })
      .min(1, { error: "must not be empty" })
      .describe("Password of the vCenter user."),
    ...tlsFields,
  })
  .superRefine((v, ctx) => transportRules(v, [{ path: ["url"], url: v.url }], ctx));

/**
 * vCenter's entity name rule (vSphere API, Folder.CreateFolder): "An entity name must be a non-empty string of less
 * than 80 characters. The slash (/), backslash (\) and percent (%) will be escaped using the URL syntax." The
 * length is counted as vCenter stores the name, escapes included.
 */
export const MAX_ENTITY_NAME = 79;

/** Length as vCenter stores the name: its escapes count (sdk/vsphere/vmgroup/names.ts, a pure module). */
const escapedLength = (name: string) => escapeEntityName(name).length;

/** Why one name (or path segment) is not usable in vCenter, or undefined. */
function segmentProblem(segment: string): string | undefined {
  if (segment === "") return "must not have an empty segment";
  if (segment === "." || segment === "..")
    return `must not have a "${segment}" segment (names are not resolved like file paths)`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(segment)) return "must not contain control characters";
  if (segment !== segment.trim()) return "must not start or end with a space";
  if (escapedLength(segment) > MAX_ENTITY_NAME)
    return `must be less than 80 characters per name (vCenter's limit; "/", "\\" and "%" count 3)`;
  return undefined;
}

/** A name, or a path of names separated by "/" when `path` is set. */
const name = (what: string, path = false) =>
  z
    .string({ error: `must be the ${what}` })
    .min(1, { error: "must not be empty" })
    .superRefine((s, ctx) => {
      for (const seg of path ? s.split("/") : [s]) {
        const problem = segmentProblem(seg);
        if (problem) return void ctx.addIssue({ code: "custom", message: problem, input: s });
      }
    });

/** vSphere 8.0 Configuration Maximums, Virtual Machine Maximums: 24 TB of memory per VM (hardware version 20). */
export const MAX_MEMORY_MB = 24 * 1024 * 1024;

/** The group as Kubernetes and Pulumi describe it, without credentials. */
export const vmGroupSpecSchema = z.object({
  datacenter: name("datacenter name", true).describe("Datacenter that holds the template and the group."),
  template: name("template name or path", true).describe(
    "VM or template to clone: a name searched under <datacenter>/vm, or a path below it.",
  ),
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
    .max(MAX_MEMORY_MB, { error: `must be at most ${MAX_MEMORY_MB} (24 TB, vSphere 8's maximum per VM)` })
    .multipleOf(4, { error: "must be a multiple of 4 MB (vSphere's granularity)" })
    .describe("Memory per VM in MB (a multiple of 4, at most 24 TB)."),
  folder: z
    .string({ error: "must be a folder path" })
    .regex(/^[^/]+(\/[^/]+)*$/, {
      error: 'must be a folder name, optionally below a parent path ("apps/web"), without leading or trailing /',
    })
    .superRefine((s, ctx) => {
      // Empty segments are the regex's to report.
      for (const seg of s.split("/").filter(Boolean)) {
        const problem = segmentProblem(seg);
        if (problem) return void ctx.addIssue({ code: "custom", message: problem, input: s });
      }
    })
    .describe(
      "Folder for the group below <datacenter>/vm; the last segment is created and owned by the group, the rest must exist. VMs are named <folder name>-<index>.",
    ),
  cluster: name("cluster name").optional().describe("Cluster whose root resource pool receives the VMs."),
  resourcePool: name("resource pool path", true)
    .optional()
    .describe("Resource pool path below the cluster (or <datacenter>/host)."),
  datastore: name("datastore name").optional().describe("Datastore for the clones (default: the template's)."),
  powerState: z
    .enum(["on", "off"], { error: 'must be "on" or "off"' })
    .optional()
    .describe(
      'Desired power state of every VM (default "on"; with adopt, left out means every VM keeps its power state).',
    ),
  maxConcurrency: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(64, { error: "must be at most 64" })
    .default(4)
    .describe("Clones and power operations in flight at once."),
  maxUnavailable: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(64, { error: "must be at most 64" })
    .default(1)
    .describe(
      "VMs powered down at once for a cpu/memory change that needs a power cycle (rolled, like a Deployment's maxUnavailable).",
    ),
  shutdownTimeoutSeconds: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number of seconds" })
    .min(0, { error: "must be 0 or more" })
    .max(3600, { error: "must be at most 3600" })
    .default(180)
    .describe(
      "Seconds a guest shutdown (VMware Tools) may take before the VM is powered off hard; 0 powers off at once. Default 180, as terraform-provider-vsphere's shutdown_wait_timeout.",
    ),
  adopt: z
    .boolean({ error: "must be true or false" })
    .default(false)
    .describe(
      "At create, take over an existing folder and the unmarked VMs in the group's slots (<folder>-<index> below replicas); preview lists every change it makes. Without it, create refuses anything it did not create.",
    ),
});

/** The longest VM name the group would create, `<folder name>-<replicas - 1>`, within vCenter's limit. */
function vmNamesFit(v: { folder?: unknown; replicas?: unknown }, ctx: z.RefinementCtx) {
  if (typeof v.folder !== "string" || typeof v.replicas !== "number" || v.replicas < 1) return;
  const last = v.folder.split("/").pop()!;
  const longest = `${last}-${v.replicas - 1}`;
  const length = escapedLength(longest);
  if (length > MAX_ENTITY_NAME) {
    ctx.addIssue({
      code: "custom",
      path: ["folder"],
      input: v.folder,
      message: `makes VM names too long: "${longest}" has ${length} characters, vCenter allows less than 80; shorten the folder's last segment`,
    });
  }
}

export const vmGroupInputsSchema = vmGroupSpecSchema
  .extend({
    connection: vsphereConnectionSchema,
    timeouts: timeoutsSchema,
    owner: z
      .string()
      .optional()
      .describe("Owner id written into the markers: the resource's URN (set by the VmGroup class)."),
    plannedAdoption: z
      .array(z.string())
      .optional()
      .describe("Set by check() with adopt: what the adoption will change."),
  })
  .superRefine(vmNamesFit);

export type VsphereConnectionArgs = z.input<typeof vsphereConnectionSchema>;
export type VmGroupSpec = z.output<typeof vmGroupSpecSchema>;
export type VmGroupInputs = z.output<typeof vmGroupInputsSchema>;

export const vmGroupVmSchema = z.object({
  name: z.string().describe("VM name, <folder name>-<index>."),
  index: z.number().int().describe("The VM's index in the group (its name was <folder>-<index> when created)."),
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
  folderCreated: z.boolean().describe("The group created its folder (it removes it when empty); false when adopted."),
  owner: z.string().describe("Owner id in the markers on the group's VMs and folder."),
  vms: z.array(vmGroupVmSchema),
  drift: z
    .object({
      folder: z
        .object({ renamedTo: z.string().describe("The folder's name now (it was renamed outside Pulumi).") })
        .optional()
        .describe("The group's folder, when renamed outside Pulumi."),
      vms: z
        .record(
          z.string(),
          z.object({
            cpu: z.number().int().optional().describe("vCPUs found, when not as declared."),
            memoryMB: z.number().int().optional().describe("Memory found in MB, when not as declared."),
            powerState: z
              .enum(["poweredOn", "poweredOff", "suspended"])
              .optional()
              .describe("Power state found, when not as declared."),
            renamedTo: z
              .string()
              .optional()
              .describe("The VM's name now: renamed outside Pulumi (still the group's, by UUID)."),
            movedTo: z.string().optional().describe("The folder the VM was moved to outside Pulumi."),
            deleted: z.boolean().optional().describe("The VM is gone (deleted outside Pulumi)."),
            released: z
              .boolean()
              .optional()
              .describe("Its ownership marker was removed: the group let it go and leaves it as is."),
          }),
        )
        .optional()
        .describe("By VM name: what was found to differ from the spec."),
    })
    .optional()
    .describe(
      "Per-VM differences from the spec found by the last read (observed values), and renames or moves outside Pulumi.",
    ),
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
