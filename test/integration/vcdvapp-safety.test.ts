// VcdVapp safety against the vCD simulator, through the provider's handlers: adopting changes nothing undeclared and
// says beforehand what it will change; power off is a guest shutdown (falling back to power off); a moved endpoint
// replaces; refresh and destroy use rotated credentials from the stack configuration.
import { strict as assert } from "assert";
import { VcdSimulator } from "../../simulators/vcd";
import { VcdClient } from "../../sdk/vcd";
import { VcdClient as ProviderClient } from "../../sdk/vcd/client";
import * as h from "../../providers/vcdvapp/handlers";
import { configure, handlersFor } from "../../providers/common/runtime";
import { setStackConfig, SOURCES_KEY } from "../../providers/common/credentials";
import { closeVcdSessions } from "../../sdk/vcd/pool";
import { ALICE, clientFor, fastSeed, startSim, thrown } from "./vcd-harness";

describe("VcdVapp safety (handlers against the vCD simulator)", function () {
  this.timeout(60_000);
  let sim: VcdSimulator;
  let c: VcdClient;

  const conn = () => ({ url: sim.url, ...ALICE, allowHttp: true });
  const props = (over: Record<string, unknown> = {}): any => ({
    connection: conn(),
    org: "acme",
    vdc: "acme-vdc",
    __provider: "serialized",
    ...over,
  });
  const inSim = (name: string) => sim.state.inventory().find((v) => v.name === name);
  const checked = async (olds: any, news: any) => {
    const r = await h.check(olds, news);
    assert.deepEqual(r.failures, []);
    return r.inputs as any;
  };
  /** A running vApp made by hand, with metadata the program will not declare. */
  async function prodDb(name: string) {
    const v = await c.vapps.instantiate({
      vdc: "acme-vdc",
      name,
      description: "hand made",
      catalog: "base",
      template: "photon-5",
      acceptAllEulas: true,
      powerOn: true,
    });
    await c.vapps.mergeMetadata(v.href, [
      { key: "backup-policy", value: "gold" },
      { key: "tier", value: "silver" },
    ]);
    return v;
  }
  /** Bodies of the undeploy requests the provider sends. */
  function undeployBodies(): { actions: string[]; restore: () => void } {
    const actions: string[] = [];
    const orig = ProviderClient.prototype.request;
    ProviderClient.prototype.request = function (
      this: ProviderClient,
      method: string,
      href: string,
      opts?: { body?: string },
    ) {
      if (/action\/undeploy$/.test(href))
        actions.push(/<UndeployPowerAction>(\w+)</.exec(opts?.body ?? "")?.[1] ?? "?");
      return orig.call(this, method, href, opts as never);
    } as typeof orig;
    return { actions, restore: () => (ProviderClient.prototype.request = orig) };
  }

  before(async () => {
    sim = await startSim(fastSeed());
    c = clientFor(sim);
  });
  after(async () => {
    setStackConfig(undefined);
    await c.close();
    await sim.stop();
  });
  beforeEach(() => sim.faults.reset());

  it("adopting keeps an undeclared name, power state and metadata keys, and changes only what is declared", async () => {
    const v = await prodDb("prod-db");
    sim.faults.requestLog.length = 0;
    const inputs = await checked(
      {},
      props({ resourceName: "db", adopt: v.href, metadata: { tier: "gold", team: "dba" } }),
    );
    assert.equal(inputs.name, "prod-db", "undeclared name: the vApp's own");
    assert.equal(inputs.powerOn, true, "undeclared power: as found");
    assert.equal(inputs.description, "hand made");
    assert.deepEqual(inputs.keptMetadataKeys, ["backup-policy"]);
    assert.deepEqual(inputs.adoptionPlan, ['metadata "tier": "silver" → "gold"', 'metadata "team": add "dba"']);
    assert.equal(
      sim.faults.count({ method: "POST" }) - sim.faults.count({ method: "POST", path: /sessions/ }),
      0,
      "check() changed nothing",
    );

    const { id, outs } = await h.create(inputs);
    assert.equal(id, v.href);
    const after = inSim("prod-db")!;
    assert.equal(after.status, 4, "still running");
    assert.equal(after.description, "hand made");
    assert.equal(after.metadata["backup-policy"], "gold", "undeclared key kept");
    assert.equal(after.metadata.tier, "gold");
    assert.equal(after.metadata.team, "dba");

    // The next preview and up keep all that: nothing to do, and a refresh does not turn kept keys into inputs.
    const again = await checked(
      inputs,
      props({ resourceName: "db", adopt: v.href, metadata: { tier: "gold", team: "dba" } }),
    );
    assert.equal(again.name, "prod-db");
    assert.deepEqual((await h.diff(id, outs as any, again)).changes, false);
    const r = await h.read(id, outs as any);
    assert.deepEqual(r.inputs!.metadata, { tier: "gold", team: "dba" });
    assert.equal(r.props!.metadata["backup-policy"], "gold", "outputs still show it");
    // Declaring the key later makes it managed; dropping it again then removes it (the user took it over).
    const declared = await checked(
      r.inputs,
      props({ resourceName: "db", adopt: v.href, metadata: { tier: "gold", team: "dba", "backup-policy": "gold" } }),
    );
    assert.deepEqual(declared.keptMetadataKeys, []);
    await h.remove(id, outs as any);
  });

  it("lists every change an adoption will make before anything happens (rename, power off, metadata)", async () => {
    const v = await prodDb("legacy-app");
    const inputs = await checked(
      {},
      props({ resourceName: "app", adopt: v.id, name: "app", powerOn: false, metadata: {} }),
    );
    assert.deepEqual(inputs.adoptionPlan, ['rename "legacy-app" to "app"', "power off (undeploy, shutdown)"]);
    assert.deepEqual(inputs.keptMetadataKeys, ["backup-policy", "tier"], "metadata: {} still removes nothing");
    assert.equal(inSim("legacy-app")!.status, 4, "preview changed nothing");
    const undeploys = undeployBodies();
    try {
      await h.create(inputs);
    } finally {
      undeploys.restore();
    }
    assert.deepEqual(undeploys.actions, ["shutdown"]);
    const after = inSim("app")!;
    assert.equal(after.deployed, false);
    assert.deepEqual(
      Object.keys(after.metadata)
        .filter((k) => !k.startsWith("vapp.origin."))
        .sort(),
      ["backup-policy", "tier"],
    );
    await h.remove(v.href, { ...inputs, href: v.href });
  });

  it("an adopt that cannot work fails at check(), naming adopt", async () => {
    const v = await c.vapps.compose({ vdc: "acme-vdc", name: "empty-one" });
    const r = await h.check({}, props({ resourceName: "e", adopt: v.href, powerOn: true }));
    assert.deepEqual(r.failures, [
      { property: "adopt", reason: "powerOn: the vApp has no VMs, so vCD cannot power it on" },
    ]);
    const gone = await h.check({}, props({ adopt: "urn:vcloud:vapp:00000000-0000-4000-8000-000000000000" }));
    assert.match(
      gone.failures![0].reason,
      /^no vApp at .*vapp-00000000-0000-4000-8000-000000000000 \(deleted, or not visible to user "alice"\)$/,
    );
    const moved = await h.check(
      { adopt: v.href } as any,
      props({ adopt: "urn:vcloud:vapp:00000000-0000-4000-8000-000000000000" }),
    );
    assert.match(moved.failures![0].reason, /cannot change once the vApp is adopted/);
    await c.vapps.delete(v.href);
  });

  it("powerOn: false shuts the guests down, falls back to power off when vCD reports the shutdown failed, and honours powerOff", async () => {
    const inputs = await checked(
      {},
      props({ resourceName: "web", source: { catalog: "base", template: "photon-5" }, powerOn: true }),
    );
    const { id, outs } = await h.create(inputs);
    const undeploys = undeployBodies();
    try {
      sim.faults.failTasks({
        operationName: "vappUndeployPowerOff",
        message: "Cannot shut down the guest OS: VMware Tools is not running.",
      });
      const off = await checked(inputs, { ...inputs, powerOn: false });
      const r = await h.update(id, outs as any, off);
      assert.deepEqual(undeploys.actions, ["shutdown", "powerOff"]);
      assert.equal(inSim("web")!.deployed, false);

      const on = await h.update(id, r.outs as any, { ...off, powerOn: true });
      undeploys.actions.length = 0;
      await h.update(id, on.outs as any, { ...off, undeployPowerAction: "powerOff" });
      assert.deepEqual(undeploys.actions, ["powerOff"]);
      await h.update(id, on.outs as any, { ...off, powerOn: true });
      undeploys.actions.length = 0;
      await h.remove(id, { ...(on.outs as any), undeployPowerAction: "shutdown" });
      assert.deepEqual(undeploys.actions, ["shutdown"], "delete stops the guests gracefully too");
    } finally {
      undeploys.restore();
    }
  });

  it("a changed endpoint URL or org is a replace, credentials and TLS settings are not", async () => {
    const olds = { ...props(), resourceName: "x", status: { code: 1 } };
    const diff = (connection: Record<string, unknown>) =>
      h.diff("id", olds, { ...olds, connection: { ...conn(), ...connection } });
    assert.deepEqual(await diff({ url: "https://other.example.com" }), {
      changes: true,
      replaces: ["endpoint"],
      deleteBeforeReplace: false,
    });
    assert.deepEqual((await diff({ org: "other" })).replaces, ["endpoint"]);
    assert.deepEqual((await diff({ url: `${sim.url}/api/` })).replaces, [], "the same endpoint written differently");
    assert.deepEqual(await diff({ password: "rotated" }), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual((await diff({ org: "ACME" })).replaces, [], "vCD org names are case-insensitive");
    const checked = await h.check({}, props({ connection: { ...conn(), url: `${sim.url}/api` } }));
    assert.equal(
      checked.inputs!.endpoint,
      `${sim.url.replace("http://", "")}/api (org acme)`,
      "a non-secret name for where it lives",
    );
  });

  it("refresh and destroy use a password rotated in the stack configuration; without it the error says what to do", async () => {
    const kit = handlersFor("vcdvapp");
    const old = ALICE.password;
    const rotated = "alice-Rotated-9!";
    await configure({ config: { rawConfig: { "vcd:password": old, "proj:vdc": "acme-vdc" } } } as never);
    const { id, outs } = await kit.create(await checked({}, props({ resourceName: "rot" })));
    assert.deepEqual(
      outs![SOURCES_KEY],
      { "connection.password": "vcd:password" },
      "the key's name is recorded, not its value",
    );
    assert.ok(!JSON.stringify(outs![SOURCES_KEY]).includes(old));

    const alice = sim.state.userByName(sim.state.orgByName("acme")!.id, "alice")!;
    alice.password = rotated;
    // `pulumi refresh` is a new provider process: no session of the `up` is still open.
    await closeVcdSessions();
    try {
      // The configuration as recorded at the last up (a plain `pulumi refresh`): refused, with the way out.
      const e = await thrown(() => kit.read(id, outs));
      assert.match(e.message, /401 NOT_AUTHENTICATED/);
      assert.match(
        e.message,
        /refresh and destroy used the current value of stack configuration "vcd:password".*pulumi refresh --run-program/,
      );
      assert.ok(!e.message.includes(old) && !e.message.includes(rotated));

      // The current configuration (`pulumi config set --secret vcd:password …` then --run-program): works.
      await configure({ config: { rawConfig: { "vcd:password": rotated } } } as never);
      const r = await kit.read(id, outs);
      assert.equal(r.id, id);
      assert.equal(r.props!.connection.password, rotated, "the state then records the current password");
      await kit.remove(id, outs);
      assert.equal(inSim("rot"), undefined);
    } finally {
      alice.password = old;
    }
  });

  it("without a recorded source, a refused login says the stored credentials were used", async () => {
    setStackConfig(undefined);
    const kit = handlersFor("vcdvapp");
    const v = await c.vapps.compose({ vdc: "acme-vdc", name: "stored" });
    const e = await thrown(() => kit.remove(v.href, props({ connection: { ...conn(), password: "stale-Passw0rd!" } })));
    assert.match(e.message, /refresh and destroy used the credentials recorded in the state at the last `pulumi up`/);
    assert.ok(!e.message.includes("stale-Passw0rd!"));
    assert.ok(inSim("stored"), "nothing was deleted");
    await c.vapps.delete(v.href);
  });
});
