// crds/ against a real kube-apiserver 1.34: the files as written are accepted (the API server parses the YAML
// itself, as YAML 1.1), custom resources shaped like the examples are stored, bad ones are refused naming the field,
// and the seeds' own CRs meet the decision documented in README (Kubernetes: CRDs and the seeds).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";
import { vmGroupFromSeed } from "../../sdk/schemas/crd-seeds";
import { vcdVappSpecSchema } from "../../sdk/schemas/vcdvapp";
import { vmGroupSpecSchema } from "../../sdk/schemas/vmgroup";
import { eventually, useKube } from "../helpers/kube";

const root = path.join(__dirname, "..", "..");
const crdFiles = fs.readdirSync(path.join(root, "crds")).filter((f) => f.endsWith(".yaml"));
const seed = (file: string) => fs.readFileSync(path.join(root, "test", "fixtures", "kube-seeds", file), "utf8");
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

const VMGROUPS = "/apis/vsphere.vmware.com/v1alpha1/namespaces/default/vmgroups";
const VCDVAPPS = "/apis/kvcd.lrivallain.dev/v1/namespaces/default/vcdvapps";
const VCTS = "/apis/vcenter-operator.stable.sap.cc/v1/namespaces/default/vcenter-templates";

// Spec values of examples/vmgroup (its defaults) and of the vApp in examples/demo, without the connection:
// credentials never go into a custom resource.
const exampleVmGroup = {
  apiVersion: "vsphere.vmware.com/v1alpha1",
  kind: "VmGroup",
  metadata: { name: "web" },
  spec: {
    datacenter: "DC0",
    template: "DC0_H0_VM0",
    folder: "web",
    replicas: 3,
    cpu: 2,
    memoryMB: 1024,
    powerState: "on",
  },
};
const exampleVcdVapp = {
  apiVersion: "kvcd.lrivallain.dev/v1",
  kind: "VcdVapp",
  metadata: { name: "app" },
  spec: {
    org: "acme",
    vdc: "acme-vdc",
    description: "frontend",
    owner: "bob",
    source: { catalog: "base", template: "photon-5" },
    powerOn: true,
    leases: { deploymentSeconds: 0, storageSeconds: 0 },
    metadata: { team: "web", replicas: 3 },
  },
};

