// Sessions and load on one vCenter (vcsim, 300 ms CloneVM_Task delay), as one dynamic-provider process sees them.
// "before": every create/read logs in and out on its own (what the providers did until the session pool);
// "after": the providers' handlers on the shared session. Figures from one run, printed; nothing asserted.
import { startVcsim } from "../simulators/vcsim";
import { VimClient } from "../sdk/vsphere/client";
import { closeVimSessions, vimSessionStats, withVimSession } from "../sdk/vsphere/pool";
import { VmGroupManager } from "../sdk/vsphere/vmgroup/manager";
import type { GroupSpec } from "../sdk/vsphere/vmgroup/model";
import type { GroupRecord } from "../sdk/vsphere/vmgroup/ownership";
import * as vmgroup from "../providers/vmgroup/handlers";

const CLONE_DELAY_MS = 300;
const REFRESH_GROUPS = 50;
const UP_GROUPS = 20;
const UP_VMS = 5;

export async function benchSessions(): Promise<Record<string, number>> {
  const sim = await startVcsim({ methodDelay: { CloneVM_Task: CLONE_DELAY_MS } });
  const conn = { url: sim.url, username: sim.username, password: sim.password, ca: sim.ca };
  const spec = (folder: string, replicas: number): GroupSpec => ({
    label: folder,
    datacenter: "DC0",
    template: "DC0_H0_VM0",
    folder,
    replicas,
    cpu: 1,
    memoryMB: 64,
    powerState: "off",
    maxConcurrency: 4,
    owner: `bench:${folder}`,
  });
  const props = (folder: string, replicas: number) => ({ connection: conn, ...spec(folder, replicas) }) as never;
  const ms = (start: bigint) => Math.round(Number(process.hrtime.bigint() - start) / 1e6);
  try {
    // 50 one-VM groups to refresh.
    const ids: string[] = [];
    const records: GroupRecord[] = [];
    for (let i = 0; i < REFRESH_GROUPS; i++) {
      const { id, outs } = await vmgroup.create(props(`r-${i}`, 1));
      ids.push(id);
      const vms = (outs?.vms ?? []).map((v) => ({ index: v.index ?? 0, instanceUuid: v.instanceUuid }));
      records.push({ owner: `bench:r-${i}`, vms, folderCreated: true });
    }

    let t = process.hrtime.bigint();
    let beforeLogins = 0;
    await Promise.all(
      ids.map(async (id, i) => {
        const c = await VimClient.connect(conn);
        try {
          await new VmGroupManager(c, spec(`r-${i}`, 1)).read({ type: "Folder", value: id }, records[i]);
          beforeLogins += c.logins;
        } finally {
          await c.logout();
        }
      }),
    );
    const beforeRefreshMs = ms(t);

    await closeVimSessions();
    const opened = vimSessionStats.opened;
    t = process.hrtime.bigint();
    await Promise.all(ids.map((id, i) => vmgroup.read(id, props(`r-${i}`, 1))));
    const afterRefreshMs = ms(t);
    // Sessions opened by the reads, plus any re-login inside them.
    const afterLogins = vimSessionStats.opened - opened + (await withVimSession(conn, async (c) => c.logins - 1));

    // `up` of 20 groups x 5 VMs at maxConcurrency 4: before, one session per group and nothing bounding the endpoint
    // (80 clones at once); after, the shared session and the endpoint's task bound (16).
    t = process.hrtime.bigint();
    const clients = await Promise.all(
      Array.from({ length: UP_GROUPS }, () => VimClient.connect(conn, { maxTasksInFlight: 1000 })),
    );
    await Promise.all(
      clients.map(async (c, i) => {
        const g = new VmGroupManager(c, spec(`u-before-${i}`, UP_VMS));
        const placement = await g.resolvePlacement();
        await g.create(placement);
      }),
    );
    const beforeUpMs = ms(t);
    const beforePeak = VimClient.taskGate(sim.url)!.peak;
    for (const c of clients) await c.close();

    const gate = VimClient.taskGate(sim.url)!;
    gate.limit = 16;
    gate.peak = 0;
    t = process.hrtime.bigint();
    await Promise.all(Array.from({ length: UP_GROUPS }, (_, i) => vmgroup.create(props(`u-after-${i}`, UP_VMS))));
    const afterUpMs = ms(t);

    return {
      "clone delay (ms)": CLONE_DELAY_MS,
      [`refresh of ${REFRESH_GROUPS} VmGroups: logins before (one per resource)`]: beforeLogins,
      [`refresh of ${REFRESH_GROUPS} VmGroups: logins after (shared session; target 1)`]: afterLogins,
      [`refresh of ${REFRESH_GROUPS} VmGroups: wall ms before`]: beforeRefreshMs,
      [`refresh of ${REFRESH_GROUPS} VmGroups: wall ms after`]: afterRefreshMs,
      [`up ${UP_GROUPS} groups x ${UP_VMS} VMs: wall ms before (unbounded)`]: beforeUpMs,
      [`up ${UP_GROUPS} groups x ${UP_VMS} VMs: tasks in flight at peak before`]: beforePeak,
      [`up ${UP_GROUPS} groups x ${UP_VMS} VMs: wall ms after (shared session, <= 16 tasks)`]: afterUpMs,
      [`up ${UP_GROUPS} groups x ${UP_VMS} VMs: tasks in flight at peak after`]: VimClient.taskGate(sim.url)!.peak,
    };
  } finally {
    await closeVimSessions();
    await sim.stop();
  }
}
