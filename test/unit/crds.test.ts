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
    assert.deepEqual(v.additionalPrinterColumns.map((c: { name: string }) => c.name), ["Template", "Desired", "Available", "Phase"]);
    const spec = v.schema.openAPIV3Schema.properties.spec;
    assert.equal(spec.properties.memoryMB.multipleOf, 4);
    assert.equal(spec.properties.replicas.minimum, 0);
    assert.deepEqual(spec.properties.powerState.enum, ["on", "off"]);
    assert.ok(!("connection" in spec.properties), "credentials do not belong in a CR spec");
    assert.deepEqual(spec.required.sort(), ["cpu", "datacenter", "folder", "memoryMB", "replicas", "template"]);
  });
});
