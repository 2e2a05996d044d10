// A Cloud Director vApp whose every property comes from stack config:
//   pulumi config set vcd:url https://vcd.example.com
//   pulumi config set vcd:org acme
//   pulumi config set vcd:user alice
//   pulumi config set --secret vcd:password '...'
//   pulumi config set vdc acme-vdc
//   pulumi config set template photon-5            # optional: omitted = an empty vApp
//   pulumi config set metadata '{"team":"web"}'    # optional
//   pulumi config set importHref https://vcd.example.com/api/vApp/vapp-...   # take over an existing vApp
//
// importHref is passed as the `adopt` input, not as the `import` resource option: Pulumi cannot import dynamic
// provider resources (its Read carries no properties, hence no provider code: pulumi/pulumi#16175). Adopting
// records the existing vApp at the first `up` and then applies the declared properties to it.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { VcdVapp } from "pulumi-vmware-kit";

const vcd = new pulumi.Config("vcd");
const cfg = new pulumi.Config();
const caFile = vcd.get("caFile");
const template = cfg.get("template");
const deploymentLease = cfg.getNumber("deploymentLease");
const storageLease = cfg.getNumber("storageLease");
const importHref = cfg.get("importHref");

const app = new VcdVapp(cfg.get("resourceName") ?? "app", {
  connection: {
    url: vcd.require("url"),
    org: vcd.require("org"),
    username: vcd.require("user"),
    password: vcd.requireSecret("password"),
    insecure: vcd.getBoolean("insecure"),
    allowHttp: vcd.getBoolean("allowHttp"), // plain http:// only by explicit opt-in (labs, the simulator)
    ca: caFile ? fs.readFileSync(caFile, "utf8") : undefined,
  },
  org: cfg.get("org") ?? vcd.require("org"),
  vdc: cfg.require("vdc"),
  name: cfg.get("name"),
  description: cfg.get("description"),
  owner: cfg.get("owner"),
  powerOn: cfg.getBoolean("powerOn"),
  leases:
    deploymentLease !== undefined || storageLease !== undefined
      ? { deploymentSeconds: deploymentLease ?? 0, storageSeconds: storageLease ?? 0 }
      : undefined,
  source: template ? { catalog: cfg.get("catalog") ?? "base", template } : undefined,
  network: cfg.get("network"),
  metadata: cfg.getObject<Record<string, string | number | boolean>>("metadata"),
  undeployPowerAction: cfg.get("undeployPowerAction") as "shutdown" | "powerOff" | "default" | undefined,
  adopt: importHref,
});

export const href = app.href;
export const uuid = app.uuid;
export const status = app.status;
export const owner = app.owner;
export const leases = app.leases;
export const metadata = app.metadata;
