// VcdVapp check(): property-named failures before any API call, defaults, unknowns, no password in messages.
import { strict as assert } from "assert";
import { UNKNOWN } from "../../providers/common/check";
import { check } from "../../providers/vcdvapp/handlers";

const good = {
  connection: { url: "https://vcd.example.com", org: "acme", username: "alice", password: "s3cret-Passw0rd" },
  org: "acme",
  vdc: "acme-vdc",
};

const failures = async (over: Record<string, unknown>) =>
  ((await check({} as any, { ...good, ...over } as any)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);

describe("VcdVapp check()", () => {
  it("accepts the minimum and fills kvcd's defaults", async () => {
    const r = await check({} as any, good as any);
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs!.fenceMode, "bridged");
    assert.equal(r.inputs!.acceptAllEulas, true);
    assert.equal(r.inputs!.powerOn, false);
    assert.equal(r.inputs!.description, "");
    assert.equal(r.inputs!.metadata, undefined, "metadata stays unmanaged unless declared");
  });

  it("accepts every typed metadata value and a full spec", async () => {
    const r = await failures({
      name: "web",
      description: "frontend",
      fenceMode: "natRouted",
      owner: "bob",
      powerOn: true,
      leases: { deploymentSeconds: 0, storageSeconds: 7200 },
      source: { catalog: "base", template: "photon-5" },
      network: "acme-net",
      metadata: { team: "web", replicas: 3, prod: true, expires: { dateTime: "2030-01-31T12:00:00Z" } },
    });
    assert.deepEqual(r, []);
  });

  it("names each bad property with a reason a user can act on", async () => {
    assert.deepEqual(await failures({ vdc: undefined }), ["vdc: must be the org VDC name"]);
    assert.deepEqual(await failures({ name: " web" }), ["name: must not start or end with a space"]);
    assert.deepEqual(await failures({ fenceMode: "nat" }), [
      "fenceMode: must be one of isolated, direct, bridged, natRouted",
    ]);
    assert.deepEqual(await failures({ owner: "bob smith" }), [
      "owner: must be a vCD user name (letters, digits, . _ - @; no spaces)",
    ]);
    assert.deepEqual(await failures({ leases: { deploymentSeconds: 60, storageSeconds: 0 } }), [
      "leases.deploymentSeconds: must be 0 (the org's value) or at least 3600 (vCD's minimum)",
    ]);
    assert.deepEqual(await failures({ leases: { deploymentSeconds: 3600.5, storageSeconds: 3600 } }), [
      "leases.deploymentSeconds: must be a whole number of seconds",
    ]);
    assert.deepEqual(await failures({ source: { catalog: "base" } }), ["source.template: must be the template name"]);
    assert.deepEqual(await failures({ connection: { ...good.connection, url: "vcd.example.com" } }), [
      "connection.url: must be an https:// URL of the vCD endpoint",
    ]);
    assert.deepEqual(await failures({ connection: { ...good.connection, apiVersion: "37" } }), [
      'connection.apiVersion: must be an API version such as "37.0"',
    ]);
  });

  it("takes an href or a URN to adopt, nothing else", async () => {
    // The connection is unknown here (as in a preview before it is known), so check() does not read the vApp yet.
    assert.deepEqual(
      await failures({ connection: UNKNOWN, adopt: "urn:vcloud:vapp:2f9b6b8e-8c1b-4c5e-9a51-6e0f8c1d2a3b" }),
      [],
    );
    assert.deepEqual(
      await failures({
        connection: UNKNOWN,
        adopt: "https://vcd.example.com/api/vApp/vapp-2f9b6b8e-8c1b-4c5e-9a51-6e0f8c1d2a3b",
      }),
      [],
    );
    assert.deepEqual(await failures({ adopt: "web" }), [
      "adopt: must be a vApp href (https://…/api/vApp/vapp-<uuid>) or URN (urn:vcloud:vapp:<uuid>)",
    ]);
  });

  it("refuses powerOn for an empty vApp: vCD has no VMs to start", async () => {
    assert.deepEqual(await failures({ powerOn: true }), [
      "powerOn: an empty vApp (no source template) has no VMs that vCD could power on",
    ]);
  });

  it("checks metadata keys and values", async () => {
    assert.deepEqual(await failures({ metadata: { " team": "x" } }), [
      'metadata: key " team" must not start or end with a space',
    ]);
    assert.deepEqual(await failures({ metadata: { "": "x" } }), ["metadata: keys must not be empty"]);
    assert.deepEqual(await failures({ metadata: { ["k".repeat(256)]: "x" } }), []);
    assert.deepEqual(await failures({ metadata: { ["k".repeat(257)]: "x" } }), [
      `metadata: key "${"k".repeat(40)}…" is longer than 256 characters (vCD's limit)`,
    ]);
    assert.deepEqual(await failures({ metadata: { "vapp.origin.name": "x" } }), [
      'metadata: key "vapp.origin.name" is reserved: vCD writes vapp.origin.* itself',
    ]);
    assert.deepEqual(await failures({ metadata: { ratio: 1.5 } }), [
      "metadata.ratio: must be a string, a whole number, a boolean or { dateTime: <ISO 8601> }",
    ]);
    assert.deepEqual(await failures({ metadata: { when: { dateTime: "yesterday" } } }), [
      "metadata.when.dateTime: must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z",
    ]);
  });

  it("does not judge values that are unknown during preview", async () => {
    assert.deepEqual(await failures({ vdc: UNKNOWN, connection: UNKNOWN, metadata: UNKNOWN }), []);
  });

  it("never echoes the password in a failure", async () => {
    const r = await failures({ connection: { ...good.connection, password: 42 } });
    assert.deepEqual(r, ["connection.password: must be the vCD password"]);
    const all = await failures({ connection: { ...good.connection, url: 7 }, vdc: "" });
    assert.ok(!all.join("\n").includes("s3cret"), all.join("\n"));
  });
});
