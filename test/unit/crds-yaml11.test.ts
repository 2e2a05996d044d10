import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { allCrds } from "../../sdk/schemas/crds";
import { stringifyKubernetesYaml } from "../../sdk/schemas/crd-yaml";

// Kubernetes tooling reads YAML 1.1 (kube-apiserver refused `default: on` as a boolean); the kit writes 1.2.
describe("YAML the kit writes for Kubernetes means the same under YAML 1.1 and 1.2", () => {
  const crdDir = path.join(__dirname, "..", "..", "crds");
  for (const file of fs.readdirSync(crdDir).filter((f) => f.endsWith(".yaml"))) {
    it(`crds/${file}`, () => {
      const text = fs.readFileSync(path.join(crdDir, file), "utf8");
      assert.deepEqual(parse(text, { version: "1.1" }), parse(text, { version: "1.2" }));
    });
  }

  it("VmGroup's powerState enum (and default, if any) stay the strings on/off under YAML 1.1", () => {
    const crd = parse(allCrds()["vmgroup.yaml"], { version: "1.1" });
    const powerState = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.powerState;
    assert.deepEqual(powerState.enum, ["on", "off"]);
    if ("default" in powerState)
      assert.ok(powerState.enum.includes(powerState.default), `default ${powerState.default}`);
  });

  it("quotes every string YAML 1.1 reads as a boolean, number, null or timestamp", () => {
    // go-yaml v2 and PyYAML booleans, octal, sexagesimal, underscores, binary, timestamps, merge key.
    const strings = [
      "on",
      "off",
      "On",
      "OFF",
      "y",
      "Y",
      "n",
      "N",
      "yes",
      "no",
      "0755",
      "1_000",
      "60:30",
      "0b101",
      "2001-12-14",
      "~",
      "null",
      "<<",
      "+.5",
      ".inf",
      "0x1F",
      "1e3",
    ];
    const value = { keys: Object.fromEntries(strings.map((s) => [s, s])), list: strings };
    const text = stringifyKubernetesYaml(value);
    assert.deepEqual(parse(text, { version: "1.1" }), value);
    assert.deepEqual(parse(text, { version: "1.2" }), value);
  });
});
