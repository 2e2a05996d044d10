// VcdVapp benchmarks against the vCD simulator with slow tasks. Figures come from one run and are printed;
// nothing here asserts on time. Requests are counted from the simulator's request log.
import { defaultSeed, startVcdSimulator, VcdSimulator } from "../simulators/vcd";
import { VcdClient } from "../sdk/vcd";
import { vAppEdit } from "../sdk/vcd/bodies";
import { MEDIA } from "../sdk/vcd/wire";
import * as handlers from "../providers/vcdvapp/handlers";
import { connect } from "../providers/vcdvapp/connection";

const TASK_MS = 500;
const USER = { org: "acme", username: "alice", password: "alice-Passw0rd!" };

type Kind = "session" | "poll" | "api";
const kindOf = (method: string, path: string): Kind =>
  path === "/api/versions" || path.startsWith("/cloudapi/") || path.startsWith("/api/session")
    ? "session"
    : method === "GET" && path.startsWith("/api/task/")
      ? "poll"
      : "api";

/** One provider create(), as the engine would call it (check() first), counted by kind of request. */
async function countCreate(
  sim: VcdSimulator,
  name: string,
  extra: Record<string, unknown>,
): Promise<Record<Kind, number>> {
  const props = {
    connection: { url: sim.url, ...USER, allowHttp: true },
    org: "acme",
    vdc: "acme-vdc",
    resourceName: name,
    source: { catalog: "base", template: "photon-5" },
    ...extra,
  };
  const { inputs, failures } = await handlers.check({} as any, props as any);
  if (failures?.length) throw new Error(JSON.stringify(failures));
  sim.faults.requestLog.length = 0;
  await handlers.create(inputs as any);
  const counts: Record<Kind, number> = { session: 0, poll: 0, api: 0 };
  for (const r of sim.faults.requestLog) counts[kindOf(r.method, r.path.split("?")[0])]++;
  return counts;
}

/** Time from the simulator finishing a task to the client's waitForTask returning, as % of the task's duration. */
async function overshoot(
  sim: VcdSimulator,
  c: VcdClient,
  href: string,
  taskMs: number,
  runs: number,
): Promise<{ mean: number; worst: number }> {
  const pct: number[] = [];
  sim.faults.slowTasks({ queuedMs: 0, runningMs: taskMs }, runs);
  for (let i = 0; i < runs; i++) {
    const task = await c.startTask("PUT", href, vAppEdit({ name: "bench-edit", description: `run ${i}` }), MEDIA.vApp);
    await c.waitForTask(task);
    const noticed = Date.now();
    const t = sim.tasks.tasks.get(task.id.split(":").pop()!)!;
    pct.push(((noticed - t.doneAt) / taskMs) * 100); // queued 0: the task ran taskMs from its creation
  }
  return { mean: pct.reduce((a, b) => a + b, 0) / pct.length, worst: Math.max(...pct) };
}

export async function benchVcdVapp(): Promise<Record<string, number>> {
  const sim = await startVcdSimulator({ ...defaultSeed(), tasks: { queuedMs: 0, runningMs: TASK_MS } }, { port: 0 });
  // The client exactly as the provider configures it.
  const c: VcdClient = connect({ url: sim.url, ...USER });
  try {
    const bare = await countCreate(sim, "bare", {});
    const full = await countCreate(sim, "full", {
      network: "acme-net",
      owner: "bob",
      leases: { deploymentSeconds: 0, storageSeconds: 7200 },
      metadata: { team: "web" },
    });
    const href = (await c.vapps.compose({ vdc: "acme-vdc", name: "bench-edit" })).href;
    const figures: Record<string, number> = {
      "task duration (ms)": TASK_MS,
      "create from template: vApp API calls (target <= 6)": bare.api,
      "create from template: + session calls (versions, login, logout)": bare.session,
      "create from template: + task polls": bare.poll,
      "create w/ network, owner, leases, metadata: vApp API calls": full.api,
      "create w/ network, owner, leases, metadata: task polls": full.poll,
    };
    for (const ms of [TASK_MS, 300, 800, 1300]) {
      sim.faults.requestLog.length = 0;
      const o = await overshoot(sim, c, href, ms, 5);
      figures[`task polls per task @${ms} ms`] = sim.faults.count({ method: "GET", path: /^\/api\/task\// }) / 5;
      figures[`task-poll overshoot @${ms} ms, mean % of task time${ms === TASK_MS ? " (target <= 20)" : ""}`] =
        +o.mean.toFixed(1);
      figures[`task-poll overshoot @${ms} ms, worst %`] = +o.worst.toFixed(1);
    }
    return figures;
  } finally {
    await c.close();
    await sim.stop();
  }
}
