// check() through the serialized-provider path's handler: property-named failures, defaults, unknowns.
import { strict as assert } from "assert";
import { UNKNOWN } from "../../sdk/schemas";
import { check } from "../../providers/vmgroup/handlers";

const good = {
  connection: { url: "https://vc.example.com/sdk", username: "admin", password: "pw" },
  datacenter: "DC0",
  template: "ubuntu-22.04",
  replicas: 3,
  cpu: 2,
  memoryMB: 2048,
  folder: "apps/web",
};

const failures = async (over: Record<string, unknown>) =>
  ((await check({} as any, { ...good, ...over } as any)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);

describe("VmGroup check()", () => {
  it("accepts good input and fills the defaults", async () => {
    const r = await check({} as any, good as any);
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs!.powerState, "on");
    assert.equal(r.inputs!.maxConcurrency, 4);
  });

  it("names each bad property with a reason a user can act on", async () => {
    assert.deepEqual(await failures({ replicas: 1.5 }), ["replicas: must be a whole number"]);
    assert.deepEqual(await failures({ replicas: -1 }), ["replicas: must be 0 or more"]);
    assert.deepEqual(await failures({ cpu: 0 }), ["cpu: must be at least 1"]);
    assert.deepEqual(await failures({ memoryMB: 1022 }), ["memoryMB: must be a multiple of 4 MB (vSphere's granularity)"]);
    assert.deepEqual(await failures({ powerState: "standby" }), ['powerState: must be "on" or "off"']);
    assert.deepEqual(await failures({ folder: "/web/" }), [
      'folder: must be a folder name, optionally below a parent path ("apps/web"), without leading or trailing /',
    ]);
    assert.deepEqual(await failures({ connection: { ...good.connection, url: "vc.example.com" } }), [
      "connection.url: must be an https:// URL of the vCenter SDK endpoint",
    ]);
    assert.deepEqual(await failures({ datacenter: undefined }), ["datacenter: must be the datacenter name"]);
  });

  it("does not judge values that are unknown during preview, and still fills the defaults", async () => {
    assert.deepEqual(await failures({ replicas: UNKNOWN, connection: UNKNOWN }), []);
    const r = await check({} as any, { ...good, replicas: UNKNOWN } as any);
    assert.equal(r.inputs!.powerState, "on");
    assert.equal(r.inputs!.replicas, UNKNOWN);
  });

  it("never echoes the password in a failure", async () => {
    const r = await failures({ connection: { ...good.connection, password: 42 } });
    assert.deepEqual(r, ["connection.password: must be the vCenter password"]);
  });
});
