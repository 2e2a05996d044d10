// VCenterManifests under pulumi.runtime.setMocks: which Kubernetes groups it registers, in which order, with
// which dependencies, and that every group's objects stay secret. (Applying them for real, with the Kubernetes
// provider and a kube-apiserver: test/engine/kube-vcenter.test.ts.)
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

interface Registration {
  type: string;
  name: string;
  inputs: any;
  dependencies: string[];
  urn: string;
}

const manifests = [
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "nova-compute-bb1", namespace: "monsoon3" } },
  { apiVersion: "v1", kind: "Service", metadata: { name: "nova-compute-bb1", namespace: "monsoon3" } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "nova-compute-vmware-bb1", namespace: "monsoon3" } },
  {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "volume-vmware-vc-a-0", namespace: "monsoon3" },
    data: { "cinder-volume.conf": "cGFzc3dvcmQ=" },
  },
  {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "neutron-nsxv3-bb1", namespace: "monsoon3" },
    stringData: { password: "Derived1!Pass" },
  },
];

const TEMPLATE = "vcenter-operator.stable.sap.cc/template";
const byTemplate: Record<string, string> = {
  Secret: "t-config",
  ConfigMap: "t-config",
  Deployment: "t-deploy",
  Service: "t-deploy",
};
const annotated = manifests.map((m) => ({
  ...m,
  metadata: { ...m.metadata, annotations: { [TEMPLATE]: byTemplate[m.kind] } },
}));

