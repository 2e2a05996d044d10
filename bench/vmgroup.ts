// VmGroup benchmarks against vcsim with a 300 ms CloneVM_Task delay. Figures are ratios from one run, printed;
// nothing here asserts on time. The load average is printed too: the ratios drop on a busy machine.
import * as os from "os";
import { startVcsim } from "../simulators/vcsim";
import { VimClient } from "../sdk/vsphere/client";
import { VmGroupManager } from "../sdk/vsphere/vmgroup/manager";
import type { GroupSpec } from "../sdk/vsphere/vmgroup/model";
import type { GroupRecord } from "../sdk/vsphere/vmgroup/ownership";

const CLONE_DELAY_MS = 300;
const ROUNDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function spec(folder: string, replicas: number, maxConcurrency: number): GroupSpec {
  return {
    label: folder,
    datacenter: "DC0",
    template: "DC0_H0_VM0",
    folder,
    replicas,
    cpu: 1,
    memoryMB: 256,
    powerState: "on",
    maxConcurrency,
    owner: `bench:${folder}`,
  };
}

async function timedCreate(client: VimClient, folder: string, replicas: number, concurrency: number) {
  const group = new VmGroupManager(client, spec(folder, replicas, concurrency));
  const placement = await group.resolvePlacement();
  // Timed from the survey of what exists through folder creation, clones and convergence: all of create.
  const trips = client.roundTrips;
  const polls = client.taskWaiter?.stats.longPolls ?? 0;
  const start = process.hrtime.bigint();
  const created = await group.create(placement);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const roundTrips = client.roundTrips - trips;
  const longPolls = (client.taskWaiter?.stats.longPolls ?? 0) - polls;
  if (created.vms.length !== replicas) throw new Error(`expected ${replicas} VMs, got ${created.vms.length}`);
  const record: GroupRecord = {
    owner: `bench:${folder}`,
    folderCreated: true,
    vms: created.vms.map((v) => ({ index: v.index, instanceUuid: v.instanceUuid })),
  };
  return { ms, group, ref: created.folder, record, roundTrips, longPolls };
}

export async function benchVmGroup(): Promise<Record<string, number>> {
  const load = os.loadavg()[0];
  const sim = await startVcsim({ methodDelay: { CloneVM_Task: CLONE_DELAY_MS } });
  try {
    const client = await VimClient.connect(
      { url: sim.url, username: sim.username, password: sim.password, ca: sim.ca },
      { maxSockets: 40 },
    );
    const N = 20;
    const C = 8;
    // ROUNDS interleaved rounds of the three creates; each figure is its median, so one slow moment of a shared
    // machine (a single sample used to carry the one-VM time into the ideal) moves neither ratio much.
    const ones: number[] = [];
    const serials: number[] = [];
    const parallels: Array<Awaited<ReturnType<typeof timedCreate>>> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const one = await timedCreate(client, `unit-${r}`, 1, 1);
      const serial = await timedCreate(client, `serial-${r}`, N, 1);
      const par = await timedCreate(client, `parallel-${r}`, N, C);
      ones.push(one.ms);
      serials.push(serial.ms);
      parallels.push(par);
      // Each round starts from the same inventory.
      for (const g of [one, serial, par]) await g.group.destroy(g.ref, g.record);
    }
    const oneMs = median(ones);
    const serialMs = median(serials);
    const parallel = [...parallels].sort((a, b) => a.ms - b.ms)[Math.floor(ROUNDS / 2)];
    const ideal = Math.ceil(N / C) * oneMs;
    const speedups = serials.map((ms, i) => +(ms / parallels[i].ms).toFixed(2)).sort((a, b) => a - b);

    // One read of a 50-VM group, counted in SOAP round trips, as the provider's read() does it.
    const big = await timedCreate(client, "big", 50, 16);
    const before = client.roundTrips;
    const seen = await big.group.read(big.ref, big.record);
    const readTrips = client.roundTrips - before;
    const fresh = await VimClient.connect({ url: sim.url, username: sim.username, password: sim.password, ca: sim.ca });
    await new VmGroupManager(fresh, spec("big", 50, 16)).read(big.ref, big.record);
    const providerReadTrips = fresh.roundTrips;
    await fresh.logout();
    if (seen?.own.length !== 50) throw new Error("read did not see 50 VMs");

    const figures = {
      "load average (1 min) at start": +load.toFixed(2),
      "clone delay (ms)": CLONE_DELAY_MS,
      "rounds (each figure below: the median)": ROUNDS,
      "one VM, create (ms)": Math.round(oneMs),
      [`N=${N} at maxConcurrency 1 (ms)`]: Math.round(serialMs),
      [`N=${N} at maxConcurrency ${C} (ms)`]: Math.round(parallel.ms),
      "speed-up c=8 vs c=1 (target >= 6; ceiling 20/3 = 6.7)": +(serialMs / parallel.ms).toFixed(2),
      "c=8 wall / ideal ceil(N/c)*one-VM (target <= 1.10)": +(parallel.ms / ideal).toFixed(2),
      "speed-up, lowest round": speedups[0],
      "speed-up, highest round": speedups[speedups.length - 1],
      [`SOAP round trips per VM, N=${N} at c=${C}`]: +(parallel.roundTrips / N).toFixed(1),
      [`task long-polls (WaitForUpdatesEx), N=${N} at c=${C}`]: parallel.longPolls,
      "SOAP round trips: read of a 50-VM group": readTrips,
      "SOAP round trips: provider read incl. login (target <= 3)": providerReadTrips,
    };
    await big.group.destroy(big.ref, big.record);
    await client.logout();
    return figures;
  } finally {
    await sim.stop();
  }
}
