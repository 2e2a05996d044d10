// The owner label and the sweep plan (sdk/kubernetes/owner.ts, sdk/kubernetes/sweep/planner.ts): which objects a
// destroy may delete, decided from the label alone, never from a name.
import { strict as assert } from "assert";
import { coversKinds, kindsOf, mergeKinds, OWNER_LABEL, ownerId, withOwnerLabel } from "../../sdk/kubernetes/owner";
import type { ListedObject } from "../../sdk/kubernetes/sweep/model";
import { sweepPlan } from "../../sdk/kubernetes/sweep/planner";

const obj = (kind: string, name: string, labels?: Record<string, string>, deleting = false): ListedObject => ({
  apiVersion: kind === "Deployment" ? "apps/v1" : "v1",
  kind,
  metadata: { name, namespace: "ns", labels, ...(deleting ? { deletionTimestamp: "2026-12-01T00:00:00Z" } : {}) },
});

describe("Kubernetes owner label and sweep plan", () => {
  const owner = ownerId("proj", "dev", "vcenter-operator");

  it("owner ids are valid label values, one per project, stack and component", () => {
    assert.match(owner, /^vcm-[0-9a-f]{40}$/);
    assert.ok(owner.length <= 63);
    assert.equal(ownerId("proj", "dev", "vcenter-operator"), owner, "stable across runs");
    const others = [
      ownerId("proj", "prod", "vcenter-operator"),
      ownerId("other", "dev", "vcenter-operator"),
      ownerId("proj", "dev", "x"),
    ];
    assert.equal(new Set([owner, ...others]).size, 4);
    // No ambiguity from joining the parts: ("a-b", "c") is not ("a", "b-c").
    assert.notEqual(ownerId("a-b", "c", "d"), ownerId("a", "b-c", "d"));
  });

  it("labels an object without dropping its other labels or touching the input", () => {
    const o = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels: { app: "nova" } } };
    const l = withOwnerLabel(o, owner);
    assert.deepEqual(l.metadata.labels, { app: "nova", [OWNER_LABEL]: owner });
    assert.deepEqual(o.metadata.labels, { app: "nova" });
  });

  it("records each collection once, sorted, and keeps old ones when merging", () => {
    const kinds = kindsOf([
      { apiVersion: "v1", kind: "Secret", metadata: { name: "a", namespace: "ns" } },
      { apiVersion: "v1", kind: "Secret", metadata: { name: "b", namespace: "ns" } },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "c" } },
    ]);
    assert.deepEqual(kinds, [
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" },
      { apiVersion: "v1", kind: "Secret", namespace: "ns" },
    ]);
    const merged = mergeKinds(kinds, [{ apiVersion: "v1", kind: "ConfigMap", namespace: "ns" }]);
    assert.equal(merged.length, 3);
    assert.ok(coversKinds(merged, kinds));
    assert.ok(!coversKinds(kinds, merged));
  });

  it("deletes only objects whose label is exactly the owner, workloads before the config they mount", () => {
    const plan = sweepPlan(
      [
        obj("Secret", "s", { [OWNER_LABEL]: owner }),
        obj("ConfigMap", "c", { [OWNER_LABEL]: owner }),
        obj("Deployment", "d", { [OWNER_LABEL]: owner }),
        obj("Service", "svc", { [OWNER_LABEL]: owner }),
        obj("ConfigMap", "foreign", { [OWNER_LABEL]: ownerId("proj", "prod", "vcenter-operator") }),
        obj("ConfigMap", "unlabelled"),
        obj("ConfigMap", "prefix", { [OWNER_LABEL]: `${owner}x` }),
        obj("Secret", "going", { [OWNER_LABEL]: owner }, true),
      ],
      owner,
    );
    assert.deepEqual(
      plan.map((o) => `${o.kind}/${o.metadata.name}`),
      ["Service/svc", "Deployment/d", "ConfigMap/c", "Secret/s"],
    );
  });
});
