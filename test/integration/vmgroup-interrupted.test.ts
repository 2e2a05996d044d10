// A VmGroup create interrupted half way (an answer lost after vCenter acted) leaves nothing `destroy` cannot remove,
// and never takes an object on its name alone: the folder is made under a name only that create knows, marked, then
// renamed; a cloned VM is recorded as soon as its id is known, marked or not. Driven through the provider handlers
// (as the dynamic-provider process runs them) against vcsim, with the lost answer simulated on the client.
import { strict as assert } from "assert";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { VimClient } from "../../sdk/vsphere/client";
import { closeVimSessions } from "../../sdk/vsphere/pool";
import { TransportError } from "../../sdk/http";
import type { MoRef, VmConfigSpec } from "../../sdk/vsphere/types";
import * as vmgroup from "../../providers/vmgroup/handlers";
import { PartialStateError } from "../../providers/common/errors";
import { govc, inventory } from "../helpers/govc";

type Proto = Record<string, (...args: any[]) => Promise<unknown>>;

/** Replaces a VimClient method for every client until the returned function is called. */
function intercept(
  method: string,
  replacement: (original: (...args: any[]) => Promise<unknown>, self: VimClient, ...args: any[]) => Promise<unknown>,
) {
  const proto = VimClient.prototype as unknown as Proto;
  const original = proto[method];
  proto[method] = function (this: VimClient, ...args: any[]) {
    return replacement((...a) => original.apply(this, a), this, ...args);
  };
  return () => void (proto[method] = original);
}

/** The request reached vCenter and ran, but the connection was reset before the answer came back. */
const lostAnswer = () => new TransportError("vCenter 127.0.0.1: connection reset (ECONNRESET)", "ECONNRESET");

describe("VmGroup create interrupted half way (vcsim)", function () {
  this.timeout(120_000);
  let sim: Vcsim;
  let initial: string[];
  const props = (folder: string, replicas = 2) => ({
    connection: { url: sim.url, username: sim.username, password: sim.password, ca: sim.ca },
    datacenter: "DC0",
    template: "DC0_H0_VM0",
    folder,
    replicas,
    cpu: 1,
    memoryMB: 64,
    powerState: "on",
    maxConcurrency: 2,
    resourceName: folder,
  });
  /** What the engine passes to read, update and delete: the stored outputs. */
  const state = (folder: string, outs: Record<string, unknown>) =>
    ({ ...props(folder), ...outs, connection: props(folder).connection }) as never;

  before(async () => {
    sim = await startVcsim();
    initial = await inventory(sim);
  });
  afterEach(async () => {
    await closeVimSessions();
    assert.deepEqual(await inventory(sim), initial, "the inventory is as it was: nothing left behind");
  });
  after(async () => sim?.stop());

  it("a CreateFolder whose answer was lost: the folder is found by the name only this create knows, and the create completes", async () => {
    let calls = 0;
    const restore = intercept("createFolder", async (original, _c, parent: MoRef, name: string) => {
      calls++;
      await original(parent, name);
      throw lostAnswer();
    });
    let made;
    try {
      made = await vmgroup.create(props("lost-folder") as never);
    } finally {
      restore();
    }
    assert.equal(calls, 1, "CreateFolder is never sent twice");
    assert.equal((made.outs as { currentReplicas: number }).currentReplicas, 2);
    assert.equal(
      (await govc(sim, ["find", "/DC0/vm", "-type", "f", "-name", "lost-folder*"])).trim(),
      "/DC0/vm/lost-folder",
      "one folder, under the group's name",
    );
    await vmgroup.remove(made.id, state("lost-folder", made.outs as Record<string, unknown>));
  });

  it("the folder's name taken by someone else before the rename: the create refuses and removes only its own temporary folder", async () => {
    const restore = intercept("rename", async (original, _c, entity: MoRef, name: string) => {
      await govc(sim, ["folder.create", "/DC0/vm/taken"]);
      return original(entity, name);
    });
    try {
      await assert.rejects(
        vmgroup.create(props("taken") as never),
        /folder DC0\/vm\/taken was created by someone else just now; run preview again/,
      );
    } finally {
      restore();
    }
    assert.equal(
      (await govc(sim, ["find", "/DC0/vm", "-name", "taken*"])).trim(),
      "/DC0/vm/taken",
      "the other folder stays, ours is gone",
    );
    await govc(sim, ["object.destroy", "/DC0/vm/taken"]);
  });

  for (const next of ["update", "destroy"] as const) {
    it(`a clone whose marking reconfigure lost its answer is recorded in the partial state; the next ${next} ${next === "update" ? "marks it and completes the group" : "removes it"}`, async () => {
      const folder = `unmarked-${next}`;
      let failed = 0;
      // vcsim drops clone-time config, so each clone is marked by a ReconfigVM_Task: the first one never answers.
      const restore = intercept("reconfigVM", async (original, _c, vm: MoRef, spec: VmConfigSpec) => {
        if (spec.extraConfig && !failed++) throw lostAnswer();
        return original(vm, spec);
      });
      let err: unknown;
      try {
        err = await vmgroup.create(props(folder) as never).catch((e) => e);
      } finally {
        restore();
      }
      assert.ok(err instanceof PartialStateError, String(err));
      const recorded = err.properties.vms as Array<{ name: string; markPending?: boolean }>;
      assert.deepEqual(
        recorded.map((v) => v.name).sort(),
        [`${folder}-0`, `${folder}-1`],
        "both clones recorded, the unmarked one too",
      );
      assert.equal(recorded.filter((v) => v.markPending).length, 1);
      if (next === "update") {
        const { outs } = await vmgroup.update(err.id, state(folder, err.properties), props(folder) as never);
        const read = await vmgroup.read(err.id, state(folder, outs as Record<string, unknown>));
        assert.equal((read.props as { currentReplicas: number }).currentReplicas, 2);
        assert.deepEqual(
          (read.props as { vms: Array<{ markPending?: boolean }> }).vms.filter((v) => v.markPending),
          [],
          "both marked now",
        );
        await vmgroup.remove(err.id, state(folder, read.props as Record<string, unknown>));
      } else {
        await vmgroup.remove(err.id, state(folder, err.properties));
      }
    });
  }
});
