// check() through the serialized-provider path's handler: property-named failures, defaults, unknowns.
import { strict as assert } from "assert";
import * as net from "net";
import { UNKNOWN } from "../../providers/common/check";
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
    assert.equal(r.inputs!.maxUnavailable, 1, "power cycles roll one VM at a time");
    assert.equal(r.inputs!.shutdownTimeoutSeconds, 180, "terraform-provider-vsphere's shutdown_wait_timeout");
    assert.equal(r.inputs!.adopt, false);
    assert.equal(r.inputs!.plannedAdoption, undefined);
  });

  it("leaves powerState undeclared with adopt: adopted VMs keep the power state they have", async () => {
    // adopt needs a vCenter to plan against: an unknown connection (preview) defers the plan.
    const r = await check({} as any, { ...good, adopt: true, connection: UNKNOWN } as any);
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs!.powerState, undefined);
    assert.deepEqual(r.inputs!.plannedAdoption, ["(planned once every input is known)"]);
  });

  it("keeps the plan of the first create on updates, and plans a replacement's adoption at its create", async () => {
    const olds = { ...good, adopt: true, powerState: undefined, plannedAdoption: ["folder DC0/vm/apps/web: create"] };
    const update = await check(olds as any, { ...good, adopt: true, replicas: 5 } as any);
    assert.deepEqual(update.inputs!.plannedAdoption, ["folder DC0/vm/apps/web: create"], "no diff shown for it");
    const replace = await check(olds as any, { ...good, adopt: true, template: "ubuntu-24.04" } as any);
    assert.deepEqual(replace.inputs!.plannedAdoption, [
      "(a replacement: the adoption is planned when the new group is created)",
    ]);
  });

  it("refuses VM names vCenter would refuse: the longest is <folder>-<replicas - 1>, less than 80 characters", async () => {
    const f77 = "f".repeat(77);
    assert.deepEqual(await failures({ folder: `apps/${f77}`, replicas: 10 }), []); // "fff…-9": 79
    assert.deepEqual(await failures({ folder: `apps/${f77}`, replicas: 11 }), [
      `folder: makes VM names too long: "${f77}-10" has 80 characters, vCenter allows less than 80; shorten the folder's last segment`,
    ]);
    assert.deepEqual(await failures({ folder: "w".repeat(80), replicas: 0 }), [
      'folder: must be less than 80 characters per name (vCenter\'s limit; "/", "\\" and "%" count 3)',
    ]);
    // vCenter stores "%" as "%25": 26 of them make 78 characters, plus "-0".
    assert.match(
      (await failures({ folder: "%".repeat(26), replicas: 1 }))[0],
      /^folder: makes VM names too long: .* has 80 characters/,
    );
  });

  it("refuses . and .. segments, control characters and leading or trailing spaces in names", async () => {
    assert.deepEqual(await failures({ folder: "apps/../web" }), [
      'folder: must not have a ".." segment (names are not resolved like file paths)',
    ]);
    assert.deepEqual(await failures({ folder: "./web" }), [
      'folder: must not have a "." segment (names are not resolved like file paths)',
    ]);
    assert.deepEqual(await failures({ folder: "web\n" }), ["folder: must not contain control characters"]);
    assert.deepEqual(await failures({ template: "ubuntu\u0007" }), ["template: must not contain control characters"]);
    assert.deepEqual(await failures({ folder: "apps/ web" }), ["folder: must not start or end with a space"]);
    assert.deepEqual(await failures({ datacenter: "DC0 " }), ["datacenter: must not start or end with a space"]);
    assert.deepEqual(await failures({ resourcePool: "gold/.." }), [
      'resourcePool: must not have a ".." segment (names are not resolved like file paths)',
    ]);
  });

  it("refuses memory above vSphere 8's 24 TB per VM", async () => {
    assert.deepEqual(await failures({ memoryMB: 24 * 1024 * 1024 }), []);
    assert.deepEqual(await failures({ memoryMB: 24 * 1024 * 1024 + 4 }), [
      "memoryMB: must be at most 25165824 (24 TB, vSphere 8's maximum per VM)",
    ]);
  });

  it("sends no request to vCenter for bad input, even with adopt (which reads vCenter to plan)", async () => {
    // Counts connections: any request, over TLS or not, opens one.
    let requests = 0;
    const server = net.createServer((socket) => {
      requests++;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const connection = {
        ...good.connection,
        url: `https://127.0.0.1:${(server.address() as net.AddressInfo).port}/sdk`,
        insecure: true,
      };
      const bad = await failures({ adopt: true, connection, folder: "web/..", memoryMB: 30 * 1024 * 1024 });
      assert.equal(bad.length, 2, bad.join("\n"));
      assert.equal(requests, 0);
      // The same input, made good, does reach vCenter (so the counter can see requests).
      const ok = await failures({ adopt: true, connection });
      assert.ok(requests > 0);
      assert.match(ok[0], /^adopt: cannot plan the adoption: /);
    } finally {
      server.close();
    }
  });

  it("names each bad property with a reason a user can act on", async () => {
    assert.deepEqual(await failures({ replicas: 1.5 }), ["replicas: must be a whole number"]);
    assert.deepEqual(await failures({ replicas: -1 }), ["replicas: must be 0 or more"]);
    assert.deepEqual(await failures({ cpu: 0 }), ["cpu: must be at least 1"]);
    assert.deepEqual(await failures({ memoryMB: 1022 }), [
      "memoryMB: must be a multiple of 4 MB (vSphere's granularity)",
    ]);
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
