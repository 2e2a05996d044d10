// The demo program behind the root Pulumi.yaml: a VM group on vCenter next to a vApp on Cloud Director.
// Stack `local` points at the embedded simulators (`npm run demo`); `dev`/`prod` at real endpoints:
//   pulumi stack init dev
//   pulumi config set vmware:vcenterUrl https://vcenter.example.com/sdk
//   pulumi config set vmware:vcenterUser administrator@vsphere.local
//   pulumi config set --secret vmware:vcenterPassword '...'
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { VmGroup } from "pulumi-vmware-kit";

const cfg = new pulumi.Config();
const vmware = new pulumi.Config("vmware");
// Relative CA paths are relative to the project root (where Pulumi.yaml and Pulumi.<stack>.yaml live).
const projectRoot = path.resolve(__dirname, "..", "..");
const readCa = (file?: string) => (file ? fs.readFileSync(path.resolve(projectRoot, file), "utf8") : undefined);

const vcenter = {
  url: vmware.require("vcenterUrl"),
  username: vmware.require("vcenterUser"),
  password: vmware.requireSecret("vcenterPassword"),
  insecure: vmware.getBoolean("insecure"),
  ca: readCa(vmware.get("vcenterCaFile")),
};

const web = new VmGroup("web", {
  connection: vcenter,
  datacenter: cfg.get("datacenter") ?? "DC0",
  template: cfg.get("template") ?? "DC0_H0_VM0",
  folder: cfg.get("folder") ?? "demo-web",
  replicas: cfg.getNumber("replicas") ?? 3,
  cpu: cfg.getNumber("cpu") ?? 2,
  memoryMB: cfg.getNumber("memoryMB") ?? 1024,
});

export const webPhase = web.phase;
export const webVms = web.vms.apply((vms) => vms.map((v) => `${v.name}: ${v.cpu} vCPU, ${v.memoryMB} MB, ${v.powerState} (${v.moref})`));
