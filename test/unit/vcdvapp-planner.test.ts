// The vApp planner: what replaces, what updates in place and in which order, and how vCD's view reads as inputs.
import { strict as assert } from "assert";
import type { MetadataEntry } from "../../sdk/vcd";
import { leaseInput } from "../../sdk/vcd/vapp/leases";
import { managedMetadata, planMetadata } from "../../sdk/vcd/vapp/metadata";
import type { DesiredVApp, ObservedVApp } from "../../sdk/vcd/vapp/model";
import { planUpdate } from "../../sdk/vcd/vapp/planner";
import { diffVApp, observedInputs } from "../../providers/vcdvapp/diff";

const entry = (key: string, value: string | number | boolean, o: Partial<MetadataEntry> = {}): MetadataEntry => ({
  key,
  value,
  type:
    typeof value === "number"
      ? "MetadataNumberValue"
      : typeof value === "boolean"
        ? "MetadataBooleanValue"
        : "MetadataStringValue",
  domain: "GENERAL",
  visibility: "READWRITE",
  ...o,
});
const origin = entry("vapp.origin.name", "photon-5", { visibility: "READONLY" });

const observed = (o: Partial<ObservedVApp> = {}): ObservedVApp => ({
  name: "app",
  description: "",
  owner: "alice",
  status: 8,
  statusText: "POWERED_OFF",
  deployed: false,
  expired: false,
  hasVms: true,
  leases: { deploymentSeconds: 604800, storageSeconds: 2592000, storageExpiration: "2030-01-01T00:00:00Z" },
  metadata: [],
  ...o,
});
const desired = (o: Partial<DesiredVApp> = {}): DesiredVApp => ({ name: "app", description: "", powerOn: false, ...o });
const kinds = (d: DesiredVApp, o: ObservedVApp) => planUpdate(d, o).steps.map((s) => s.kind);

// State outputs as the provider records them, and checked inputs.
const olds = {
  resourceName: "app",
  name: "app",
  org: "acme",
  vdc: "acme-vdc",
  fenceMode: "bridged",
  acceptAllEulas: true,
  description: "",
  powerOn: false,
  owner: "alice",
  status: { code: 8, text: "POWERED_OFF" },
  metadata: { team: "web" },
  leases: {
    deploymentSeconds: 0,
    storageSeconds: 0,
    effectiveDeploymentSeconds: 604800,
    effectiveStorageSeconds: 2592000,
  },
};
const news = {
  resourceName: "app",
  org: "acme",
  vdc: "acme-vdc",
  fenceMode: "bridged",
  acceptAllEulas: true,
  description: "",
  powerOn: false,
  metadata: { team: "web" },
  leases: { deploymentSeconds: 0, storageSeconds: 0 },
};

