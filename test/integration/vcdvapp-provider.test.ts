// The VcdVapp provider's handlers against the in-process vCD simulator: what a user sees after create, read
// (refresh/import), update, delete, and after injected faults. Every assertion is checked on the simulator too.
import { strict as assert } from "assert";
import { VcdSimulator } from "../../simulators/vcd";
import { VcdClient } from "../../sdk/vcd";
import { PartialStateError } from "../../providers/common/errors";
import * as h from "../../providers/vcdvapp/handlers";
import { ALICE, clientFor, fastSeed, startSim, thrown, vappInputs } from "./vcd-harness";

describe("VcdVapp provider (handlers against the vCD simulator)", function () {
  this.timeout(60_000);
  let sim: VcdSimulator;
  let c: VcdClient;

  const props = (over: Record<string, unknown> = {}): any => vappInputs(sim, { resourceName: "app", ...over });
  const inSim = (name: string) => sim.state.inventory().find((v) => v.name === name);
  /** check() as the engine runs it before create/update: defaults applied. */
  const checked = async (p: any) => {
    const r = await h.check({} as any, p);
    assert.deepEqual(r.failures, []);
    return r.inputs as any;
  };

  before(async () => {
    sim = await startSim(
      fastSeed({
        orgs: [{ ...fastSeed().orgs[0], vdcs: [...fastSeed().orgs[0].vdcs, { name: "acme-vdc2", networks: [] }] }],
      }),
    );
    c = clientFor(sim);
  });
  after(async () => {
    await c.close();
    await sim.stop();
  });
  beforeEach(() => sim.faults.reset());

  it("creates an empty vApp with description, owner, leases and metadata, and reports kvcd's status", async () => {
    const inputs = await checked(
      props({
        description: "frontend",
        owner: "bob",
        leases: { deploymentSeconds: 0, storageSeconds: 7200 },
        metadata: { team: "web", replicas: 3, prod: true, until: { dateTime: "2030-01-31T12:00:00Z" } },
      }),
    );
    const { id, outs } = await h.create(inputs);
    assert.match(id, /\/api\/vApp\/vapp-[0-9a-f-]{36}$/);
    assert.equal(outs.href, id);
    assert.match(outs.uuid, /^urn:vcloud:vapp:/);
    assert.deepEqual(outs.status, { code: 1, text: "RESOLVED" });
    assert.equal(outs.owner, "bob");
    assert.equal(outs.expired, false);
    assert.deepEqual(outs.metadata, {
      team: "web",
      replicas: 3,
      prod: true,
      until: { dateTime: "2030-01-31T12:00:00.000Z" },
    });
    assert.equal(outs.leases.deploymentSeconds, 0, "as declared");
    assert.equal(outs.leases.effectiveDeploymentSeconds, 604800, "0 = the org's value");
    assert.equal(outs.leases.effectiveStorageSeconds, 7200);
    assert.ok(outs.leases.storageExpiration);
    assert.ok(
      JSON.stringify(outs).includes(ALICE.password) && outs.connection,
      "the connection is an input (made secret by the resource)",
    );

    const v = inSim("app")!;
    assert.equal(v.description, "frontend");
    assert.equal(v.owner, "bob");
    assert.deepEqual(v.metadata, { team: "web", replicas: "3", prod: "true", until: "2030-01-31T12:00:00.000Z" });
    assert.equal((await c.vapps.getLease(id)).storageSeconds, 7200);
    // nothing left to do: a diff against these outputs is empty
    assert.deepEqual(await h.diff(id, outs as any, inputs), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("creates from a template on a network, powered on in the same task", async () => {
    const inputs = await checked(
      props({
        resourceName: "web",
        source: { catalog: "base", template: "photon-5" },
        network: "acme-net",
        powerOn: true,
      }),
    );
    const { id, outs } = await h.create(inputs);
    assert.deepEqual(outs.status, { code: 4, text: "POWERED_ON" });
    assert.equal(outs.powerOn, true);
    const v = await c.vapps.get(id);
    assert.equal(v.deployed, true);
    assert.deepEqual(
      v.networks.map((n) => [n.parentNetworkName, n.fenceMode]),
      [["acme-net", "bridged"]],
    );
    assert.equal(
      sim.faults.count({ method: "POST", path: /action\/deploy|power\/action/ }),
      0,
      "no separate power-on task",
    );
  });

  it("read reports out-of-band drift as changed inputs, leaving vCD's own entries out", async () => {
    const state = (
      await h.create(
        await checked(
          props({
            resourceName: "drift",
            metadata: { team: "web" },
            leases: { deploymentSeconds: 0, storageSeconds: 0 },
          }),
        ),
      )
    ).outs;
    const href = state.href;
    await c.vapps.update(href, { description: "edited in the portal" });
    await c.vapps.mergeMetadata(href, [{ key: "extra", value: "x" }]);
    await c.vapps.setLease(href, { deploymentSeconds: 7200, storageSeconds: 0 });
    const r = await h.read(href, state);
    assert.equal(r.id, href);
    assert.equal(r.inputs!.description, "edited in the portal");
    assert.deepEqual(r.inputs!.metadata, { team: "web", extra: "x" });
    assert.deepEqual(
      r.inputs!.leases,
      { deploymentSeconds: 7200, storageSeconds: 0 },
      "7200 was set outside; storage still the org's value",
    );
    assert.equal(r.inputs!.name, undefined, "the defaulted name stays implicit");
    const d = await h.diff(
      href,
      r.props as any,
      await checked(
        props({
          resourceName: "drift",
          metadata: { team: "web" },
          leases: { deploymentSeconds: 0, storageSeconds: 0 },
        }),
      ),
    );
    assert.equal(d.changes, true);
    assert.deepEqual(d.replaces, []);
  });

  it("updates in place: rename (same href), description, owner, leases, metadata made exact, power off by undeploy", async () => {
    const created = await h.create(
      await checked(
        props({
          resourceName: "svc",
          source: { catalog: "base", template: "photon-5" },
          powerOn: true,
          metadata: { a: "1", b: "2" },
        }),
      ),
    );
    const news = await checked(
      props({
        resourceName: "svc",
        name: "svc-renamed",
        description: "now described",
        owner: "bob",
        source: { catalog: "base", template: "photon-5" },
        powerOn: false,
        leases: { deploymentSeconds: 3600, storageSeconds: 0 },
        metadata: { a: "changed", c: 3 },
      }),
    );
    const d = await h.diff(created.id, created.outs as any, news);
    assert.deepEqual(d.replaces, [], "rename is an update, not a replacement");
    const { outs } = await h.update(created.id, created.outs as any, news);
    assert.equal(outs!.href, created.id);
    const v = inSim("svc-renamed")!;
    assert.ok(v, "renamed in vCD");
    assert.equal(v.id, created.id.split("vapp-")[1]);
    assert.equal(v.description, "now described");
    assert.equal(v.owner, "bob");
    assert.equal(v.deployed, false, "powerOn=false undeploys");
    assert.deepEqual(v.metadata, {
      "vapp.origin.id": v.metadata["vapp.origin.id"],
      "vapp.origin.name": "photon-5",
      "vapp.origin.type": v.metadata["vapp.origin.type"],
      a: "changed",
      c: "3",
    });
    assert.equal(sim.faults.count({ method: "POST", path: /action\/undeploy$/ }), 1);
    assert.equal((await c.vapps.getLease(created.id)).deploymentSeconds, 3600);
    assert.deepEqual(outs!.metadata, { a: "changed", c: 3 });
    assert.deepEqual(await h.diff(created.id, outs as any, news), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("replaces (delete first) for a creation-only change with the same name; not for another VDC", async () => {
    const state = (await h.create(await checked(props({ resourceName: "place" })))).outs;
    assert.deepEqual(
      await h.diff(state.href, state as any, await checked(props({ resourceName: "place", fenceMode: "isolated" }))),
      { changes: true, replaces: ["fenceMode"], deleteBeforeReplace: true },
    );
    assert.deepEqual(
      await h.diff(state.href, state as any, await checked(props({ resourceName: "place", vdc: "acme-vdc2" }))),
      { changes: true, replaces: ["vdc"], deleteBeforeReplace: false },
    );
  });

  it("read supports import by URN or href, and says a vApp deleted outside Pulumi is gone", async () => {
    const v = await c.vapps.compose({
      vdc: "acme-vdc",
      name: "adopted",
      description: "made by hand",
      networks: [{ name: "acme-net" }],
    });
    const declared = await checked(
      props({ resourceName: "adopted", description: "made by hand", network: "acme-net" }),
    );
    for (const id of [v.id, v.href]) {
      const r = await h.read(id, declared);
      assert.equal(r.id, v.href, "the state records the href");
      assert.equal(r.props!.uuid, v.id);
      assert.deepEqual(
        (await h.diff(r.id!, r.props as any, declared)).changes,
        false,
        "the program matches: import succeeds",
      );
    }
    const wrongVdc = await h.read(v.href, { ...declared, vdc: "acme-vdc2" });
    assert.equal(wrongVdc.inputs!.vdc, "acme-vdc", "a VDC mismatch shows as a diff");
    await c.vapps.delete(v.href);
    assert.deepEqual(await h.read(v.href, declared), { id: "" });
  });

  it("adopts an existing vApp at create, applying the declared properties; refuses one in another VDC", async () => {
    const v = await c.vapps.compose({ vdc: "acme-vdc", name: "legacy", description: "old" });
    // At preview already (check reads the vApp), and again at create.
    const refused = await h.check({} as any, props({ resourceName: "legacy", vdc: "acme-vdc2", adopt: v.id }));
    assert.deepEqual(refused.failures, [
      {
        property: "adopt",
        reason: 'vApp "legacy" is in VDC "acme-vdc", not "acme-vdc2"; declare vdc: "acme-vdc" to adopt it',
      },
    ]);
    const elsewhere = await h
      .create({ ...props({ resourceName: "legacy", vdc: "acme-vdc2", adopt: v.id }) })
      .catch((e) => e as Error);
    assert.match(String(elsewhere), /VcdVapp "legacy": adopt: vApp "legacy" is in VDC "acme-vdc", not "acme-vdc2"/);
    const { id, outs } = await h.create(
      await checked(props({ resourceName: "legacy", description: "adopted", adopt: v.id })),
    );
    assert.equal(id, v.href);
    assert.equal(outs.description, "adopted");
    assert.equal(inSim("legacy")!.description, "adopted");
    assert.equal(sim.state.inventory().filter((x) => x.name === "legacy").length, 1, "nothing new was created");
  });

  it("tells bad credentials apart from a deleted vApp, and never shows the password", async () => {
    const any = (await c.query("vApp"))[0].attrs.href;
    const e = await thrown(() =>
      h.read(any, props({ connection: { url: sim.url, org: "acme", username: "alice", password: "wrong-Passw0rd!" } })),
    );
    assert.match(e.message, /401 NOT_AUTHENTICATED/);
    assert.ok(!e.message.includes("wrong-Passw0rd!"));
  });

  it("retries BUSY_ENTITY transparently", async () => {
    const state = (await h.create(await checked(props({ resourceName: "busy" })))).outs;
    sim.faults.busyEntity("busy", 2);
    await h.update(state.href, state as any, await checked(props({ resourceName: "busy", description: "after busy" })));
    assert.equal(inSim("busy")!.description, "after busy");
    assert.equal(sim.faults.requestLog.filter((r) => r.minorErrorCode === "BUSY_ENTITY").length, 2);
  });

  it("a creation task that fails mid-way is reported with the vApp's href, and delete removes it", async () => {
    sim.faults.failTasks({ operationName: "vdcInstantiateVapp", message: "Datastore full." });
    const inputs = await checked(props({ resourceName: "broken", source: { catalog: "base", template: "photon-5" } }));
    const e = await thrown(() => h.create(inputs));
    assert.ok(e instanceof PartialStateError, String(e));
    assert.match(e.message, /VcdVapp "broken": vCD task vdcInstantiateVapp error .*Datastore full/);
    assert.match(e.id, /\/api\/vApp\/vapp-/);
    assert.equal(e.properties.__provider, "serialized", "the engine needs the provider to delete it later");
    assert.deepEqual(e.properties.status, { code: -1, text: "FAILED_CREATION" });
    assert.equal(inSim("broken")!.status, -1, "left behind in vCD");
    assert.deepEqual((await h.diff(e.id, e.properties as any, inputs)).replaces, ["status"], "the next up replaces it");
    await h.remove(e.id, e.properties as any);
    assert.equal(inSim("broken"), undefined);
    await h.remove(e.id, e.properties as any); // already gone: fine
  });

  it("a failure after creation (unknown owner) keeps the vApp in state so destroy can remove it", async () => {
    const inputs = await checked(props({ resourceName: "orphan", owner: "nobody" }));
    const e = await thrown(() => h.create(inputs));
    assert.ok(e instanceof PartialStateError);
    assert.match(e.message, /VcdVapp "orphan": user "nobody" not found/);
    assert.deepEqual((e as PartialStateError).properties.status, { code: 1, text: "RESOLVED" });
    await h.remove((e as PartialStateError).id, (e as PartialStateError).properties as any);
    assert.equal(inSim("orphan"), undefined);
  });

  it("an expired vApp asked to power on gets a clear message, and renewing the lease lets it start", async () => {
    const inputs = await checked(props({ resourceName: "old", source: { catalog: "base", template: "photon-5" } }));
    const state = (await h.create(inputs)).outs;
    // Expire the storage lease by the wall clock, which the client judges by too.
    sim.state.vapps.get(state.href.split("vapp-")[1])!.storageExpiration = new Date(Date.now() - 60_000);
    {
      const r = await h.read(state.href, state as any);
      assert.equal(r.props!.expired, true);
      const e = await thrown(() => h.update(state.href, r.props as any, { ...inputs, powerOn: true }));
      assert.match(
        e.message,
        /^VcdVapp "old": powerOn: the vApp's storage lease expired at .* renew it by declaring leases/,
      );
      assert.equal(inSim("old")!.deployed, false, "nothing was attempted");
      await h.update(state.href, r.props as any, {
        ...inputs,
        powerOn: true,
        leases: { deploymentSeconds: 0, storageSeconds: 0 },
      });
      assert.equal(inSim("old")!.status, 4);
    }
  });

  it("delete undeploys a running vApp first, then removes every vApp it made", async () => {
    for (const v of sim.state.inventory()) await h.remove(sim.url + `/api/vApp/vapp-${v.id}`, props());
    assert.deepEqual(sim.state.inventory(), []);
    assert.ok(sim.faults.count({ method: "POST", path: /action\/undeploy$/ }) >= 1);
  });
});
