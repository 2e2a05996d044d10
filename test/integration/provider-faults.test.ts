// The fault matrix: each resource x operation (create / update / read / delete) through the provider handlers (as
// the dynamic-provider process runs them), with Toxiproxy between the provider and vcsim or the vCD simulator. A
// fault is switched on at a chosen moment of the operation and lifted a little later. The operation must either
// succeed or fail with a clear error; the next run of the same operation (the next `pulumi up`) must converge; and
// after destroy nothing the test created is left behind (zero orphans), checked without the proxy.
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { VcdSimulator } from "../../simulators/vcd";
import { FaultProxy, startToxiproxy, ToxiproxyServer } from "../../simulators/toxiproxy";
import { VimClient } from "../../sdk/vsphere/client";
import { closeVimSessions, setVimSessionDefaults } from "../../sdk/vsphere/pool";
import { closeVcdSessions, setVcdSessionDefaults } from "../../sdk/vcd/pool";
import { folderTreeSpec } from "../../sdk/vsphere/property";
import * as vmgroup from "../../providers/vmgroup/handlers";
import * as vcdvapp from "../../providers/vcdvapp/handlers";
import { PartialStateError } from "../../providers/common/errors";
import { ALICE, fastSeed } from "./vcd-harness";
import { startVcdSimulator } from "../../simulators/vcd";
import { FaultLedger } from "./fault-ledger";

interface Fault {
  name: string;
  /** ms after the operation starts. */
  at: number;
  /** ms after the operation starts; undefined: left on for the whole operation. */
  lift?: number;
  apply(p: FaultProxy): Promise<unknown>;
}

/** The toxics of the matrix; `mid` faults land inside a mutation (tasks are slowed so there is an inside). */
const faults = (mid: number): Fault[] => [
  { name: "reset_peer (downstream)", at: mid, lift: mid + 300, apply: (p) => p.toxic("reset_peer", { timeout: 0 }) },
  {
    name: "reset_peer (upstream)",
    at: mid,
    lift: mid + 300,
    apply: (p) => p.toxic("reset_peer", { timeout: 0 }, { stream: "upstream" }),
  },
  { name: "limit_data (answers cut)", at: mid, lift: mid + 300, apply: (p) => p.toxic("limit_data", { bytes: 300 }) },
  { name: "timeout (held 600 ms)", at: mid, lift: mid + 600, apply: (p) => p.toxic("timeout", { timeout: 0 }) },
  { name: "upstream restart (down 500 ms)", at: mid, lift: mid + 500, apply: (p) => p.disable() },
  {
    name: "latency 80 ms + slow_close",
    at: 0,
    apply: async (p) => (await p.toxic("latency", { latency: 80, jitter: 20 }), p.toxic("slow_close", { delay: 100 })),
  },
];

/** Clear errors only: what failed and why, never a stack of internals or a secret. */
const CLEAR =
  /cannot reach|answer was lost|gave no complete answer|did not finish in time|answered HTTP 50[234]|connection|vCD task|VmGroup|VcdVapp/;

interface Outcome {
  ok: boolean;
  error?: Error;
}

async function underFault<T>(proxy: FaultProxy, f: Fault, op: () => Promise<T>): Promise<Outcome & { value?: T }> {
  const started = Date.now();
  const at = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms - (Date.now() - started))));
  const injecting = (async () => {
    await at(f.at);
    await f.apply(proxy);
    if (f.lift !== undefined) {
      await at(f.lift);
      await proxy.clear();
    }
  })();
  let out: Outcome & { value?: T };
  try {
    out = { ok: true, value: await op() };
  } catch (error) {
    out = { ok: false, error: error as Error };
  }
  await injecting;
  await proxy.clear();
  return out;
}

/** Retries the shared sessions made during the current test (set through the session defaults' onRetry). */
let retriesSeen = 0;

