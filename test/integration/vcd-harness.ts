// Shared setup for the vCD integration tests: an in-process simulator with fast tasks and a client tuned to
// poll and back off in milliseconds.
import { defaultSeed, startVcdSimulator, VcdSimulator, VcdSimulatorConfig } from "../../simulators/vcd";
import { VcdClient, VcdClientOptions } from "../../sdk/vcd";

export const ALICE = { org: "acme", username: "alice", password: "alice-Passw0rd!" };

/**
 * VcdVapp inputs as the engine sends them to check(): a bridged, powered-off vApp in acme-vdc on `sim` over plain
 * HTTP, with `over` on top.
 */
export function vappInputs(sim: VcdSimulator, over: Record<string, unknown> = {}): any {
  return {
    connection: { url: sim.url, ...ALICE, allowHttp: true },
    org: "acme",
    vdc: "acme-vdc",
    description: "",
    fenceMode: "bridged",
    acceptAllEulas: true,
    powerOn: false,
    __provider: "serialized",
    ...over,
  };
}

export function fastSeed(patch: Partial<VcdSimulatorConfig> = {}): VcdSimulatorConfig {
  return { ...defaultSeed(), tasks: { queuedMs: 5, runningMs: 15 }, ...patch };
}

export async function startSim(config: VcdSimulatorConfig = fastSeed()): Promise<VcdSimulator> {
  return startVcdSimulator(config, { port: 0 });
}

export function clientFor(sim: VcdSimulator, opts: Partial<VcdClientOptions> = {}): VcdClient {
  return new VcdClient({
    url: sim.url,
    ...ALICE,
    taskPollMs: 5,
    taskMaxPollMs: 20,
    retryDelayMs: 5,
    taskTimeoutMs: 10_000,
    ...opts,
  });
}

/** Runs fn and returns what it threw (fails the test if it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error, got none");
}
