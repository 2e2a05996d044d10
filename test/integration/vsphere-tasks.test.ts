// Task waits on one WaitForUpdatesEx long-poll per session (sdk/vsphere/tasks.ts) against vcsim, with tasks that run
// for a while after their submission answered (vcsim's task delays: ReconfigVm and PowerOn take 400 ms). Results and
// errors are checked in the inventory through a second session.
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { MoRef, TaskError, TaskTimeoutError, VimClient, VimClientOptions, isFault } from "../../sdk/vsphere";

const TASK_MS = 400;

describe("vsphere: task waits share one long-poll", function () {
  this.timeout(60_000);
  let sim: Vcsim;
  let observer: VimClient;
  let source: MoRef;
  let folder: MoRef;
  const vms: MoRef[] = [];

  const connect = (opts: VimClientOptions = {}) =>
    VimClient.connect({ url: sim.url, username: sim.username, password: sim.password, ca: sim.ca }, opts);

  async function cpus(vm: MoRef): Promise<number> {
    const [o] = await observer.retrieveProperties({
      propSet: [{ type: "VirtualMachine", pathSet: ["config.hardware.numCPU"] }],
      objectSet: [{ obj: vm }],
    });
    return Number(o.props["config.hardware.numCPU"]);
  }

  before(async () => {
    // LockHandoff 0: a delayed task does not hold its VM's lock while it waits, so reads go on meanwhile.
    sim = await startVcsim({
      username: "tasks",
      methodDelay: { ReconfigVm: TASK_MS, PowerOn: TASK_MS, LockHandoff: 0 },
    });
    observer = await connect({ longPollTasks: false });
    source = (await observer.findByInventoryPath("DC0/vm/DC0_H0_VM0"))!;
    folder = await observer.createFolder((await observer.findByInventoryPath("DC0/vm"))!, "tasks-it");
    for (let i = 0; i < 6; i++) vms.push(await observer.cloneVM(source, folder, `t-${i}`, {}));
  });
  after(async () => {
    await observer?.close();
    await sim?.stop();
  });

  it("six concurrent waits all end with their results, on far fewer requests than one poller per task", async () => {
    const reconfigureAll = async (c: VimClient, numCPUs: number) => {
      const before = c.roundTrips;
      await Promise.all(vms.map((vm) => c.reconfigVM(vm, { numCPUs })));
      return c.roundTrips - before;
    };
    const polling = await connect({ longPollTasks: false, taskPollMs: 20 });
    const longPoll = await connect({ taskPollMs: 20 });
    assert.equal(polling.taskWaiter, undefined);
    const polled = await reconfigureAll(polling, 2);
    for (const vm of vms) assert.equal(await cpus(vm), 2);
    const waited = await reconfigureAll(longPoll, 3);
    for (const vm of vms) assert.equal(await cpus(vm), 3);
    const stats = longPoll.taskWaiter!.stats;
    assert.ok(stats.longPolls >= 1, "the waits went through WaitForUpdatesEx");
    // Polling: 6 submissions + ~8 reads each over 400 ms; long-poll: 6 submissions, 6 first reads, the view changes,
    // a few long-polls and the collector's setup, whatever the tasks' length.
    assert.ok(waited * 1.5 < polled, `long-poll ${waited} requests vs polling ${polled}`);
    assert.equal(longPoll.taskWaiter!.size, 0);
    await polling.close();
    await longPoll.close();
  });

  it("a task that fails while waited on ends in its TaskError", async () => {
    const c = await connect();
    await observer.powerOnVM(vms[0]);
    const err = await c.powerOnVM(vms[0]).catch((e) => e);
    assert.ok(err instanceof TaskError && isFault(err, "InvalidPowerState"), String(err));
    assert.ok(c.taskWaiter!.stats.longPolls >= 1, "the failure came through the long-poll");
    await observer.powerOffVM(vms[0]);
    await c.close();
  });

  it("a wait past its timeout gets a CancelTask and a clear error, and ends the long-poll", async () => {
    const c = await connect();
    const task = (await c.invoke("ReconfigVM_Task", vms[1], "<spec><numCPUs>4</numCPUs></spec>")) as MoRef;
    const err = await c.waitForTask(task, { timeoutMs: TASK_MS / 4 }).catch((e) => e);
    assert.ok(err instanceof TaskTimeoutError, String(err));
    assert.match(err.message, /did not finish in time \(last state: (queued|running)\)/);
    assert.equal(c.taskWaiter!.size, 0, "nothing left waiting");
    await c.close();
  });

  it("a session ended between waits: the next wait logs in once and builds its collector again", async () => {
    const c = await connect();
    await c.reconfigVM(vms[2], { numCPUs: 2 });
    const [sm] = await c.retrieveProperties({
      propSet: [{ type: "SessionManager", pathSet: ["currentSession"] }],
      objectSet: [{ obj: c.serviceContent.sessionManager }],
    });
    await observer.invoke(
      "TerminateSession",
      observer.serviceContent.sessionManager,
      `<sessionId>${(sm.props.currentSession as { key: string }).key}</sessionId>`,
    );
    await Promise.all(vms.slice(2, 5).map((vm) => c.reconfigVM(vm, { numCPUs: 4 })));
    for (const vm of vms.slice(2, 5)) assert.equal(await cpus(vm), 4);
    assert.equal(c.logins, 2, "one re-login");
    await c.close();
  });
});