describe("VCenterManifests (pulumi mocks)", () => {
  const regs: Registration[] = [];
  let noSweeper: unknown = "not set";
  const SWEEPER = "pulumi-nodejs:dynamic/vmware:ManifestSweeper";

  before(async () => {
    const pending = new Map<string, string[]>();
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          regs.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs,
            dependencies: pending.get(args.name) ?? [],
            urn: "",
          });
          return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "project",
      "stack",
      false,
    );
    // The mock monitor does not pass dependencies to newResource; read them off the request itself.
    const monitor: any = require("@pulumi/pulumi/runtime/settings").getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: any) => {
      pending.set(req.getName(), req.getDependenciesList());
      return register(req, (err: unknown, res: any) => {
        const r = regs.find((x) => x.name === req.getName());
        if (r && res) r.urn = res.getUrn();
        cb(err, res);
      });
    };

    const { VCenterManifests } = await import("../../providers/vcentertemplate/manifests");
    const m = new VCenterManifests("vco", { manifests });
    const byTemplate = new VCenterManifests("vct", { manifests: annotated, templates: ["t-config", "t-deploy"] });
    // A provider but no kubeconfig: the cluster is unknown, so no sweeper.
    const { Provider } = await import("@pulumi/kubernetes/provider");
    const withProvider = new VCenterManifests("vcp", { manifests, provider: new Provider("k") });
    noSweeper = withProvider.sweeper;
    await new Promise<void>((resolve) =>
      pulumi.all([...m.groups, ...byTemplate.groups, ...withProvider.groups].map((g) => g.urn)).apply(() => resolve()),
    );
    await new Promise((r) => setTimeout(r, 50));
  });

  it("registers one ConfigGroup per kind group, in apply order, each depending on the one before", () => {
    const groups = regs.filter((r) => r.type === "kubernetes:yaml/v2:ConfigGroup" && r.name.startsWith("vco-"));
    assert.deepEqual(
      groups.map((g) => g.name),
      ["vco-secrets", "vco-configmaps", "vco-deployments", "vco-others"],
    );
    const sweeper = regs.find((r) => r.type === SWEEPER && r.name === "vco-sweeper");
    assert.ok(sweeper, "the component's sweeper is registered");
    assert.deepEqual(groups[0].dependencies, [sweeper.urn], "the first group depends on the sweeper (deleted last)");
    for (let i = 1; i < groups.length; i++) {
      assert.deepEqual(
        groups[i].dependencies,
        [groups[i - 1].urn],
        `${groups[i].name} depends on ${groups[i - 1].name}`,
      );
    }
    const component = regs.find((r) => r.type === "vmware:index:VCenterManifests");
    assert.ok(component, "the component itself is registered");
  });

  it("puts each object in its kind's group and keeps every group's objects secret", () => {
    const groups = regs.filter((r) => r.type === "kubernetes:yaml/v2:ConfigGroup" && r.name.startsWith("vco-"));
    const contents = groups.map((g) => {
      assert.equal(g.inputs.objs[SIG_KEY], SECRET_SIG, `${g.name} objs are secret`);
      return g.inputs.objs.value.map((o: any) => `${o.kind}/${o.metadata.name}`);
    });
    assert.deepEqual(contents, [
      ["Secret/volume-vmware-vc-a-0", "Secret/neutron-nsxv3-bb1"],
      ["ConfigMap/nova-compute-vmware-bb1"],
      ["Deployment/nova-compute-bb1"],
      ["Service/nova-compute-bb1"],
    ]);
  });

  it("labels every object with the component's owner, which its sweeper records with the objects' collections", () => {
    const groups = regs.filter((r) => r.type === "kubernetes:yaml/v2:ConfigGroup" && r.name.startsWith("vco-"));
    const owners = groups.flatMap((g) =>
      g.inputs.objs.value.map((o: any) => o.metadata.labels["vmware-kit.pulumi.com/owner"]),
    );
    assert.equal(owners.length, manifests.length);
    assert.match(owners[0], /^vcm-[0-9a-f]{40}$/);
    assert.ok(
      owners.every((o: string) => o === owners[0]),
      "one owner for the whole component",
    );
    const sweeper = regs.find((r) => r.type === SWEEPER && r.name === "vco-sweeper")!;
    assert.equal(sweeper.inputs.owner, owners[0]);
    assert.deepEqual(sweeper.inputs.kinds, [
      { apiVersion: "apps/v1", kind: "Deployment", namespace: "monsoon3" },
      { apiVersion: "v1", kind: "ConfigMap", namespace: "monsoon3" },
      { apiVersion: "v1", kind: "Secret", namespace: "monsoon3" },
      { apiVersion: "v1", kind: "Service", namespace: "monsoon3" },
    ]);
    const other = regs.find((r) => r.type === SWEEPER && r.name === "vct-sweeper")!;
    assert.notEqual(other.inputs.owner, owners[0], "another component has another owner");
    assert.equal(
      noSweeper,
      undefined,
      "a provider without a kubeconfig: no sweeper (it could sweep the wrong cluster)",
    );
    assert.equal(regs.filter((r) => r.name === "vcp-sweeper").length, 0);
  });

  it("with templates: one group per kind group and template, named after the template, each phase after the last", () => {
    const phases = ["secrets", "configmaps", "deployments", "others"];
    const phaseOf = (r: Registration) => phases.indexOf(r.name.slice(4).split("/")[0]);
    // Registered phase by phase (within a phase the order is the runtime's).
    const groups = regs.filter((r) => r.type === "kubernetes:yaml/v2:ConfigGroup" && r.name.startsWith("vct-"));
    assert.deepEqual(groups.map(phaseOf), [0, 0, 1, 1, 2, 2, 3, 3]);
    assert.deepEqual(
      groups.map((g) => g.name).sort(),
      phases.flatMap((p) => [`vct-${p}/t-config`, `vct-${p}/t-deploy`]).sort(),
    );
    // Object resource names become `vct/<template>:<namespace>/<name>`: plans and errors name the template.
    for (const g of groups) assert.equal(g.inputs.resourcePrefix, `vct/${g.name.split("/")[1]}`);
    for (const g of groups) {
      const sweeper = regs.find((r) => r.type === SWEEPER && r.name === "vct-sweeper")!;
      const before =
        phaseOf(g) === 0
          ? [sweeper.urn]
          : groups
              .filter((x) => phaseOf(x) === phaseOf(g) - 1)
              .map((x) => x.urn)
              .sort();
      assert.deepEqual([...g.dependencies].sort(), before, `${g.name} depends on every group of the previous phase`);
    }
    const contents = Object.fromEntries(
      groups.map((g) => {
        assert.equal(g.inputs.objs[SIG_KEY], SECRET_SIG, `${g.name} objs are secret`);
        return [g.name, g.inputs.objs.value.map((o: any) => `${o.kind}/${o.metadata.name}`)];
      }),
    );
    assert.deepEqual(contents, {
      "vct-secrets/t-config": ["Secret/volume-vmware-vc-a-0", "Secret/neutron-nsxv3-bb1"],
      "vct-secrets/t-deploy": [],
      "vct-configmaps/t-config": ["ConfigMap/nova-compute-vmware-bb1"],
      "vct-configmaps/t-deploy": [],
      "vct-deployments/t-config": [],
      "vct-deployments/t-deploy": ["Deployment/nova-compute-bb1"],
      "vct-others/t-config": [],
      "vct-others/t-deploy": ["Service/nova-compute-bb1"],
    });
  });
});