describe("vApp planner: diff", () => {
  it("sees no change when the inputs match what was recorded (clamped leases, unmanaged owner, defaulted name)", () => {
    assert.deepEqual(diffVApp(olds, news), { replaces: [], updates: [], deleteBeforeReplace: false });
  });

  it("treats values not known during preview as changes instead of failing (metadata from another resource)", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    assert.deepEqual(diffVApp(olds, { ...news, metadata: unknown }), {
      replaces: [],
      updates: ["metadata"],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(diffVApp(olds, { ...news, metadata: { team: unknown } }).updates, ["metadata"]);
    assert.deepEqual(diffVApp(olds, { ...news, vdc: unknown }).replaces, ["vdc"]);
  });

  it("renames, re-describes, changes owner, power, leases and metadata in place", () => {
    const d = diffVApp(olds, {
      ...news,
      name: "app2",
      description: "x",
      owner: "bob",
      powerOn: true,
      leases: { deploymentSeconds: 7200, storageSeconds: 0 },
      metadata: { team: "ops" },
    });
    assert.deepEqual(d.replaces, []);
    assert.deepEqual(d.updates, ["name", "description", "owner", "powerOn", "leases", "metadata"]);
  });

  it("replaces for creation-only properties and names them", () => {
    for (const [k, v] of Object.entries({
      org: "other",
      vdc: "vdc2",
      fenceMode: "isolated",
      acceptAllEulas: false,
      source: { catalog: "base", template: "photon-5" },
      network: "acme-net",
    })) {
      assert.deepEqual(diffVApp(olds, { ...news, [k]: v }).replaces, [k], k);
    }
  });

  it("deletes before replacing when the new vApp would take the same name in the same VDC", () => {
    assert.equal(diffVApp(olds, { ...news, fenceMode: "isolated" }).deleteBeforeReplace, true);
    assert.equal(diffVApp(olds, { ...news, vdc: "vdc2" }).deleteBeforeReplace, false, "another VDC: no clash");
    assert.equal(
      diffVApp(olds, { ...news, fenceMode: "isolated", name: "app2" }).deleteBeforeReplace,
      false,
      "renamed: no clash",
    );
  });

  it("compares metadata date-times as instants and sees type changes", () => {
    const o = { ...olds, metadata: { at: { dateTime: "2030-01-01T00:00:00.000Z" }, n: 1 } };
    assert.deepEqual(
      diffVApp(o, { ...news, metadata: { at: { dateTime: "2030-01-01T01:00:00+01:00" }, n: 1 } }).updates,
      [],
    );
    assert.deepEqual(diffVApp(o, { ...news, metadata: { at: { dateTime: "2030-01-01T00:00:00Z" }, n: "1" } }).updates, [
      "metadata",
    ]);
  });

  it("replaces a vApp whose creation vCD failed", () => {
    assert.deepEqual(diffVApp({ ...olds, status: { code: -1, text: "FAILED_CREATION" } }, news).replaces, ["status"]);
  });
});

describe("vApp planner: update plan", () => {
  it("does nothing when vCD already matches", () => {
    assert.deepEqual(planUpdate(desired({ owner: "alice", metadata: {} }), observed({ metadata: [origin] })), {
      steps: [],
      problems: [],
    });
  });

  it("orders edit, owner, leases, metadata, then power", () => {
    const d = desired({
      name: "new",
      owner: "bob",
      powerOn: true,
      leases: { deploymentSeconds: 7200, storageSeconds: 7200 },
      metadata: { a: "1" },
    });
    assert.deepEqual(kinds(d, observed()), ["edit", "owner", "leases", "metadata", "power"]);
  });

  it("powers off by undeploying only what is deployed, with a guest shutdown unless told otherwise", () => {
    assert.deepEqual(planUpdate(desired(), observed({ status: 4, deployed: true })).steps, [
      { kind: "power", on: false, undeployPowerAction: "shutdown" },
    ]);
    assert.deepEqual(
      planUpdate(desired({ undeployPowerAction: "powerOff" }), observed({ status: 4, deployed: true })).steps,
      [{ kind: "power", on: false, undeployPowerAction: "powerOff" }],
    );
    assert.deepEqual(
      kinds(desired(), observed({ status: 8, deployed: true })),
      ["power"],
      "deployed but stopped: undeploy so it can be deleted",
    );
    assert.deepEqual(kinds(desired(), observed({ status: 1, hasVms: false })), []);
  });

  it("makes metadata exactly as declared but never touches read-only or SYSTEM entries", () => {
    const seen = [
      entry("team", "web"),
      entry("old", "x"),
      entry("n", 2),
      origin,
      entry("sys", "s", { domain: "SYSTEM", visibility: "READONLY" }),
    ];
    const plan = planMetadata({ team: "ops", n: 2, added: true }, seen);
    assert.deepEqual(plan.set, [
      { key: "team", value: "ops" },
      { key: "added", value: true },
    ]);
    assert.deepEqual(plan.remove, ["old"]);
    assert.deepEqual(managedMetadata(seen), { team: "web", old: "x", n: 2 });
  });

  it("sends date-times with their type", () => {
    assert.deepEqual(planMetadata({ at: { dateTime: "2030-01-01T00:00:00Z" } }, []).set, [
      { key: "at", value: "2030-01-01T00:00:00Z", type: "MetadataDateTimeValue" },
    ]);
  });

  it("refuses with a clear reason to start an expired vApp, unless the plan renews its lease", () => {
    const exp = observed({
      expired: true,
      leases: { deploymentSeconds: 3600, storageSeconds: 3600, storageExpiration: "2020-01-01T00:00:00Z" },
    });
    const p = planUpdate(desired({ powerOn: true }), exp);
    assert.match(
      p.problems[0],
      /storage lease expired at 2020-01-01T00:00:00Z and vCD refuses to start expired vApps; renew it by declaring leases/,
    );
    assert.deepEqual(
      planUpdate(desired({ powerOn: true, leases: { deploymentSeconds: 0, storageSeconds: 0 } }), exp).problems,
      [],
    );
  });

  it("refuses to power on a vApp without VMs and to repair a failed creation", () => {
    assert.match(planUpdate(desired({ powerOn: true }), observed({ hasVms: false, status: 1 })).problems[0], /no VMs/);
    assert.match(planUpdate(desired(), observed({ status: -1 })).problems[0], /FAILED_CREATION.*replace/);
  });
});

describe("vApp planner: vCD's view as inputs", () => {
  it("tells vCD's clamping from an out-of-band lease change", () => {
    assert.equal(leaseInput(0, 604800, 604800), 0, "0 → the org's value, as applied");
    assert.equal(leaseInput(0, 7200, 604800), 7200, "changed outside Pulumi");
    assert.equal(leaseInput(0, 604800), 0, "import: 0 may have become any value");
    assert.equal(leaseInput(10 * 86400 * 365, 2592000), 10 * 86400 * 365, "import: reduced to the org maximum");
    assert.equal(leaseInput(7200, 10800), 10800, "import: vCD never raises a value");
  });

  it("reports drift of managed properties only", () => {
    const seen = observed({
      name: "renamed",
      description: "changed",
      owner: "bob",
      status: 4,
      deployed: true,
      metadata: [entry("team", "ops"), origin],
    });
    assert.deepEqual(observedInputs(desired({ metadata: { team: "web" } }), seen), {
      name: "renamed",
      description: "changed",
      owner: undefined,
      powerOn: true,
      leases: undefined,
      metadata: { team: "ops" },
    });
    assert.equal(observedInputs(desired({ owner: "alice" }), seen).owner, "bob");
  });
});
