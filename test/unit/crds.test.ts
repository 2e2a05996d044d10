import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { allCrds } from "../../sdk/schemas/crds";

describe("crds/", () => {
  const generated = allCrds();

  for (const [file, text] of Object.entries(generated)) {
    it(`${file} matches the zod schema (run \`npm run crds\` after changing a schema)`, () => {
      const onDisk = fs.readFileSync(path.join(__dirname, "..", "..", "crds", file), "utf8");
      assert.equal(onDisk, text);
    });
  }

  it("has no CRD file that no schema generates", () => {
    const files = fs.readdirSync(path.join(__dirname, "..", "..", "crds")).filter((f) => f.endsWith(".yaml"));
    assert.deepEqual(files.sort(), Object.keys(generated).sort());
  });

  it("VmGroup: group, kind, printer columns and the schema's rules", () => {
    const crd = parse(generated["vmgroup.yaml"]);
    assert.equal(crd.metadata.name, "vmgroups.vsphere.vmware.com");
    assert.deepEqual(crd.spec.names.shortNames, ["vg"]);
    const v = crd.spec.versions[0];
    assert.deepEqual(
      v.additionalPrinterColumns.map((c: { name: string }) => c.name),
      ["Template", "Desired", "Available", "Phase"],
    );
    const spec = v.schema.openAPIV3Schema.properties.spec;
    assert.equal(spec.properties.memoryMB.multipleOf, 4);
    assert.equal(spec.properties.replicas.minimum, 0);
    assert.deepEqual(spec.properties.powerState.enum, ["on", "off"]);
    assert.ok(!("connection" in spec.properties), "credentials do not belong in a CR spec");
    assert.deepEqual(spec.required.sort(), ["cpu", "datacenter", "folder", "memoryMB", "replicas", "template"]);
  });

  it("VcdVapp: kvcd's group, kind and printer columns; spec without credentials", () => {
    const crd = parse(generated["vcdvapp.yaml"]);
    assert.equal(crd.metadata.name, "vcdvapps.kvcd.lrivallain.dev");
    assert.equal(crd.spec.names.kind, "VcdVapp");
    const v = crd.spec.versions[0];
    assert.equal(v.name, "v1");
    assert.deepEqual(
      v.additionalPrinterColumns.map((c: { name: string; jsonPath: string }) => [c.name, c.jsonPath]),
      [
        ["Org", ".spec.org"],
        ["VDC", ".spec.vdc"],
        ["Status", ".status.status.text"],
        ["UUID", ".status.uuid"],
      ],
    );
    const spec = v.schema.openAPIV3Schema.properties.spec;
    assert.ok(!("connection" in spec.properties), "credentials do not belong in a CR spec");
    assert.deepEqual(spec.required.sort(), ["org", "vdc"]);
    assert.equal(spec.properties.fenceMode.default, "bridged");
    assert.equal(spec.properties.acceptAllEulas.default, true);
    assert.deepEqual(spec.properties.leases.required, ["deploymentSeconds", "storageSeconds"]);
    // Structural for Kubernetes: metadata values are typed by check(), not by an anyOf the API server refuses.
    assert.deepEqual(spec.properties.metadata.additionalProperties, { "x-kubernetes-preserve-unknown-fields": true });
    assert.ok(!generated["vcdvapp.yaml"].includes("anyOf"));
    const status = v.schema.openAPIV3Schema.properties.status;
    for (const k of ["uuid", "status", "href", "vdcHref", "owner", "leases", "metadata", "expired"])
      assert.ok(k in status.properties, k);
  });
  it("VCenterTemplate: sapcc's group, name and short name; one template, top level, no spec", () => {
    const crd = parse(generated["vcentertemplate.yaml"]);
    assert.equal(crd.metadata.name, "vcenter-templates.vcenter-operator.stable.sap.cc");
    assert.deepEqual(crd.spec.names, {
      kind: "VCenterTemplate",
      plural: "vcenter-templates",
      singular: "vcentertemplate",
      shortNames: ["vct"],
    });
    const v = crd.spec.versions[0];
    assert.equal(v.name, "v1");
    const root = v.schema.openAPIV3Schema;
    assert.deepEqual(Object.keys(root.properties).sort(), ["options", "template"]);
    assert.deepEqual(root.required.sort(), ["options", "template"]);
    assert.deepEqual(root.properties.options.properties.scope.enum, ["cluster", "datacenter"]);
    assert.equal(
      root.properties.options.properties.jinja2_options.additionalProperties["x-kubernetes-preserve-unknown-fields"],
      true,
    );
    assert.equal(root.properties.template.minLength, 1);
  });
});
