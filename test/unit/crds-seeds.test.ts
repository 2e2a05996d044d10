import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { vmGroupFromSeed } from "../../sdk/schemas/crd-seeds";

const seed = (file: string) =>
  parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "kube-seeds", file), "utf8"));
const KOPF_VMGROUP = seed("kopf-vmgroup.yaml");
const CODECONNECT_VMGROUP = seed("codeconnect-vmgroup.yaml");

describe("seed VmGroups (memory in GB) → this kit's VmGroup", () => {
  it("kopf-operator-vmworld's example: GB → MB, folder = metadata.name, labels kept", () => {
    const out = vmGroupFromSeed(KOPF_VMGROUP, { datacenter: "vcqaDC" });
    assert.deepEqual(out, {
      apiVersion: "vsphere.vmware.com/v1alpha1",
      kind: "VmGroup",
      metadata: { name: "kopf-vmworld-example", labels: { vmworld: "2019" } },
      spec: {
        datacenter: "vcqaDC",
        folder: "kopf-vmworld-example",
        template: "kopf-vm-template",
        replicas: 3,
        cpu: 1,
        memoryMB: 1024,
      },
    });
  });

  it("codeconnect's example moves to our group; the folder can be given", () => {
    const out = vmGroupFromSeed(CODECONNECT_VMGROUP, { datacenter: "DC0", folder: "operators/vmgroup-sample" });
    assert.equal(out.apiVersion, "vsphere.vmware.com/v1alpha1");
    assert.deepEqual(out.spec, {
      datacenter: "DC0",
      folder: "operators/vmgroup-sample",
      template: "vm-template",
      replicas: 3,
      cpu: 4,
      memoryMB: 1024,
    });
  });

  it("refuses what it cannot convert, naming the field", () => {
    const cr = KOPF_VMGROUP;
    assert.throws(
      () => vmGroupFromSeed({ ...cr, spec: { ...cr.spec, memory: "1Gi" } }, { datacenter: "DC0" }),
      /spec\.memory must be a number of GB/,
    );
    assert.throws(
      () => vmGroupFromSeed({ ...cr, spec: { ...cr.spec, cpu: 0 } }, { datacenter: "DC0" }),
      /spec\.cpu must be at least 1/,
    );
    assert.throws(
      () => vmGroupFromSeed({ ...cr, spec: { ...cr.spec, disk: 20 } }, { datacenter: "DC0" }),
      /spec\.disk is not a field/,
    );
    assert.throws(
      () => vmGroupFromSeed({ ...cr, apiVersion: "example.com/v1" }, { datacenter: "DC0" }),
      /apiVersion\/kind must be/,
    );
  });
});
