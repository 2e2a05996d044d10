// The `timeouts` input: an operation that outlasts its limit stops, cancels the server tasks still running, fails
// with a message naming the limit, and leaves a state that `pulumi destroy` clears completely. Driven through the
// provider runtime (providers/common/runtime.ts), as the engine calls it.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { handlersFor } from "../../providers/common/runtime";
import { PartialStateError } from "../../providers/common/errors";
import { closeVimSessions } from "../../sdk/vsphere";
import { closeVcdSessions } from "../../sdk/vcd/pool";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { VcdSimulator } from "../../simulators/vcd";
import { vcenterTemplatesFromYaml } from "../../providers/vcentertemplate/yaml";
import { govc } from "../helpers/govc";
import { fastSeed, startSim, vappInputs } from "./vcd-harness";

async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => assert.fail("the operation should have hit its time limit"),
    (e: Error) => e,
  );
}

describe("timeouts input", function () {
  this.timeout(120_000);

  describe("VmGroup against vcsim (CloneVM_Task takes 6 s)", () => {
    let sim: Vcsim;
    const h = handlersFor("vmgroup");
    const props = (over: Record<string, unknown> = {}) => ({
      connection: { url: sim.url, username: sim.username, password: sim.password, ca: sim.ca },
      datacenter: "DC0",
      template: "DC0_H0_VM0",
      folder: "slow",
      replicas: 2,
      cpu: 1,
      memoryMB: 128,
      resourceName: "slow",
      owner: "urn:pulumi:test::p::pulumi-nodejs:dynamic/vmware:VmGroup::slow",
      shutdownTimeoutSeconds: 5,
      ...over,
    });

    before(async () => {
      // vcsim delays the API call for "CloneVM_Task" and the task itself for its TaskInfo.name "CloneVm";
      // LockHandoff 0 keeps the VM unlocked during that delay, so property reads are answered meanwhile.
      sim = await startVcsim({ methodDelay: { CloneVm: 6_000, LockHandoff: 0 } });
    });
    after(async () => {
      await closeVimSessions();
      await sim?.stop();
    });

    it("stops a create at timeouts.create, cancels the clones, follows them, and destroy leaves nothing", async () => {
      const checked = await h.check({}, props({ timeouts: { create: "2s" } }));
      assert.deepEqual(checked.failures ?? [], []);
      const started = Date.now();
      const err = await failure(h.create(checked.inputs as Record<string, unknown>));
      const took = Date.now() - started;
      assert.match(err.message, /timeouts\.create = 2s/);
      assert.ok(took < 5_500, `create gave up after ${took} ms, not at its 2 s limit`);
      assert.ok(err instanceof PartialStateError, `the folder exists, so the state must record it: ${err}`);
      assert.deepEqual((err.properties as { timeouts?: unknown }).timeouts, { create: "2s" });
      // The state follows both clones by their tasks: a cancel is a request, and vcsim (whose CancelTask only
      // marks the TaskInfo) lets them land anyway, unmarked, a few seconds later.
      const pending = (err.properties as { pendingClones?: Array<{ index: number }> }).pendingClones ?? [];
      assert.deepEqual(pending.map((p) => p.index).sort(), [0, 1]);
      await new Promise((r) => setTimeout(r, 5_000));
      assert.equal((await govc(sim, ["find", "/DC0/vm/slow", "-type", "m"])).trim().split("\n").length, 2);
      // A refresh claims them by the tasks' results, so the group knows its VMs and nothing is left to follow.
      const refreshed = await h.read(err.id, err.properties);
      const after = refreshed.props as { currentReplicas: number; pendingClones?: unknown[] };
      assert.equal(after.currentReplicas, 2);
      assert.equal(after.pendingClones, undefined);
      assert.deepEqual(
        (refreshed.props as { timeouts?: unknown }).timeouts,
        { create: "2s" },
        "refresh keeps the limits",
      );
      await h.remove(err.id, refreshed.props as Record<string, unknown>);
      assert.equal(await govc(sim, ["find", "/DC0/vm", "-name", "slow*"]), "");
    });

    it("without a limit the same create completes", async () => {
      const checked = await h.check({}, props({ folder: "patient", resourceName: "patient", replicas: 1 }));
      const { id, outs } = await h.create(checked.inputs as Record<string, unknown>);
      assert.equal((outs.vms as unknown[]).length, 1);
      await h.remove(id, outs);
    });
  });

  describe("VcdVapp against the vCD simulator (tasks take 6 s)", () => {
    let sim: VcdSimulator;
    const h = handlersFor("vcdvapp");
    const props = (over: Record<string, unknown> = {}) => vappInputs(sim, { resourceName: "slow", ...over });

    before(async () => {
      sim = await startSim(fastSeed({ tasks: { queuedMs: 5, runningMs: 6_000 } }));
    });
    after(async () => {
      await closeVcdSessions();
      await sim?.stop();
    });

    it("stops a create at timeouts.create, cancels the vCD task, and destroy leaves nothing", async () => {
      const checked = await h.check({}, props({ timeouts: { create: "1s" } }));
      assert.deepEqual(checked.failures ?? [], []);
      const started = Date.now();
      const err = await failure(h.create(checked.inputs as Record<string, unknown>));
      assert.ok(Date.now() - started < 5_000, "create gave up at its limit, not when the task ended");
      assert.match(err.message, /timeouts\.create = 1s/);
      assert.match(err.message, /cancelled/);
      const tasks = [...sim.tasks.tasks.values()].filter((t) => t.operationName === "vdcComposeVapp");
      assert.equal(tasks.at(-1)?.status, "canceled");
      if (err instanceof PartialStateError) await h.remove(err.id, err.properties);
      assert.deepEqual(
        sim.state.inventory().filter((v) => v.name === "slow"),
        [],
      );
    });
  });

  describe("VCenterTemplate against vcsim (each property read takes 4 s)", () => {
    let sim: Vcsim;
    const FQDN = "vc-a-0.cc.qa-de-1.cloud.sap";
    const h = handlersFor("vcentertemplate");

    before(async () => {
      sim = await startVcsim({ methodDelay: { RetrievePropertiesEx: 4_000 } });
    });
    after(async () => {
      await closeVimSessions();
      await sim?.stop();
    });

    it("gives up reading at timeouts.create, naming the limit", async () => {
      const checked = await h.check(
        {},
        {
          resourceName: "slow",
          discovery: { static: [FQDN] },
          credentials: { perVCenter: { [FQDN]: { username: sim.username, password: sim.password } } },
          endpoints: { [FQDN]: sim.url },
          ca: sim.ca,
          namespace: "monsoon3",
          templates: vcenterTemplatesFromYaml(
            fs.readFileSync(path.join(__dirname, "..", "fixtures", "vcenter", "cinder-volume-secret-vct.yaml"), "utf8"),
          ),
          timeouts: { create: "1s" },
        },
      );
      assert.deepEqual(checked.failures ?? [], []);
      const started = Date.now();
      const err = await failure(h.create(checked.inputs as Record<string, unknown>));
      assert.ok(Date.now() - started < 3_500, "create gave up at its limit, not when the reads ended");
      assert.match(err.message, /VCenterTemplate "slow": did not finish within timeouts\.create = 1s/);
    });
  });

  it("check() names a malformed limit and touches nothing", async () => {
    const h = handlersFor("vmgroup");
    const r = await h.check(
      {},
      {
        connection: { url: "https://vc.example.com/sdk", username: "u", password: "p" },
        datacenter: "DC0",
        template: "t",
        folder: "f",
        replicas: 1,
        timeouts: { create: "ten minutes", update: "200h", delete: "0.5s" },
      },
    );
    const failures = (r.failures ?? []).map((f) => `${f.property}: ${f.reason}`);
    assert.ok(
      failures.some((f) => /^timeouts\.create: must be a duration such as "30m"/.test(f)),
      failures.join("\n"),
    );
    assert.ok(
      failures.some((f) => /^timeouts\.delete: must be at least 1s/.test(f)),
      failures.join("\n"),
    );
    // Longer than Node's timers can hold (2^31 ms, ~24.8 days) would fire at once: the bound is a week.
    assert.ok(
      failures.some((f) => /^timeouts\.update: must be at most 168h/.test(f)),
      failures.join("\n"),
    );
  });
});
