// sapcc vcenter-operator as a Pulumi program: vCenters discovered in DNS (TSIG-signed zone transfer), logged on to
// with Master Password credentials, their inventory rendered through VCenterTemplates, the result applied with
// @pulumi/kubernetes. Everything comes from stack config:
//   pulumi config set dnsServer 10.0.0.53              # or: pulumi config set vcenters vc-a-0.cc.qa-de-1.cloud.sap,...
//   pulumi config set zone cc.qa-de-1.cloud.sap
//   pulumi config set --secret tsigKey '<base64>'
//   pulumi config set vcenterUser vcenter-operator
//   pulumi config set --secret masterPassword '...'
//   pulumi config set namespace monsoon3
//   pulumi config set kubeconfig /etc/lab/kubeconfig     # optional: a kubeconfig file, or its text (--secret);
//                                                        # default: $KUBECONFIG or ~/.kube/config, as kubectl
//   pulumi config set skipAwait true                     # optional: don't wait for Deployments to roll out
//   pulumi config set renderYamlToDirectory ./rendered   # optional: write YAML instead of applying to a cluster
//   pulumi config set deployManifests false              # optional: render only (no Kubernetes provider needed)
// Optionally a VmGroup (vmware:vcenterUrl etc., as in examples/vmgroup) whose VM names reach the templates as
// `proxy_vms`.
import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  kubeconfigFromConfig,
  VCenterManifests,
  VCenterTemplate,
  vcenterTemplatesFromYaml,
  VmGroup,
} from "pulumi-vmware-kit";

const cfg = new pulumi.Config();
const vmware = new pulumi.Config("vmware");
const readFile = (file: string | undefined) => (file ? fs.readFileSync(file, "utf8") : undefined);

// An optional VM group on a vCenter given directly (not discovered).
const vcenterUrl = vmware.get("vcenterUrl");
const proxies = vcenterUrl
  ? new VmGroup("proxies", {
      connection: {
        url: vcenterUrl,
        username: vmware.require("vcenterUser"),
        password: vmware.requireSecret("vcenterPassword"),
        insecure: vmware.getBoolean("insecure"),
        ca: readFile(vmware.get("vcenterCaFile")),
      },
      datacenter: cfg.get("proxyDatacenter") ?? "DC0",
      template: cfg.get("proxyTemplate") ?? "DC0_H0_VM0",
      folder: cfg.get("proxyFolder") ?? "vcenter-operator-proxies",
      replicas: cfg.getNumber("proxyReplicas") ?? 1,
      cpu: 1,
      memoryMB: 512,
    })
  : undefined;

const staticVCenters = cfg.get("vcenters");
const vct = new VCenterTemplate("vcenter-operator", {
  discovery: staticVCenters
    ? { static: staticVCenters.split(",").map((s) => s.trim()) }
    : {
        dns: {
          server: cfg.require("dnsServer"),
          port: cfg.getNumber("dnsPort") ?? 53,
          zone: cfg.require("zone"),
          tsigKeyName: cfg.get("tsigKeyName") ?? "tsig-key",
          tsigKey: cfg.requireSecret("tsigKey"),
        },
      },
  credentials: {
    masterPassword: { username: cfg.require("vcenterUser"), password: cfg.requireSecret("masterPassword") },
  },
  templates: vcenterTemplatesFromYaml(fs.readFileSync(cfg.get("templatesFile") ?? "vcenter-templates.yaml", "utf8")),
  namespace: cfg.get("namespace") ?? "monsoon3",
  // `endpoints` maps FQDNs to SDK URLs where the vCenter is not at https://<fqdn>/sdk (tunnels, labs, simulators).
  endpoints: cfg.getObject<Record<string, string>>("endpoints"),
  ca: readFile(cfg.get("vcenterCaFile")),
  insecure: cfg.getBoolean("insecure"),
  cells: cfg.getObject<string[]>("cells"),
  // How many discovered vCenters/clusters may disappear at once before read/update refuse (README: prune guard).
  pruneGuard: cfg.getObject("pruneGuard"),
  variables: proxies ? { proxy_vms: proxies.vms.apply((vms) => vms.map((v) => v.name)) } : undefined,
});

if (cfg.getBoolean("deployManifests") ?? true) {
  const dir = cfg.get("renderYamlToDirectory");
  // ConfigMaps and Secrets are updated in place, as sapcc's operator does (kubectl apply), not replaced.
  const kubeconfig = dir ? undefined : kubeconfigFromConfig();
  const provider = new k8s.Provider("k8s", {
    ...(dir ? { renderYamlToDirectory: dir } : { kubeconfig }),
    enableConfigMapMutable: true,
    enableSecretMutable: true,
  });
  new VCenterManifests("vcenter-operator", {
    manifests: vct.manifests,
    templates: vct.templateNames,
    provider,
    // The same kubeconfig: lets `pulumi destroy` also remove objects whose apply answer was lost.
    kubeconfig,
    skipAwait: cfg.getBoolean("skipAwait"),
  });
}

export const vcenters = vct.vcenters;
export const manifestIds = vct.manifestIds;
export const warnings = vct.warnings;
export const inventory = vct.inventory;
