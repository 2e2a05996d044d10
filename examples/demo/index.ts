// The demo program behind the root Pulumi.yaml: a VM group on vCenter next to a vApp on Cloud Director that
// records which group it fronts.
// Stack `local` points at the embedded simulators (`npm run demo`); `dev`/`prod` at real endpoints:
//   pulumi stack init dev
//   pulumi config set vmware:vcenterUrl https://vcenter.example.com/sdk
//   pulumi config set vmware:vcenterUser administrator@vsphere.local
//   pulumi config set --secret vmware:vcenterPassword '...'
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { VcdVapp, VmGroup } from "pulumi-vmware-kit";

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

const vcd = new pulumi.Config("vcd");
const app = new VcdVapp("app", {
  connection: {
    url: vcd.require("url"),
    org: vcd.require("org"),
    username: vcd.require("user"),
    password: vcd.requireSecret("password"),
    ca: readCa(vcd.get("caFile")),
  },
  org: vcd.require("org"),
  vdc: cfg.get("vdc") ?? "acme-vdc",
  description: "frontend",
  owner: "bob",
  source: { catalog: "base", template: cfg.get("vappTemplate") ?? "photon-5" },
  powerOn: true,
  leases: { deploymentSeconds: 0, storageSeconds: 0 },
  metadata: { team: "web", vmGroupFolder: web.folderId, replicas: web.currentReplicas },
});

export const webPhase = web.phase;
export const webVms = web.vms.apply((vms) => vms.map((v) => `${v.name}: ${v.cpu} vCPU, ${v.memoryMB} MB, ${v.powerState} (${v.moref})`));
export const appHref = app.href;
export const appStatus = app.status.apply((s) => `${s.code} ${s.text}`);
export const appOwner = app.owner;
export const appMetadata = app.metadata;
