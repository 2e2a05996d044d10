// VcdClient through a real fault proxy (Toxiproxy) in front of the vCD simulator: resets, held and cut answers, a
// server that goes away, a load balancer's 502 after vCD acted, and a token that expires during a task wait. The
// outcome is checked in the simulator's state and request log, not only in what the client returned.
import { strict as assert } from "assert";
import { VcdSimulator } from "../../simulators/vcd";
import { FaultProxy, startToxiproxy, ToxiproxyServer } from "../../simulators/toxiproxy";
import { VcdClient, VcdClientOptions } from "../../sdk/vcd";
import { RetryInfo, TransportError } from "../../sdk/http";
import { ALICE, startSim, thrown } from "./vcd-harness";
import { FaultLedger } from "./fault-ledger";

describe("vcd: transport faults through toxiproxy", function () {
  this.timeout(60_000);
  let sim: VcdSimulator;
  let toxi: ToxiproxyServer;
  let proxy: FaultProxy;
  let n = 0;
  const retries: RetryInfo[] = [];
  const ledger = new FaultLedger("VcdClient (vCD)");

  /** A client through the proxy; `lift` runs at its first retry (the moment the test lifts the fault). */
  function viaProxy(opts: Partial<VcdClientOptions> = {}, lift?: () => Promise<void>): VcdClient {
    let lifted = false;
    return new VcdClient({
      url: proxy.via(sim.url),
      ...ALICE,
      taskPollMs: 5,
      taskMaxPollMs: 20,
      retryDelayMs: 10,
      retryMaxDelayMs: 50,
      taskTimeoutMs: 10_000,
      requestDeadlineMs: 2_000,
      lostCreationWindowMs: 2_000,
      retryDeadlineMs: 5_000,
      ...opts,
      onRetry: async (info) => {
        retries.push(info);
        if (lift && !lifted) {
          lifted = true;
          await lift();
        }
      },
    });
  }

  const vappsNamed = (name: string) => [...sim.state.vapps.values()].filter((v) => v.name === name);

  before(async () => {
    sim = await startSim();
    toxi = await startToxiproxy();
  });
  beforeEach(async () => {
    retries.length = 0;
    sim.faults.reset();
    proxy = await toxi.proxy(`vcd-${++n}`, new URL(sim.url).host);
  });
  afterEach(async () => {
    await proxy.remove();
  });
  after(async () => {
    ledger.print();
    await toxi?.stop();
    await sim?.stop();
  });

  describe("idempotent requests are retried with jittered backoff", () => {
    for (const [toxic, attrs, stream] of [
      ["reset_peer", { timeout: 0 }, "downstream"],
      ["limit_data", { bytes: 100 }, "downstream"],
      ["timeout", { timeout: 0 }, "downstream"],
      ["timeout", { timeout: 20 }, "upstream"],
    ] as const) {
      it(`a vApp read cut by ${toxic} (${stream}) succeeds after a retry`, async () => {
        const c = viaProxy({}, () => proxy.clear());
        await c.connect();
        const made = await c.vapps.compose({ vdc: "acme-vdc", name: `read-${toxic}-${stream}` });
        await proxy.toxic(toxic, attrs, { stream });
        assert.equal((await c.vapps.get(made)).name, made.name);
        assert.ok(retries.length >= 1 && retries[0].error instanceof TransportError, "the fault was not injected");
        ledger.record("read (GET vApp)", `${toxic} ${stream}`, "succeeded after retry");
        await c.vapps.delete(made);
        await c.close();
      });
    }

    it("a lease change (PUT) that meets a server restart goes through once the server is back", async () => {
      const c = viaProxy({}, () => proxy.enable());
      await c.connect();
      const made = await c.vapps.compose({ vdc: "acme-vdc", name: "put-restart" });
      await proxy.disable();
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await c.vapps.setLease(made, { storageSeconds: 7200 })).storageSeconds, 7200);
      assert.match(retries[0].error.message, /ECONNREFUSED|ECONNRESET/);
      ledger.record("update (PUT lease)", "upstream restart", "succeeded after retry");
      await c.vapps.delete(made);
      await c.close();
    });

    it("latency and slow_close cost time, not correctness", async () => {
      const c = viaProxy();
      await proxy.toxic("latency", { latency: 100, jitter: 30 });
      await proxy.toxic("slow_close", { delay: 100 });
      const made = await c.vapps.compose({ vdc: "acme-vdc", name: "slow-net" });
      assert.equal(vappsNamed("slow-net").length, 1);
      assert.equal(retries.length, 0);
      ledger.record("create (composeVApp)", "latency + slow_close", "succeeded (no retry needed)");
      await c.vapps.delete(made);
      await c.close();
    });

    it("a held answer is a clear error at the request deadline once retries run out", async () => {
      const c = viaProxy({ requestDeadlineMs: 200, retryDeadlineMs: 500 });
      await c.connect();
      await proxy.toxic("timeout", { timeout: 0 });
      const err = await thrown(() => c.vapps.find("acme-vdc", "nothing"));
      assert.ok(err instanceof TransportError && err.code === "ERR_DEADLINE", String(err));
      assert.match(err.message, /gave no complete answer within the request deadline/);
      ledger.record("read (query)", "timeout (held)", "clear error after bounded retries");
      await c.close();
    });
  });

  describe("a lost answer to a vApp creation is resolved by finding the vApp, never by creating another", () => {
    it("compose answered by a reset after vCD acted: the vApp it made is returned, and only one exists", async () => {
      const c = viaProxy();
      await c.connect();
      sim.faults.loseReply({ method: "POST", path: /composeVApp$/, status: 0 });
      const v = await c.vapps.compose({ vdc: "acme-vdc", name: "lost-compose" });
      assert.deepEqual(
        vappsNamed("lost-compose").map((x) => x.id),
        [v.id.replace(/^urn:vcloud:vapp:/, "")],
      );
      assert.equal(v.status, 1, "settled (RESOLVED) as after a normal compose");
      assert.equal(sim.faults.count({ method: "POST", path: /composeVApp$/ }), 1, "compose sent once");
      ledger.record("create (composeVApp)", "reset after vCD acted", "succeeded (vApp found, one vApp)");
      await c.vapps.delete(v);
      await c.close();
    });

    it("instantiate answered 502 by a load balancer after vCD acted: found, not resent", async () => {
      const c = viaProxy();
      sim.faults.loseReply({ method: "POST", path: /instantiateVAppTemplate$/, status: 502 });
      const v = await c.vapps.instantiate({
        vdc: "acme-vdc",
        name: "lost-instantiate",
        catalog: "base",
        template: "photon-5",
      });
      assert.equal(vappsNamed("lost-instantiate").length, 1);
      assert.equal(sim.faults.count({ method: "POST", path: /instantiateVAppTemplate$/ }), 1);
      ledger.record("create (instantiateVAppTemplate)", "502 after vCD acted", "succeeded (vApp found, one vApp)");
      await c.vapps.delete(v);
      await c.close();
    });

    it("compose answered 503 (the balancer did not forward it) is simply sent again", async () => {
      const c = viaProxy();
      sim.faults.serverError({ method: "POST", path: /composeVApp$/, status: 503 });
      const v = await c.vapps.compose({ vdc: "acme-vdc", name: "resent-503" });
      assert.equal(vappsNamed("resent-503").length, 1);
      assert.deepEqual(
        sim.faults.requestLog.filter((r) => /composeVApp$/.test(r.path)).map((r) => r.status),
        [503, 201],
      );
      ledger.record("create (composeVApp)", "503 (not forwarded)", "succeeded after retry");
      await c.vapps.delete(v);
      await c.close();
    });

    it("compose cut by the proxy (limit_data) is found again through the proxy", async () => {
      const c = viaProxy({}, () => proxy.clear());
      await c.connect();
      await proxy.toxic("limit_data", { bytes: 64 });
      const v = await c.vapps.compose({ vdc: "acme-vdc", name: "cut-compose" });
      assert.equal(vappsNamed("cut-compose").length, 1);
      assert.equal(sim.faults.count({ method: "POST", path: /composeVApp$/ }), 1);
      ledger.record("create (composeVApp)", "limit_data (answer cut)", "succeeded (vApp found, one vApp)");
      await c.vapps.delete(v);
      await c.close();
    });

    it("a creation dropped before vCD read it is a clear error, and nothing is created", async () => {
      const c = viaProxy({ lostCreationWindowMs: 300 });
      sim.faults.dropRequest({ method: "POST", path: /composeVApp$/ });
      const err = await thrown(() => c.vapps.compose({ vdc: "acme-vdc", name: "never-arrived" }));
      assert.ok(err instanceof TransportError && /ECONNRESET/.test(err.message), String(err));
      assert.equal(vappsNamed("never-arrived").length, 0);
      assert.deepEqual(
        sim.faults.requestLog.filter((r) => /composeVApp$/.test(r.path)).map((r) => r.status),
        [0],
        "sent once, never again",
      );
      ledger.record(
        "create (composeVApp)",
        "request dropped (reset before vCD read it)",
        "clear error, nothing created",
      );
      await c.close();
    });

    it("a deploy whose answer is lost (504 after vCD acted) is not sent again: a clear error", async () => {
      const c = viaProxy();
      await c.connect();
      const v = await c.vapps.compose({ vdc: "acme-vdc", name: "lost-action" });
      sim.faults.loseReply({
        method: "POST",
        path: /\/action\/undeploy$|\/power\/action\/powerOn$|\/action\/deploy$/,
        status: 504,
      });
      const err = await thrown(() =>
        c.request("POST", `${v.href}/action/deploy`, {
          body: '<DeployVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" powerOn="false"/>',
          contentType: "application/vnd.vmware.vcloud.deployVAppParams+xml",
          expect: [202],
        }),
      );
      assert.match(err.message, /504/);
      assert.equal(sim.faults.count({ method: "POST", path: /\/action\/deploy$/ }), 1, "not resent");
      ledger.record("update (deploy action)", "504 after vCD acted", "clear error, not resent");
      await c.close();
    });
  });

  describe("sessions", () => {
    it("a token that expires during a task wait is renewed and the wait goes on", async () => {
      const c = viaProxy();
      const v = await c.vapps.compose({ vdc: "acme-vdc", name: "token-expiry" });
      sim.faults.slowTasks({ runningMs: 300 }, 1);
      setTimeout(() => sim.faults.expireSessions(), 100);
      const after = await c.vapps.update(v, { description: "after expiry" });
      assert.equal(after.description, "after expiry");
      assert.equal(c.logins, 2, "one re-login");
      assert.ok(
        sim.faults.requestLog.some((r) => r.status === 401 && /\/api\/task\//.test(r.path)),
        "a task poll met the expired token",
      );
      ledger.record("task wait", "token expired", "succeeded after re-login");
      await c.vapps.delete(await c.vapps.get(v));
      await c.close();
    });
  });
});