function outcome(first: Outcome, converged: boolean): string {
  if (first.ok) return retriesSeen ? "succeeded after retry" : "succeeded";
  const e = first.error as Error & { cause?: Error };
  const why = /answer was lost/.test(e.message)
    ? "answer lost, not resent"
    : e instanceof PartialStateError
      ? "partial state recorded"
      : e.name;
  return `clear error (${why})${converged ? ", next run converged" : ""}`;
}

describe("fault matrix: resource x operation through toxiproxy", function () {
  this.timeout(300_000);
  let toxi: ToxiproxyServer;
  let n = 0;
  const ledger = new FaultLedger("matrix");
  beforeEach(() => void (retriesSeen = 0));
  const counts = { injected: 0, succeeded: 0, retried: 0, clearError: 0 };

  before(async () => {
    toxi = await startToxiproxy();
    // Short budgets so a fault that cannot be retried ends the test quickly (a provider keeps the defaults).
    const onRetry = () => void retriesSeen++;
    setVimSessionDefaults({
      taskPollMs: 10,
      lostTaskWindowMs: 3_000,
      requestDeadlineMs: 3_000,
      retry: { baseDelayMs: 50, maxDelayMs: 300, deadlineMs: 5_000, onRetry },
    });
    setVcdSessionDefaults({
      retryDelayMs: 50,
      retryMaxDelayMs: 300,
      retryDeadlineMs: 5_000,
      requestDeadlineMs: 3_000,
      lostCreationWindowMs: 3_000,
      taskPollMs: 10,
      onRetry,
    });
  });
  after(async () => {
    ledger.print();
    setVimSessionDefaults({});
    setVcdSessionDefaults({});
    // eslint-disable-next-line no-console
    console.log(
      `      fault matrix: ${counts.injected} faults injected; ${counts.succeeded} operations succeeded through them (${counts.retried} after retries), ${counts.clearError} ended in a clear error and converged on the next run`,
    );
    await toxi?.stop();
  });

  function tally(f: Fault, first: Outcome) {
    counts.injected++;
    if (first.ok && retriesSeen) counts.retried++;
    if (first.ok) counts.succeeded++;
    else {
      counts.clearError++;
      assert.match(
        String(first.error?.message ?? first.error),
        CLEAR,
        `unclear error under ${f.name}: ${first.error?.stack ?? JSON.stringify(first.error)}`,
      );
    }
  }

  describe("VmGroup (vcsim)", () => {
    let sim: Vcsim;
    let observer: VimClient;
    let proxy: FaultProxy;
    const props = (url: string, folder: string, replicas: number) =>
      ({
        connection: { url, username: sim.username, password: sim.password, ca: sim.ca },
        datacenter: "DC0",
        template: "DC0_H0_VM0",
        folder,
        replicas,
        cpu: 1,
        memoryMB: 64,
        powerState: "on",
        maxConcurrency: 2,
        resourceName: folder,
      }) as never;

    /** Names under DC0/vm that belong to this suite's groups: must be none after each test. */
    async function leftovers(): Promise<string[]> {
      const vmFolder = (await observer.findByInventoryPath("DC0/vm"))!;
      const all = await observer.retrieveProperties(folderTreeSpec(vmFolder, "ManagedEntity", ["name"]));
      return all.map((o) => String(o.props.name)).filter((nm) => nm.startsWith("fm-"));
    }

    before(async () => {
      sim = await startVcsim({
        username: "matrix",
        methodDelay: { CloneVM_Task: 250, PowerOnVM_Task: 100, PowerOffVM_Task: 100, Destroy_Task: 100 },
      });
      observer = await VimClient.connect({ url: sim.url, username: sim.username, password: sim.password, ca: sim.ca });
    });
    beforeEach(async () => {
      proxy = await toxi.proxy(`vm-${++n}`, new URL(sim.url).host);
    });
    afterEach(async () => {
      await proxy.remove();
      await closeVimSessions();
      assert.deepEqual(await leftovers(), [], "orphans left behind");
    });
    after(async () => {
      await observer?.close();
      await sim?.stop();
    });

    /**
     * The stored state after a create or update: the engine passes it (not the inputs) to read, update and delete,
     * and it is what records which VMs the group owns.
     */
    type Stored = { id: string; outs: Record<string, unknown> };
    const stored = (id: string, outs: unknown): Stored => ({ id, outs: (outs ?? {}) as Record<string, unknown> });
    const state = (s: Stored, url: string) =>
      ({ ...s.outs, connection: { url, username: sim.username, password: sim.password, ca: sim.ca } }) as never;

    /** The next `up` after a failed create: finish the recorded group (from the partial state), or create it again. */
    async function createConverged(
      url: string,
      folder: string,
      first: Outcome & { value?: { id: string; outs?: unknown } },
    ): Promise<Stored> {
      if (first.ok) return stored(first.value!.id, first.value!.outs);
      if (first.error instanceof PartialStateError) {
        const partial = stored(first.error.id, first.error.properties);
        return stored(partial.id, (await vmgroup.update(partial.id, state(partial, url), props(url, folder, 2))).outs);
      }
      const made = await vmgroup.create(props(url, folder, 2));
      return stored(made.id, made.outs);
    }

    for (const f of faults(200)) {
      it(`create under ${f.name}`, async () => {
        const folder = `fm-c${n}`;
        const url = proxy.via(sim.url);
        const first = await underFault(proxy, f, () => vmgroup.create(props(url, folder, 2)));
        tally(f, first);
        const made = await createConverged(url, folder, first);
        const read = await vmgroup.read(made.id, state(made, url));
        assert.equal((read.props as { currentReplicas: number }).currentReplicas, 2);
        ledger.record("VmGroup create", f.name, outcome(first, true));
        await vmgroup.remove(made.id, state(stored(made.id, read.props), sim.url));
      });
    }

    for (const f of faults(200)) {
      it(`update (scale 1 -> 2) under ${f.name}`, async () => {
        const folder = `fm-u${n}`;
        const url = proxy.via(sim.url);
        const made = await vmgroup.create(props(sim.url, folder, 1));
        const id = made.id;
        const first = await underFault(proxy, f, () =>
          vmgroup.update(id, state(stored(id, made.outs), url), props(url, folder, 2)),
        );
        tally(f, first);
        // The next `up` starts from what the failed one recorded (a partial state), else from the old state.
        let after = first.ok
          ? stored(id, first.value!.outs)
          : first.error instanceof PartialStateError
            ? stored(id, first.error.properties)
            : stored(id, made.outs);
        if (!first.ok) after = stored(id, (await vmgroup.update(id, state(after, url), props(url, folder, 2))).outs);
        const read = await vmgroup.read(id, state(after, sim.url));
        assert.equal((read.props as { currentReplicas: number }).currentReplicas, 2);
        ledger.record("VmGroup update", f.name, outcome(first, true));
        await vmgroup.remove(id, state(stored(id, read.props), sim.url));
      });
    }

    for (const f of faults(0)) {
      it(`read under ${f.name}`, async () => {
        const folder = `fm-r${n}`;
        const url = proxy.via(sim.url);
        const made = await vmgroup.create(props(sim.url, folder, 1));
        const id = made.id;
        await closeVimSessions();
        const first = await underFault(proxy, f, () => vmgroup.read(id, state(stored(id, made.outs), url)));
        tally(f, first);
        const read = first.ok ? first.value! : await vmgroup.read(id, state(stored(id, made.outs), url));
        assert.equal(read.id, id, "a fault never reads as 'the group is gone'");
        ledger.record("VmGroup read", f.name, outcome(first, true));
        await vmgroup.remove(id, state(stored(id, made.outs), sim.url));
      });
    }

    for (const f of faults(150)) {
      it(`delete under ${f.name}`, async () => {
        const folder = `fm-d${n}`;
        const url = proxy.via(sim.url);
        const made = await vmgroup.create(props(sim.url, folder, 2));
        const id = made.id;
        const first = await underFault(proxy, f, () => vmgroup.remove(id, state(stored(id, made.outs), url)));
        tally(f, first);
        if (!first.ok) await vmgroup.remove(id, state(stored(id, made.outs), url));
        ledger.record("VmGroup delete", f.name, outcome(first, true));
      });
    }
  });

  describe("VcdVapp (vCD simulator)", () => {
    let sim: VcdSimulator;
    let proxy: FaultProxy;
    const props = (url: string, name: string, description = "v1") =>
      ({
        connection: { url, ...ALICE },
        org: "acme",
        vdc: "acme-vdc",
        name,
        description,
        fenceMode: "bridged",
        acceptAllEulas: true,
        powerOn: false,
        resourceName: name,
      }) as never;
    const ours = () => [...sim.state.vapps.values()].filter((v) => v.name.startsWith("fm-"));

    before(async () => {
      // Tasks that take a while, so a fault can land while one runs.
      sim = await startVcdSimulator(fastSeed({ tasks: { queuedMs: 50, runningMs: 250 } }), { port: 0 });
    });
    beforeEach(async () => {
      proxy = await toxi.proxy(`vcd-${++n}`, new URL(sim.url).host);
    });
    afterEach(async () => {
      await proxy.remove();
      await closeVcdSessions();
      assert.deepEqual(
        ours().map((v) => v.name),
        [],
        "orphans left behind",
      );
    });
    after(async () => sim?.stop());

    for (const f of faults(60)) {
      it(`create under ${f.name}`, async () => {
        const name = `fm-c${n}`;
        const url = proxy.via(sim.url);
        const first = await underFault(proxy, f, () => vcdvapp.create(props(url, name)));
        tally(f, first);
        let id = first.value?.id;
        if (!first.ok) {
          // The next `up`: a recorded partial state is updated; otherwise the vApp is created (never twice).
          id = first.error instanceof PartialStateError ? first.error.id : (await vcdvapp.create(props(url, name))).id;
          if (first.error instanceof PartialStateError) await vcdvapp.update(id, props(url, name), props(url, name));
        }
        assert.equal(ours().filter((v) => v.name === name).length, 1, "exactly one vApp");
        ledger.record("VcdVapp create", f.name, outcome(first, true));
        await vcdvapp.remove(id!, props(sim.url, name));
      });
    }

    for (const f of faults(60)) {
      it(`update (description) under ${f.name}`, async () => {
        const name = `fm-u${n}`;
        const url = proxy.via(sim.url);
        const { id } = await vcdvapp.create(props(sim.url, name));
        const first = await underFault(proxy, f, () => vcdvapp.update(id, props(url, name), props(url, name, "v2")));
        tally(f, first);
        if (!first.ok) await vcdvapp.update(id, props(url, name), props(url, name, "v2"));
        assert.equal(ours().find((v) => v.name === name)?.description, "v2");
        ledger.record("VcdVapp update", f.name, outcome(first, true));
        await vcdvapp.remove(id, props(sim.url, name));
      });
    }

    for (const f of faults(0)) {
      it(`read under ${f.name}`, async () => {
        const name = `fm-r${n}`;
        const url = proxy.via(sim.url);
        const { id } = await vcdvapp.create(props(sim.url, name));
        const first = await underFault(proxy, f, () => vcdvapp.read(id, props(url, name)));
        tally(f, first);
        const read = first.ok ? first.value! : await vcdvapp.read(id, props(url, name));
        assert.equal(read.id, id, "a fault never reads as 'the vApp is gone'");
        ledger.record("VcdVapp read", f.name, outcome(first, true));
        await vcdvapp.remove(id, props(sim.url, name));
      });
    }

    for (const f of faults(40)) {
      it(`delete under ${f.name}`, async () => {
        const name = `fm-d${n}`;
        const url = proxy.via(sim.url);
        const { id } = await vcdvapp.create(props(sim.url, name));
        const first = await underFault(proxy, f, () => vcdvapp.remove(id, props(url, name)));
        tally(f, first);
        if (!first.ok) await vcdvapp.remove(id, props(url, name));
        ledger.record("VcdVapp delete", f.name, outcome(first, true));
      });
    }
  });
});
