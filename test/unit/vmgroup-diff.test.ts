// Pulumi semantics of VmGroup (providers/vmgroup/diff.ts): which input changes replace the group.
import { strict as assert } from "assert";
import { diffGroup, inputsOf, refreshedInputs } from "../../providers/vmgroup/diff";

describe("VmGroup diff", () => {
  it("replaces on template, datacenter or folder changes and updates the rest in place", () => {
    const base = { datacenter: "DC0", template: "t", folder: "web", replicas: 3, cpu: 2 };
    assert.deepEqual(diffGroup(base, { ...base, replicas: 5, cpu: 4 }), {
      replaces: [],
      updates: ["replicas", "cpu"],
      deleteBeforeReplace: false,
    });
    const t = diffGroup(base, { ...base, template: "u" });
    assert.deepEqual(t.replaces, ["template"]);
    assert.equal(t.deleteBeforeReplace, true, "same folder and VM names: the old group must go first");
    assert.equal(diffGroup(base, { ...base, folder: "web2" }).deleteBeforeReplace, false);
  });

  it("keeps the endpoint in the state and through a refresh, so a move shows as ~endpoint, not +endpoint", () => {
    const inputs = { datacenter: "DC0", template: "t", folder: "web", replicas: 3, endpoint: "vc.example.com/sdk" };
    assert.equal(inputsOf(inputs).endpoint, "vc.example.com/sdk");
    const refreshed = refreshedInputs(inputs, 2, {});
    assert.equal(refreshed.endpoint, "vc.example.com/sdk");
    assert.equal(refreshed.replicas, 2, "replicas is what the refresh found");
  });
});
