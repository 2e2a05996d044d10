// A VM group whose size and shape come from stack config:
//   pulumi config set vmware:vcenterUrl https://vcenter.example.com/sdk
//   pulumi config set vmware:vcenterUser administrator@vsphere.local
//   pulumi config set --secret vmware:vcenterPassword '...'
//   pulumi config set replicas 5
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { VmGroup } from "pulumi-vmware-kit";

const vmware = new pulumi.Config("vmware");
const cfg = new pulumi.Config();
const caFile = vmware.get("vcenterCaFile");

const group = new VmGroup(cfg.get("name") ?? "web", {
  connection: {
    url: vmware.require("vcenterUrl"),
    username: vmware.require("vcenterUser"),
    password: vmware.requireSecret("vcenterPassword"),
    insecure: vmware.getBoolean("insecure"),
    ca: caFile ? fs.readFileSync(caFile, "utf8") : undefined,
  },
  datacenter: cfg.get("datacenter") ?? "DC0",
  template: cfg.get("template") ?? "DC0_H0_VM0",
  folder: cfg.get("folder") ?? "web",
  replicas: cfg.getNumber("replicas") ?? 3,
  cpu: cfg.getNumber("cpu") ?? 2,
  memoryMB: cfg.getNumber("memoryMB") ?? 1024,
  // Left out: "on"; with adopt, left out means every adopted VM keeps its power state.
  powerState: cfg.get("powerState") as "on" | "off" | undefined,
  maxConcurrency: cfg.getNumber("maxConcurrency") ?? 4,
  // Power cycles (cpu/memory changes without hot add) roll this many VMs at a time.
  maxUnavailable: cfg.getNumber("maxUnavailable") ?? 1,
  // Guest shutdown first, hard power-off after this many seconds.
  shutdownTimeoutSeconds: cfg.getNumber("shutdownTimeoutSeconds") ?? 180,
  // Take over an existing folder and the VMs in the group's slots; `preview --diff` shows plannedAdoption.
  adopt: cfg.getBoolean("adopt") ?? false,
});

export const phase = group.phase;
export const currentReplicas = group.currentReplicas;
export const folderId = group.folderId;
export const vms = group.vms;
export const drift = group.drift;
export const lastMessage = group.lastMessage;
