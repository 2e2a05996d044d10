// How the group names things in vCenter (sdk/vsphere/vmgroup/names.ts).
import { strict as assert } from "assert";
import { escapeEntityName, inventoryPath, unescapeEntityName } from "../../sdk/vsphere/vmgroup/names";

describe("vCenter entity names", () => {
  it("escapes %, / and \\ as vCenter stores them, keeping escapes already there", () => {
    assert.equal(escapeEntityName("50% off/on\\x"), "50%25 off%2fon%5cx");
    assert.equal(escapeEntityName("a%2fb"), "a%2fb");
    assert.equal(escapeEntityName(escapeEntityName("100%")), "100%25", "idempotent");
    assert.equal(unescapeEntityName("50%25 off%2Fon%5cx"), "50% off/on\\x");
  });

  it("escapes each inventory path segment and keeps / as the separator", () => {
    assert.equal(inventoryPath("DC 1", "vm", "apps/50%"), "DC 1/vm/apps/50%25");
  });
});