/** The message of a refusal: for 422 the Status message lists every field; for 400 (strict) the unknown ones. */
function refusal(r: { status: number; body: any }): string {
  assert.ok([400, 422].includes(r.status), `expected a refusal, got ${r.status}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.kind, "Status");
  return r.body.message as string;
}

describe("crds/ on a real kube-apiserver", function () {
  const kube = useKube();

  before(async function () {
    this.timeout(120_000);
    for (const file of crdFiles) {
      // Sent as the YAML text itself: the API server decodes it as Kubernetes tooling does (YAML 1.1).
      const text = fs.readFileSync(path.join(root, "crds", file), "utf8");
      const r = await kube().request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", text, {
        contentType: "application/yaml",
      });
      assert.equal(r.status, 201, `crds/${file}: ${r.body?.message ?? JSON.stringify(r.body)}`);
    }
  });

  for (const file of crdFiles) {
    it(`crds/${file} is Established with a structural schema and its printer columns`, async function () {
      this.timeout(60_000);
      const onDisk = parse(fs.readFileSync(path.join(root, "crds", file), "utf8"), { version: "1.1" });
      const name = onDisk.metadata.name;
      const crd = await eventually(`${name} Established`, async () => {
        const r = await kube().request("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        const established = r.body.status?.conditions?.find((c: any) => c.type === "Established");
        return established?.status === "True" ? r.body : undefined;
      });
      const conditions = Object.fromEntries(crd.status.conditions.map((c: any) => [c.type, c.status]));
      assert.equal(conditions.NamesAccepted, "True");
      assert.ok(!("NonStructuralSchema" in conditions), `non-structural: ${JSON.stringify(crd.status.conditions)}`);
      // What the API server stored is what the file says (nothing pruned or read as another type).
      assert.deepEqual(crd.spec.versions[0].schema, onDisk.spec.versions[0].schema);
      // `kubectl get` shows the printer columns.
      const { group, versions, names } = crd.spec;
      const table = await kube().request("GET", `/apis/${group}/${versions[0].name}/${names.plural}`, undefined, {
        accept: TABLE,
      });
      assert.equal(table.status, 200, JSON.stringify(table.body));
      const columns = table.body.columnDefinitions.map((c: any) => c.name);
      for (const c of onDisk.spec.versions[0].additionalPrinterColumns ?? [])
        assert.ok(columns.includes(c.name), `${c.name} in ${columns}`);
    });
  }

  describe("custom resources made from the examples", () => {
    it('VmGroup (examples/vmgroup) is stored: powerState the string "on", the CRD\'s defaults applied', async () => {
      vmGroupSpecSchema.parse(exampleVmGroup.spec); // the same spec passes check()'s schema
      const r = await kube().request("POST", `${VMGROUPS}?fieldValidation=Strict`, exampleVmGroup);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.spec.powerState, "on");
      assert.equal(r.body.spec.maxConcurrency, 4);
      const table = await kube().request("GET", VMGROUPS, undefined, { accept: TABLE });
      const row = table.body.rows.find((x: any) => x.object.metadata.name === "web");
      const cells = Object.fromEntries(table.body.columnDefinitions.map((c: any, i: number) => [c.name, row.cells[i]]));
      assert.equal(cells.Template, "DC0_H0_VM0");
      assert.equal(cells.Desired, 3);
    });

    it("VmGroup's scale subresource reads and changes spec.replicas", async () => {
      const scale = await kube().request("GET", `${VMGROUPS}/web/scale`);
      assert.equal(scale.status, 200, JSON.stringify(scale.body));
      assert.equal(scale.body.kind, "Scale");
      assert.equal(scale.body.spec.replicas, 3);
      const put = await kube().request("PUT", `${VMGROUPS}/web/scale`, { ...scale.body, spec: { replicas: 5 } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal((await kube().request("GET", `${VMGROUPS}/web`)).body.spec.replicas, 5);
      // The scale subresource obeys the schema too.
      const bad = await kube().request("PUT", `${VMGROUPS}/web/scale`, { ...put.body, spec: { replicas: 5000 } });
      assert.match(refusal(bad), /spec\.replicas/);
    });

    it("VcdVapp (examples/demo's vApp) is stored", async () => {
      vcdVappSpecSchema.parse(exampleVcdVapp.spec);
      const r = await kube().request("POST", `${VCDVAPPS}?fieldValidation=Strict`, exampleVcdVapp);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.spec.fenceMode, "bridged");
      assert.equal(r.body.spec.acceptAllEulas, true);
    });

    it("VCenterTemplate: every CR of examples/vcenter/vcenter-templates.yaml is stored as written", async () => {
      const docs = parseAllDocuments(
        fs.readFileSync(path.join(root, "examples", "vcenter", "vcenter-templates.yaml"), "utf8"),
      );
      assert.ok(docs.length >= 3);
      for (const doc of docs as any[]) {
        const cr = doc.toJS();
        const r = await kube().request("POST", `${VCTS}?fieldValidation=Strict`, cr);
        assert.equal(r.status, 201, `${cr.metadata.name}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.template, cr.template);
      }
    });
  });

  describe("bad custom resources are refused, naming the field", () => {
    const vg = (name: string, spec: Record<string, unknown>) => ({
      ...exampleVmGroup,
      metadata: { name },
      spec: { ...exampleVmGroup.spec, ...spec },
    });
    it("a wrong type", async () => {
      const msg = refusal(await kube().request("POST", VMGROUPS, vg("bad-type", { replicas: "three" })));
      assert.match(msg, /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer/);
    });
    it("a value outside the enum (powerState)", async () => {
      const msg = refusal(await kube().request("POST", VMGROUPS, vg("bad-enum", { powerState: "standby" })));
      assert.match(msg, /spec\.powerState: Unsupported value: "standby": supported values: "on", "off"/);
    });
    it("a boolean where on/off is meant (what YAML 1.1 made of an unquoted on)", async () => {
      const msg = refusal(await kube().request("POST", VMGROUPS, vg("bad-bool", { powerState: true })));
      assert.match(msg, /spec\.powerState/);
    });
    it("memory not a multiple of 4 MB, and a missing required field", async () => {
      const { datacenter: _omit, ...noDc } = exampleVmGroup.spec;
      const msg = refusal(
        await kube().request("POST", VMGROUPS, {
          ...vg("bad-mem", { memoryMB: 1023 }),
          spec: { ...noDc, memoryMB: 1023 },
        }),
      );
      assert.match(msg, /spec\.memoryMB: Invalid value: 1023: spec\.memoryMB in body should be a multiple of 4/);
      assert.match(msg, /spec\.datacenter: Required value/);
    });
    it("an unknown field under strict field validation", async () => {
      const msg = refusal(
        await kube().request(
          "POST",
          `${VMGROUPS}?fieldValidation=Strict`,
          vg("bad-unknown", { connection: { url: "x" } }),
        ),
      );
      assert.match(msg, /unknown field "spec\.connection"/);
    });
    it("VcdVapp and VCenterTemplate too", async () => {
      const vapp = {
        ...exampleVcdVapp,
        metadata: { name: "bad-fence" },
        spec: { ...exampleVcdVapp.spec, fenceMode: "open" },
      };
      assert.match(refusal(await kube().request("POST", VCDVAPPS, vapp)), /spec\.fenceMode: Unsupported value: "open"/);
      const vct = {
        apiVersion: "vcenter-operator.stable.sap.cc/v1",
        kind: "VCenterTemplate",
        metadata: { name: "bad-scope" },
        options: { scope: "host" },
        template: "x",
      };
      assert.match(refusal(await kube().request("POST", VCTS, vct)), /options\.scope: Unsupported value: "host"/);
    });
  });

  describe("the seeds' own custom resources", () => {
    it("kopf-operator-vmworld's VmGroup (memory in GB) is refused as written, naming spec.memory and our required fields", async () => {
      const text = seed("kopf-vmgroup.yaml");
      const strict = refusal(
        await kube().request("POST", `${VMGROUPS}?fieldValidation=Strict`, text, { contentType: "application/yaml" }),
      );
      assert.match(strict, /unknown field "spec\.memory"/);
      // Without strict validation the API server drops spec.memory, and then what our VmGroup needs is missing.
      const lax = refusal(await kube().request("POST", VMGROUPS, text, { contentType: "application/yaml" }));
      for (const f of ["datacenter", "folder", "memoryMB"])
        assert.match(lax, new RegExp(`spec\\.${f}: Required value`));
    });

    it("kopf's VmGroup converted with vmGroupFromSeed is accepted: 1 GB → memoryMB 1024", async () => {
      const cr = vmGroupFromSeed(parse(seed("kopf-vmgroup.yaml")), { datacenter: "vcqaDC" });
      const r = await kube().request("POST", `${VMGROUPS}?fieldValidation=Strict`, cr);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.spec.memoryMB, 1024);
      assert.equal(r.body.spec.folder, "kopf-vmworld-example");
      assert.deepEqual(r.body.metadata.labels, { vmworld: "2019" });
    });

    it("codeconnect's VmGroup: its group is not served here (404); converted, it is accepted", async () => {
      const text = seed("codeconnect-vmgroup.yaml");
      const r = await kube().request(
        "POST",
        "/apis/vm.codeconnect.vmworld.com/v1alpha1/namespaces/default/vmgroups",
        text,
        {
          contentType: "application/yaml",
        },
      );
      assert.equal(r.status, 404);
      const converted = vmGroupFromSeed(parse(text), { datacenter: "DC0" });
      const ok = await kube().request("POST", `${VMGROUPS}?fieldValidation=Strict`, converted);
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.spec.cpu, 4);
    });

    it("kvcd's VcdVapp is accepted as written (strict), and kubectl get shows kvcd's columns", async () => {
      assert.equal(
        (await kube().request("POST", "/api/v1/namespaces", { metadata: { name: "test-kvcd" } })).status,
        201,
      );
      const text = seed("kvcd-vcdvapp.yaml");
      const r = await kube().request(
        "POST",
        "/apis/kvcd.lrivallain.dev/v1/namespaces/test-kvcd/vcdvapps?fieldValidation=Strict",
        text,
        {
          contentType: "application/yaml",
        },
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.spec.description, "Test description");
      assert.equal(r.body.metadata.annotations.isprod, "false");
      const table = await kube().request(
        "GET",
        "/apis/kvcd.lrivallain.dev/v1/namespaces/test-kvcd/vcdvapps",
        undefined,
        { accept: TABLE },
      );
      // kvcd's README: NAME ORG VDC STATUS UUID
      assert.deepEqual(
        table.body.columnDefinitions.map((c: any) => c.name.toUpperCase()),
        ["NAME", "ORG", "VDC", "STATUS", "UUID"],
      );
    });
  });
});
