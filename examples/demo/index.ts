// The demo program behind the root Pulumi.yaml: VMware resources composed with Kubernetes objects.
//  - a VM group on vCenter, and a vApp on Cloud Director that records which group it fronts;
//  - sapcc's vcenter-operator as a VCenterTemplate over that vCenter's inventory (examples/vcenter's templates);
//  - on a Kubernetes cluster: a Namespace, a ConfigMap built from the VM group, and the rendered manifests.
// Stack `local` points at the embedded simulators and a local kube-apiserver (`npm run demo`); `dev`/`prod` at real
// endpoints:
//   pulumi stack init dev
//   pulumi config set vmware:vcenterUrl https://vcenter.example.com/sdk
//   pulumi config set vmware:vcenterUser administrator@vsphere.local
//   pulumi config set --secret vmware:vcenterPassword '...'
//   pulumi config set kubeconfig ./dev-kubeconfig          # or its text (--secret); default: $KUBECONFIG, ~/.kube/config
import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  kubeconfigFromConfig,
  VCenterManifests,
  VCenterTemplate,
  vcenterTemplatesFromYaml,
  VcdVapp,
  VmGroup,
} from "pulumi-vmware-kit";

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

// sapcc's vcenter-operator over the same vCenter, given statically (DNS discovery: see examples/vcenter). The FQDN is
// what the templates see as `host`; `endpoints` says where its SDK really is.
const fqdn = cfg.get("vcenterFqdn") ?? "vc-a-0.cc.qa-de-1.cloud.sap";
const namespaceName = cfg.get("namespace") ?? "vmware-demo";

// Kubernetes: the kubeconfig from stack config (a file, relative to the project root, or the text itself as a
// secret), else the ambient one ($KUBECONFIG, ~/.kube/config), as kubectl.
const kubeconfig = kubeconfigFromConfig("kubeconfig", projectRoot);
// ConfigMaps and Secrets are updated in place, as `kubectl apply` (and sapcc's operator) does, not replaced.
const cluster = new k8s.Provider("cluster", { kubeconfig, enableConfigMapMutable: true, enableSecretMutable: true });
// Readiness: the Kubernetes provider waits for Deployments to roll out; where nothing can run (the local API
// server has no nodes) `skipAwait: true` sets pulumi.com/skipAwait on the rendered objects instead.
const skipAwait = cfg.getBoolean("skipAwait") ?? false;

const ns = new k8s.core.v1.Namespace("demo", { metadata: { name: namespaceName } }, { provider: cluster });

// What the VM group is, for workloads in the cluster: replicas from config (so a plan shows the new number) and the
// VMs as vCenter reports them.
const replicas = cfg.getNumber("replicas") ?? 3;
const inventory = new k8s.core.v1.ConfigMap(
  "web-vms",
  {
    metadata: { name: "web-vms", namespace: ns.metadata.name },
    data: {
      replicas: String(replicas),
      folder: web.folderId,
      vms: web.vms.apply((vms) => vms.map((v) => `${v.name} ${v.moref} ${v.powerState}`).join("\n")),
      vapp: app.href,
    },
  },
  { provider: cluster },
);

const vct = new VCenterTemplate("vcenter-operator", {
  discovery: { static: [fqdn] },
  credentials: { perVCenter: { [fqdn]: { username: vcenter.username, password: vcenter.password } } },
  templates: vcenterTemplatesFromYaml(
    fs.readFileSync(path.join(projectRoot, "examples", "vcenter", "vcenter-templates.yaml"), "utf8"),
  ),
  namespace: ns.metadata.name,
  endpoints: { [fqdn]: vcenter.url },
  ca: vcenter.ca,
  insecure: vcenter.insecure,
});
const operatorObjects = new VCenterManifests(
  "vcenter-operator",
  { manifests: vct.manifests, templates: vct.templateNames, provider: cluster, kubeconfig, skipAwait },
  { dependsOn: [ns] },
);

export const webPhase = web.phase;
export const webVms = web.vms.apply((vms) =>
  vms.map((v) => `${v.name}: ${v.cpu} vCPU, ${v.memoryMB} MB, ${v.powerState} (${v.moref})`),
);
export const appHref = app.href;
export const appStatus = app.status.apply((s) => `${s.code} ${s.text}`);
export const appOwner = app.owner;
export const appMetadata = app.metadata;
export const kubernetesNamespace = ns.metadata.name;
export const webVmsConfigMap = pulumi.interpolate`${inventory.metadata.namespace}/${inventory.metadata.name}`;
export const vcenterOperatorManifests = vct.manifestIds;
export const vcenterOperatorGroups = operatorObjects.groups.length;
