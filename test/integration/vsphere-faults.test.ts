// VimClient through a real fault proxy (Toxiproxy) in front of vcsim: resets, held and cut answers, latency, a
// server that goes away and comes back, and lost answers to task submissions. Every outcome is checked in the
// inventory through a second session that does not go through the proxy.
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { FaultProxy, startToxiproxy, ToxiproxyServer } from "../../simulators/toxiproxy";
import { MoRef, TaskTimeoutError, VimClient, VimClientOptions, folderTreeSpec } from "../../sdk/vsphere";
import { RetryInfo, TransportError } from "../../sdk/http";
import { FaultLedger } from "./fault-ledger";

export const CLONE_DELAY_MS = 400;

describe("vsphere: transport faults through toxiproxy", function () {
  this.timeout(90_000);
  let sim: Vcsim;
  let toxi: ToxiproxyServer;
  let proxy: FaultProxy;
  let observer: VimClient;
  let vmFolder: MoRef;
  let source: MoRef;
  const ledger = new FaultLedger("VimClient (vSphere)");
  const retries: RetryInfo[] = [];

  /** A client through the proxy; `lift` runs at the first retry (the moment a test lifts its fault). */
  async function viaProxy(opts: VimClientOptions = {}, lift?: () => Promise<void>): Promise<VimClient> {
    let lifted = false;
    return VimClient.connect(
      { url: proxy.via(sim.url), username: sim.username, password: sim.password, ca: sim.ca },
      {
        taskPollMs: 10,
        lostTaskWindowMs: 5_000,
        requestDeadlineMs: 5_000,
        ...opts,
        retry: {
          baseDelayMs: 20,
          maxDelayMs: 200,
          deadlineMs: 10_000,
          ...opts.retry,
          onRetry: async (info) => {
            retries.push(info);
            if (lift && !lifted) {
              lifted = true;
              await lift();
            }
          },
        },
      },
    );
  }

  async function vmsNamed(name: string): Promise<MoRef[]> {
    const all = await observer.retrieveProperties(folderTreeSpec(vmFolder, "VirtualMachine", ["name"]));
    return all.filter((o) => o.props.name === name).map((o) => o.obj);
  }

  async function removeVm(vm: MoRef) {
    await observer.powerOffVM(vm).catch(() => undefined);
    await observer.destroy(vm);
  }

  before(async () => {
    sim = await startVcsim({ username: "faults", methodDelay: { CloneVM_Task: CLONE_DELAY_MS } });
    toxi = await startToxiproxy();
    observer = await VimClient.connect({ url: sim.url, username: sim.username, password: sim.password, ca: sim.ca });
    vmFolder = (await observer.findByInventoryPath("DC0/vm"))!;
    source = (await observer.findByInventoryPath("DC0/vm/DC0_H0_VM0"))!;
  });
  let n = 0;
  beforeEach(async () => {
    retries.length = 0;
    proxy = await toxi.proxy(`vcsim-${++n}`, new URL(sim.url).host);
  });
  afterEach(async () => {
    await proxy.remove();
  });
  after(async () => {
    ledger.print();
    await observer?.close();
    await toxi?.stop();
    await sim?.stop();
  });

  describe("idempotent calls (reads, finds, task polls) are retried", () => {
    for (const [toxic, attrs, stream] of [
      ["reset_peer", { timeout: 0 }, "downstream"],
      ["reset_peer", { timeout: 0 }, "upstream"],
      ["limit_data", { bytes: 200 }, "downstream"],
      ["timeout", { timeout: 0 }, "downstream"],
      ["timeout", { timeout: 50 }, "upstream"],
    ] as const) {
      it(`a read cut by ${toxic} (${stream}) succeeds after a retry`, async () => {
        const c = await viaProxy({ requestDeadlineMs: 1_000 }, () => proxy.clear());
        await proxy.toxic(toxic, attrs, { stream });
        const all = await c.retrieveProperties(folderTreeSpec(vmFolder, "VirtualMachine", ["name"]));
        assert.ok(all.length >= 4, `saw ${all.length} VMs`);
        assert.ok(retries.length >= 1, "no retry happened: the fault was not injected");
        assert.ok(
          retries.every((r) => r.error instanceof TransportError),
          retries.map((r) => r.error.message).join("; "),
        );
        ledger.record("read (RetrievePropertiesEx)", `${toxic} ${stream}`, "succeeded after retry");
        await c.close();
      });
    }

    it("a find that meets a server restart (refused, then back) succeeds", async () => {
      const c = await viaProxy({}, () => proxy.enable());
      await proxy.disable();
      assert.deepStrictEqual(await c.findByInventoryPath("DC0/vm/DC0_H0_VM0"), source);
      assert.match(retries[0].error.message, /ECONNREFUSED|ECONNRESET/);
      ledger.record("find (FindByInventoryPath)", "upstream restart", "succeeded after retry");
      await c.close();
    });

    it("latency within the deadline costs time but no retry", async () => {
      const c = await viaProxy();
      await proxy.toxic("latency", { latency: 150, jitter: 50 });
      await proxy.toxic("slow_close", { delay: 200 });
      assert.deepStrictEqual(await c.findByInventoryPath("DC0/vm/DC0_H0_VM0"), source);
      assert.strictEqual(retries.length, 0);
      ledger.record("find (FindByInventoryPath)", "latency + slow_close", "succeeded (no retry needed)");
      await c.close();
    });

    it("a held answer past the request deadline is a clear error once the retry deadline passes", async () => {
      const c = await viaProxy({ requestDeadlineMs: 300, retry: { deadlineMs: 1_000 } });
      await proxy.toxic("timeout", { timeout: 0 });
      const started = Date.now();
      const err = await c.findByInventoryPath("DC0/vm/DC0_H0_VM0").catch((e) => e);
      assert.ok(err instanceof TransportError && err.code === "ERR_DEADLINE", String(err));
      assert.match(
        err.message,
        /gave no complete answer within the request deadline \(0 s\)|within the request deadline/,
      );
      assert.ok(
        retries.length >= 1 && Date.now() - started < 5_000,
        `${retries.length} retries in ${Date.now() - started} ms`,
      );
      ledger.record("find (FindByInventoryPath)", "timeout (held)", "clear error after bounded retries");
      await proxy.clear();
      await c.close();
    });

    it("a trickled answer hits the overall deadline, not just the idle timer", async () => {
      const c = await viaProxy({ requestDeadlineMs: 400, requestTimeoutMs: 10_000, retry: { deadlineMs: 0 } });
      // 1 KB/s: bytes keep flowing (the idle timer never fires) but the answer takes far longer than 400 ms.
      await proxy.toxic("bandwidth", { rate: 1 });
      const err = await c
        .retrieveProperties(folderTreeSpec(vmFolder, "VirtualMachine", ["name", "config.hardware.numCPU"]))
        .catch((e) => e);
      assert.ok(err instanceof TransportError && err.code === "ERR_DEADLINE", String(err));
      ledger.record("read (RetrievePropertiesEx)", "bandwidth 1 KB/s", "clear error (overall deadline)");
      await c.close();
    });

    it("an answer over the size bound is refused without a retry", async () => {
      const c = await viaProxy({ maxResponseBytes: 20_000 });
      // Every VM's whole hardware (device lists included) is far more than 20 kB.
      const err = await c
        .retrieveProperties(folderTreeSpec(vmFolder, "VirtualMachine", ["config.hardware"]))
        .catch((e) => e);
      assert.ok(err instanceof TransportError && err.code === "ERR_RESPONSE_TOO_LARGE", String(err));
      assert.match(err.message, /answered more than 20000 bytes/);
      assert.strictEqual(retries.length, 0);
      await c.close();
    });
  });

  describe("task submissions are never sent twice", () => {
    it("a clone whose answer is lost (reset after vCenter acted) is found again, not resubmitted", async () => {
      const c = await viaProxy({}, () => proxy.clear());
      // vcsim starts the clone after CLONE_DELAY_MS; the reset lands while the call waits for its answer.
      await proxy.toxic("reset_peer", { timeout: CLONE_DELAY_MS / 2 });
      const vm = await c.cloneVM(source, vmFolder, "lost-answer", {});
      const named = await vmsNamed("lost-answer");
      assert.deepStrictEqual(named, [vm], "exactly one clone, and it is the one returned");
      ledger.record("clone (CloneVM_Task)", "reset_peer after send", "succeeded (task found again, one VM)");
      await removeVm(vm);
      await c.close();
    });

    it("a clone whose answer is cut mid-way (limit_data) is found again, not resubmitted", async () => {
      const c = await viaProxy({}, () => proxy.clear());
      await proxy.toxic("limit_data", { bytes: 50 });
      const vm = await c.cloneVM(source, vmFolder, "cut-answer", {});
      assert.deepStrictEqual(await vmsNamed("cut-answer"), [vm]);
      ledger.record("clone (CloneVM_Task)", "limit_data (answer cut)", "succeeded (task found again, one VM)");
      await removeVm(vm);
      await c.close();
    });

    it("concurrent clones of one template that all lose their answers each find their own task", async () => {
      const c = await viaProxy({}, () => proxy.clear());
      // Three pooled connections first, so each clone request is on the wire before the resets.
      await Promise.all([1, 2, 3].map(() => c.findByInventoryPath("DC0/vm")));
      await proxy.toxic("reset_peer", { timeout: CLONE_DELAY_MS / 2 });
      const names = ["sib-a", "sib-b", "sib-c"];
      const vms = await Promise.all(names.map((n) => c.cloneVM(source, vmFolder, n, {})));
      for (const [i, n] of names.entries()) assert.deepStrictEqual(await vmsNamed(n), [vms[i]], n);
      ledger.record(
        "clone (CloneVM_Task) x3 concurrent",
        "reset_peer after send",
        "succeeded (each found its own task)",
        3,
      );
      for (const vm of vms) await removeVm(vm);
      await c.close();
    });

    it("a clone refused by a stopped server is retried (it provably did not run)", async () => {
      const c = await viaProxy({}, () => proxy.enable());
      await proxy.disable();
      // Let the client see its pooled connection close: a request on a socket reset under it may have been read by
      // the server, and is (correctly) not resent; this test is about a connection that was refused outright.
      await new Promise((r) => setTimeout(r, 200));
      const vm = await c.cloneVM(source, vmFolder, "refused-first", {});
      assert.deepStrictEqual(await vmsNamed("refused-first"), [vm]);
      assert.match(retries[0].error.message, /ECONNREFUSED|ECONNRESET/);
      ledger.record("clone (CloneVM_Task)", "upstream down (refused)", "succeeded after retry");
      await removeVm(vm);
      await c.close();
    });

    it("a lost answer whose task never shows up is a clear error, and nothing is sent twice", async () => {
      const c = await viaProxy({ lostTaskWindowMs: 300, requestDeadlineMs: 500 }, () => proxy.clear());
      // Reset on the way in: the request never reaches vcsim, but the client cannot know that.
      await proxy.toxic("reset_peer", { timeout: 0 }, { stream: "upstream" });
      const vm1 = (await observer.findByInventoryPath("DC0/vm/DC0_H0_VM1"))!;
      const err = await c.powerOffVM(vm1).catch((e) => e);
      assert.match(
        String(err),
        /PowerOffVM_Task on VirtualMachine:vm-\d+ was sent but its answer was lost .* it was not sent again/,
      );
      assert.strictEqual(
        (
          await observer.retrieveProperties({
            propSet: [{ type: "VirtualMachine", pathSet: ["runtime.powerState"] }],
            objectSet: [{ obj: vm1 }],
          })
        )[0].props["runtime.powerState"],
        "poweredOn",
      );
      ledger.record(
        "power off (PowerOffVM_Task)",
        "reset_peer upstream (request dropped)",
        "clear error, not resubmitted",
      );
      await c.close();
    });

    it("a task that outlives its timeout gets a CancelTask and a clear error", async () => {
      const c = await viaProxy({ taskTimeoutMs: 1 });
      const vm = await c.cloneVM(source, vmFolder, "timed-out", {}).catch((e) => e);
      assert.ok(vm instanceof TaskTimeoutError, String(vm));
      // vcsim's clone tasks are not cancelable: the client says so instead of claiming success.
      assert.match(vm.message, /did not finish in time .*(it was cancelled|cancelling it failed)/);
      for (const v of await vmsNamed("timed-out")) await removeVm(v);
      await c.close();
    });
  });

  describe("sessions", () => {
    it("a session ended during a task wait is re-established and the wait goes on", async () => {
      const c = await viaProxy();
      const task = (await c.invoke(
        "CloneVM_Task",
        source,
        `<folder type="Folder">${vmFolder.value}</folder><name>relogin</name><spec><location/><template>false</template><powerOn>false</powerOn></spec>`,
      )) as MoRef;
      const [sm] = await c.retrieveProperties({
        propSet: [{ type: "SessionManager", pathSet: ["currentSession"] }],
        objectSet: [{ obj: c.serviceContent.sessionManager }],
      });
      const key = (sm.props.currentSession as { key: string }).key;
      await observer.invoke(
        "TerminateSession",
        observer.serviceContent.sessionManager,
        `<sessionId>${key}</sessionId>`,
      );
      const vm = (await c.waitForTask(task)) as MoRef;
      assert.deepStrictEqual(await vmsNamed("relogin"), [vm]);
      assert.strictEqual(c.logins, 2, "one re-login");
      ledger.record("task wait", "session terminated (NotAuthenticated)", "succeeded after re-login");
      await removeVm(vm);
      await c.close();
    });
  });
});
