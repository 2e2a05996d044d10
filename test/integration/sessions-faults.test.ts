// Sessions and load: every resource of one provider process shares one session per endpoint and user (a refresh of
// many groups logs in once), a session that expires is renewed, and tasks in flight per endpoint are bounded across
// groups. Driven through the VmGroup and VcdVapp provider handlers, as the dynamic-provider process runs them.
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { VimClient } from "../../sdk/vsphere/client";
import { closeVimSessions, vimSessionStats, withVimSession } from "../../sdk/vsphere/pool";
import { VmGroupManager } from "../../sdk/vsphere/vmgroup/manager";
import type { GroupSpec } from "../../sdk/vsphere/vmgroup/model";
import { Semaphore, SessionPool } from "../../sdk/http/pool";
import * as vmgroup from "../../providers/vmgroup/handlers";
import * as vcdvapp from "../../providers/vcdvapp/handlers";
import { closeVcdSessions, vcdSessionStats } from "../../sdk/vcd/pool";
import { ALICE, startSim } from "./vcd-harness";
import { FaultLedger } from "./fault-ledger";

describe("sessions and load: one session per endpoint and user, bounded tasks per endpoint", function () {
  this.timeout(180_000);
  let sim: Vcsim;
  const ledger = new FaultLedger("sessions");
  const conn = () => ({ url: sim.url, username: sim.username, password: sim.password, ca: sim.ca });
  const props = (folder: string, over: Record<string, unknown> = {}) => ({
    connection: conn(),
    datacenter: "DC0",
    template: "DC0_H0_VM0",
    folder,
    replicas: 1,
    cpu: 1,
    memoryMB: 64,
    powerState: "off",
    maxConcurrency: 2,
    ...over,
  });

  before(async () => {
    sim = await startVcsim({ username: "pool" });
  });
  after(async () => {
    ledger.print();
    await closeVimSessions();
    await sim?.stop();
  });

  it("a refresh of 12 groups in one process logs in once, and again only after the session is killed", async () => {
    const ids: string[] = [];
    const outs: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 12; i++) {
      const made = await vmgroup.create(props(`pool-${i}`) as never);
      ids.push(made.id);
      outs.push((made.outs ?? {}) as Record<string, unknown>);
    }
    const opened = vimSessionStats.opened;
    const reads = await Promise.all(
      ids.map((id, i) => vmgroup.read(id, { ...props(`pool-${i}`), ...outs[i], connection: conn() } as never)),
    );
    assert.deepEqual(
      reads.map((r) => r.id),
      ids,
    );
    assert.equal(vimSessionStats.opened - opened, 0, "the session opened by the creates is reused by every read");

    // The server ends the session (vCenter restart, idle timeout): the next call logs in again, once for all.
    const key = await withVimSession(conn(), async (c) => {
      const [sm] = await c.retrieveProperties({
        propSet: [{ type: "SessionManager", pathSet: ["currentSession"] }],
        objectSet: [{ obj: c.serviceContent.sessionManager }],
      });
      return { key: (sm.props.currentSession as { key: string }).key, logins: c.logins };
    });
    const observer = await VimClient.connect(conn());
    await observer.invoke(
      "TerminateSession",
      observer.serviceContent.sessionManager,
      `<sessionId>${key.key}</sessionId>`,
    );
    await Promise.all(
      ids.map((id, i) => vmgroup.read(id, { ...props(`pool-${i}`), ...outs[i], connection: conn() } as never)),
    );
    const logins = await withVimSession(conn(), async (c) => c.logins);
    assert.equal(logins - key.logins, 1, "one re-login shared by 12 concurrent reads");
    ledger.record("read x12 (refresh)", "session terminated on the server", "succeeded after one shared re-login", 1);
    // Delete gets the stored state (it records the VMs the group owns), as the engine passes it.
    for (const [i, id] of ids.entries())
      await vmgroup.remove(id, { ...props(`pool-${i}`), ...outs[i], connection: conn() } as never);
    await observer.close();
  });

  it("bounds tasks in flight per endpoint across groups: 4 groups x 3 clones at most 3 at a time", async () => {
    const spec = (folder: string): GroupSpec => ({
      label: folder,
      datacenter: "DC0",
      template: "DC0_H0_VM0",
      folder,
      replicas: 3,
      cpu: 1,
      memoryMB: 64,
      powerState: "off",
      maxConcurrency: 3,
      owner: `test:sessions:${folder}`,
    });
    const clients = await Promise.all(
      [0, 1, 2, 3].map(() => VimClient.connect(conn(), { maxTasksInFlight: 3, taskPollMs: 5 })),
    );
    const groups = clients.map((c, i) => new VmGroupManager(c, spec(`bound-${i}`)));
    const made = await Promise.all(
      groups.map(async (g) => {
        const created = await g.create(await g.resolvePlacement());
        assert.equal(created.vms.length, 3);
        return created;
      }),
    );
    const gate = VimClient.taskGate(sim.url)!;
    assert.equal(gate.peak, 3, "12 clones wanted to run at once; the endpoint gate let 3");
    assert.deepEqual([gate.inFlight, gate.queued], [0, 0]);
    for (const [i, g] of groups.entries()) {
      const { folder, folderCreated, vms } = made[i];
      await g.destroy(folder, {
        owner: spec(`bound-${i}`).owner,
        folderCreated,
        vms: vms.map(({ index, instanceUuid }) => ({ index, instanceUuid })),
      });
    }
    for (const c of clients) await c.close();
  });

  it("the VcdVapp provider shares one vCD session across resources", async () => {
    const vcd = await startSim();
    try {
      const connection = { url: vcd.url, ...ALICE };
      const opened = vcdSessionStats.opened;
      const base = {
        connection,
        org: "acme",
        vdc: "acme-vdc",
        fenceMode: "bridged",
        acceptAllEulas: false,
        powerOn: false,
      };
      const made = [];
      for (const name of ["p-1", "p-2", "p-3", "p-4"])
        made.push({ name, ...(await vcdapp(vcdvapp.create({ ...base, name } as never))) });
      await Promise.all(made.map((m) => vcdvapp.read(m.id, { ...base, name: m.name, ...m.outs } as never)));
      assert.equal(vcdSessionStats.opened - opened, 1);
      const logins = vcd.faults.requestLog.filter((r) => r.method === "POST" && /sessions/.test(r.path)).length;
      assert.equal(logins, 1, "one login for 4 creates and 4 reads");
      for (const m of made) await vcdvapp.remove(m.id, { ...base, name: m.name, ...m.outs } as never);
    } finally {
      await closeVcdSessions();
      await vcd.stop();
    }
  });

  it("pool and semaphore: a failed open is retried by the next caller, idle sessions close, slots are handed over in order", async () => {
    const closed: number[] = [];
    let n = 0;
    const pool = new SessionPool<number>(async (c) => void closed.push(c), 20);
    await assert.rejects(
      pool.use(
        "k",
        async () => Promise.reject(new Error("refused")),
        async () => 0,
      ),
      /refused/,
    );
    assert.equal(
      await pool.use(
        "k",
        async () => ++n,
        async (c) => c,
      ),
      1,
    );
    assert.equal(
      await pool.use(
        "k",
        async () => ++n,
        async (c) => c,
      ),
      1,
      "reused",
    );
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual([closed, pool.size], [[1], 0]);
    const s = new Semaphore(2);
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        s.run(async () => {
          order.push(i);
          await new Promise((r) => setTimeout(r, 5));
        }),
      ),
    );
    assert.deepEqual([order, s.peak, s.inFlight], [[1, 2, 3, 4, 5], 2, 0]);
  });
});

async function vcdapp(
  p: Promise<{ id: string; outs?: Record<string, unknown> }>,
): Promise<{ id: string; outs: Record<string, unknown> }> {
  const r = await p;
  return { id: r.id, outs: r.outs ?? {} };
}
