import * as assert from "assert";
import { VcdSimulator } from "../../simulators/vcd";
import { BusyEntityError, TaskError, TaskTimeoutError, VcdClient, VcdError } from "../../sdk/vcd";
import { clientFor, startSim, thrown } from "./vcd-harness";

describe("vcd: injected faults (client against the simulator)", () => {
  let sim: VcdSimulator;
  let c: VcdClient;
  before(async () => {
    sim = await startSim();
    c = clientFor(sim, { busyRetries: 3 });
    await c.vapps.compose({ vdc: "acme-vdc", name: "target" });
  });
  after(async () => {
    await c.close();
    await sim.stop();
  });
  beforeEach(() => sim.faults.reset());

  const target = async () => (await c.vapps.find("acme-vdc", "target"))!;

  it("retries BUSY_ENTITY with backoff and succeeds", async () => {
    const v = await target();
    sim.faults.busyEntity(v.id, 2);
    const after = await c.vapps.update(v, { description: "after busy" });
    assert.strictEqual(after.description, "after busy");
    const busy = sim.faults.requestLog.filter((r) => r.minorErrorCode === "BUSY_ENTITY");
    assert.strictEqual(busy.length, 2);
    assert.strictEqual(busy[0].status, 400);
  });

  it("gives up on BUSY_ENTITY after the bounded number of retries", async () => {
    const v = await target();
    sim.faults.busyEntity("target", 10);
    const e = await thrown(() => c.vapps.update(v, { description: "never" }));
    assert.ok(e instanceof BusyEntityError && e.status === 400, String(e));
    assert.strictEqual(
      sim.faults.requestLog.filter((r) => r.minorErrorCode === "BUSY_ENTITY").length,
      4,
      "1 try + 3 retries",
    );
  });

  it("refuses a change while another task holds the entity (real BUSY_ENTITY)", async () => {
    const v = await target();
    sim.faults.slowTasks({ runningMs: 300 }, 1);
    const first = await c.startTask(
      "POST",
      `${v.href}/action/recomposeVApp`,
      '<RecomposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" name="target"><Description>one</Description></RecomposeVAppParams>',
      "application/vnd.vmware.vcloud.recomposeVAppParams+xml",
    );
    const quick = clientFor(sim, { busyRetries: 0 });
    const e = await thrown(() => quick.vapps.setLease(v, { storageSeconds: 7200 }));
    assert.ok(e instanceof BusyEntityError, String(e));
    await c.waitForTask(first);
    assert.strictEqual((await c.vapps.setLease(v, { storageSeconds: 7200 })).storageSeconds, 7200);
  });

  it("retries a GET that hit a 5xx, but not a mutation", async () => {
    const v = await target();
    sim.faults.reset();
    sim.faults.serverError({ method: "GET", path: /\/api\/vApp\//, count: 1, status: 503 });
    assert.strictEqual((await c.vapps.get(v)).name, "target");
    assert.deepStrictEqual(
      sim.faults.requestLog.map((r) => r.status),
      [503, 200],
    );
    sim.faults.serverError({ method: "POST", path: /recomposeVApp$/, count: 1 });
    const e = await thrown(() => c.vapps.update(v, { description: "x" }));
    assert.ok(e instanceof VcdError && e.status === 500 && e.minorErrorCode === "INTERNAL_SERVER_ERROR", String(e));
    assert.strictEqual(sim.faults.count({ method: "POST", path: /recomposeVApp$/ }), 1);
    sim.faults.serverError({ method: "GET", count: 5 });
    assert.strictEqual(((await thrown(() => c.vapps.get(v))) as VcdError).status, 500, "GET retries are bounded");
  });

  it("turns a task that ends in error into a TaskError with the task's message, leaving the entity unchanged", async () => {
    const v = await target();
    sim.faults.failTasks({ operationName: "vdcRecomposeVapp", message: "Datastore is full." });
    const e = await thrown(() => c.vapps.update(v, { description: "lost" }));
    assert.ok(e instanceof TaskError, String(e));
    assert.strictEqual(e.details.status, "error");
    assert.strictEqual(e.details.vcdMessage, "Datastore is full.");
    assert.strictEqual(e.details.ownerHref, v.href);
    assert.notStrictEqual((await c.vapps.get(v)).description, "lost");
  });

  it("reports a failed creation with the href of the vApp left behind (FAILED_CREATION)", async () => {
    sim.faults.failTasks({ operationName: "vdcComposeVapp", message: "No resources." });
    const e = await thrown(() => c.vapps.compose({ vdc: "acme-vdc", name: "half" }));
    assert.ok(e instanceof TaskError, String(e));
    const left = await c.vapps.get(e.details.ownerHref!);
    assert.deepStrictEqual([left.name, left.status, left.statusText], ["half", -1, "FAILED_CREATION"]);
    await c.vapps.delete(left);
  });

  it("times out waiting for a slow task", async () => {
    const v = await target();
    sim.faults.slowTasks({ runningMs: 2000 }, 1);
    const e = await thrown(() => clientFor(sim, { taskTimeoutMs: 150 }).vapps.update(v, { description: "slow" }));
    assert.ok(e instanceof TaskTimeoutError, String(e));
    assert.match(e.message, /vdcRecomposeVapp still (queued|running)/);
    // the task keeps the vApp busy until it ends; cancel it so the next change can go through
    const r = await c.request("POST", `${(e as TaskTimeoutError).taskHref}/action/cancel`, { expect: [204] });
    assert.strictEqual(r.status, 204);
    await assert.rejects(
      () => c.waitForTask((e as TaskTimeoutError).taskHref),
      (err: unknown) => err instanceof TaskError && err.details.status === "canceled",
    );
  });

  it("waits through a slow task with growing poll intervals", async () => {
    const v = await target();
    sim.faults.slowTasks({ queuedMs: 50, runningMs: 250 }, 1);
    const before = c.requestCount;
    const after = await clientFor(sim, { taskPollMs: 10, taskMaxPollMs: 80 }).vapps.update(v, {
      description: "slow ok",
    });
    assert.strictEqual(after.description, "slow ok");
    const polls = sim.faults.count({ method: "GET", path: /\/api\/task\// });
    assert.ok(polls >= 3 && polls <= 15, `polls: ${polls}`);
    assert.ok(c.requestCount >= before);
  });

  it("refuses request bodies with elements out of schema order, and wrong content types", async () => {
    const v = await target();
    const e = await thrown(() =>
      c.request("PUT", `${v.href}/leaseSettingsSection/`, {
        body: '<LeaseSettingsSection xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"><ovf:Info>x</ovf:Info><StorageLeaseInSeconds>7200</StorageLeaseInSeconds><DeploymentLeaseInSeconds>3600</DeploymentLeaseInSeconds></LeaseSettingsSection>',
        contentType: "application/vnd.vmware.vcloud.leaseSettingsSection+xml",
      }),
    );
    assert.ok(e instanceof VcdError && e.status === 400 && e.minorErrorCode === "BAD_REQUEST", String(e));
    assert.match(e.message, /Invalid content was found starting with element 'DeploymentLeaseInSeconds'/);
    const ns = await thrown(() =>
      c.request("PUT", `${v.href}/leaseSettingsSection/`, {
        body: '<LeaseSettingsSection xmlns="http://www.vmware.com/vcloud/v1.5"><Info>x</Info></LeaseSettingsSection>',
        contentType: "application/vnd.vmware.vcloud.leaseSettingsSection+xml",
      }),
    );
    assert.ok(ns instanceof VcdError && ns.status === 400, "ovf:Info in the wrong namespace");
    const ct = await thrown(() => c.request("PUT", v.href, { body: "<VApp/>", contentType: "application/xml" }));
    assert.ok(ct instanceof VcdError && ct.status === 415, String(ct));
  });
});
