// Replays a plan's steps on vCenter exactly as written: which VM is stopped, reconfigured, powered on or destroyed,
// and in what order, is the planner's (planner.ts). Here only how: a stop asks the guest first, a power operation on
// a VM already in that state is done, and removing a VM that is already gone is done.
import { sleep } from "../../util/async";
import type { VimClient } from "../client";
import { isFault, VimFault } from "../errors";
import type { MoRef } from "../types";
import type { CloneStep, ObservedVm, Placement, RemoveStep, VmOperation } from "./model";
import { OWNER_KEY } from "./ownership";

/** As terraform-provider-vsphere's shutdown_wait_timeout. */
export const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 180;

export const vmRef = (value: string): MoRef => ({ type: "VirtualMachine", value });

export class VmExecutor {
  /** What happened that a user should know (forced power-offs), for lastMessage. */
  readonly notes: string[] = [];

  constructor(
    private readonly client: VimClient,
    private readonly options: {
      /** Owner id written into the markers. */
      owner: string;
      /** Seconds a guest shutdown may take (default 180); 0 powers off at once. */
      shutdownTimeoutSeconds?: number;
    },
  ) {}

  /**
   * Clones the template into `folder`, powered off, with the step's hardware and the ownership marker in the
   * clone spec. A VM of that name already in the folder is not taken: vCenter refuses the clone (DuplicateName)
   * and the error names it. Ownership comes from the marker set here, never from the name.
   */
  clone(placement: Placement, folder: MoRef, step: CloneStep): Promise<MoRef> {
    return this.client.cloneVM(placement.template, folder, step.name, {
      pool: placement.pool,
      host: placement.host,
      datastore: placement.datastore,
      numCPUs: step.numCPUs,
      memoryMB: step.memoryMB,
      powerOn: false,
      extraConfig: [{ key: OWNER_KEY, value: this.options.owner }],
    });
  }

  /** Runs the operations on `vm` one after the other; the first failure stops them. */
  async replay(vm: Pick<ObservedVm, "moref" | "name">, operations: VmOperation[]): Promise<void> {
    const ref = vmRef(vm.moref);
    for (const op of operations) {
      switch (op.kind) {
        case "powerOff":
          await this.stop(ref, vm.name);
          break;
        case "powerOn":
          await this.powerOn(ref);
          break;
        case "reconfigure":
          await this.client.reconfigVM(ref, {
            numCPUs: op.numCPUs,
            memoryMB: op.memoryMB,
            ...(op.mark ? { extraConfig: [{ key: OWNER_KEY, value: this.options.owner }] } : {}),
          });
          break;
        case "mark":
          await this.mark(ref);
          break;
        case "destroy":
          await this.client.destroy(ref);
          break;
      }
    }
  }

  /** A removal: a VM already gone (ManagedObjectNotFound at any operation) counts as removed. */
  async remove(step: RemoveStep): Promise<void> {
    try {
      await this.replay(step.vm, step.operations);
    } catch (err) {
      if (!isFault(err, "ManagedObjectNotFound")) throw err;
    }
  }

  /** Sets the ownership marker (extraConfig), nothing else. */
  mark(vm: MoRef): Promise<void> {
    return this.client.reconfigVM(vm, { extraConfig: [{ key: OWNER_KEY, value: this.options.owner }] });
  }

  private async powerOn(vm: MoRef) {
    try {
      await this.client.powerOnVM(vm);
    } catch (err) {
      if (!isFault(err, "InvalidPowerState")) throw err; // already on
    }
  }

  private async powerOff(vm: MoRef) {
    try {
      await this.client.powerOffVM(vm);
    } catch (err) {
      if (!isFault(err, "InvalidPowerState")) throw err; // already off
    }
  }

  /**
   * Shuts the guest down (ShutdownGuest), waits up to shutdownTimeoutSeconds for it to power off, and powers it
   * off hard if it does not or if the guest cannot be asked (no VMware Tools: ToolsUnavailable; suspended:
   * InvalidPowerState).
   */
  private async stop(vm: MoRef, name: string): Promise<void> {
    const timeoutMs = (this.options.shutdownTimeoutSeconds ?? DEFAULT_SHUTDOWN_TIMEOUT_SECONDS) * 1000;
    if (timeoutMs > 0) {
      let asked = true;
      try {
        await this.client.shutdownGuest(vm);
      } catch (err) {
        if (!(err instanceof VimFault)) throw err;
        asked = false;
        if (!isFault(err, "InvalidPowerState"))
          this.notes.push(`${name}: guest shutdown refused (${(err as VimFault).fault}), powered off`);
      }
      if (asked) {
        if (await this.waitPoweredOff(vm, timeoutMs)) return;
        this.notes.push(`${name}: guest did not shut down within ${timeoutMs / 1000} s, powered off`);
      }
    }
    await this.powerOff(vm);
  }

  private async waitPoweredOff(vm: MoRef, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      const [o] = await this.client.retrieveProperties({
        propSet: [{ type: "VirtualMachine", pathSet: ["runtime.powerState"] }],
        objectSet: [{ obj: vm }],
      });
      if (o?.props["runtime.powerState"] === "poweredOff") return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(delay, Math.max(deadline - Date.now(), 0)));
    }
  }
}
