// A VM group in vCenter: create, read, reconcile and destroy, each as read → plan → replay. What is read comes
// from observe.ts, every decision from planner.ts and ownership.ts, every vCenter change from executor.ts (and
// folder.ts); this file only orders them and bounds how many run at once.
import { mapLimit } from "../../util/async";
import type { VimClient } from "../client";
import { isFault, isMoRef, TaskTimeoutError } from "../errors";
import type { MoRef } from "../types";
import { VmExecutor, vmRef } from "./executor";
import { createOwnedFolder } from "./folder";
import { FOLLOW_UP, NEW_WORK, OperationGate } from "./gate";
import { CloneStep, CreatedGroup, fail, GroupSpec, GroupView, ObservedVm, PartialGroupError, Placement } from "./model";
import { GroupObserver } from "./observe";
import { CreatePlan, GroupRecord, PendingClone, planCreate, RecordedVm } from "./ownership";
import { resolvePlacement } from "./placement";
import { afterClone, blockedClones, desiredOf, planGroup, planRemoval } from "./planner";
import type { CauseOptions } from "../../util/errors";

/** What failed operations threw: the error itself when there is one, else all of them. */
const causeOf = (reasons: unknown[]): CauseOptions => ({
  cause: reasons.length === 1 ? reasons[0] : new AggregateError(reasons),
});

export class VmGroupManager {
  private readonly observer: GroupObserver;
  private readonly executor: VmExecutor;
  /** VMs a create started with (from an interrupted create, or adopted), for partial-failure state. */
  readonly adoptedRecord: RecordedVm[] = [];
  /** VMs cloned by this manager, so reads after a clone count them as recorded. */
  readonly created: RecordedVm[] = [];
  /** Pending clones the last settle() left open, and clones this manager stopped waiting for (asked to cancel). */
  private unsettled: PendingClone[] = [];
  private readonly timedOut: PendingClone[] = [];
  /** What happened that a user should know (forced power-offs), for lastMessage. */
  readonly notes: string[];

  constructor(
    private readonly client: VimClient,
    private readonly spec: GroupSpec,
  ) {
    this.observer = new GroupObserver(client, spec);
    this.executor = new VmExecutor(client, { owner: spec.owner, shutdownTimeoutSeconds: spec.shutdownTimeoutSeconds });
    this.notes = this.executor.notes;
  }

  /** The clones the state must keep following (see PendingClone). */
  get pending(): PendingClone[] {
    return [...this.unsettled, ...this.timedOut.filter((t) => !this.unsettled.some((u) => u.task === t.task))];
  }

  /** Finds the template, pool, datastore and parent folder; errors name what was missing and where we looked. */
  resolvePlacement(): Promise<Placement> {
    return resolvePlacement(this.client, this.spec);
  }

  /** Everything a create needs to decide, read before anything is changed (also what check() shows for adopt). */
  async survey(placement: Placement): Promise<{ folder?: MoRef; plan: CreatePlan }> {
    const { folder, survey } = await this.observer.survey(placement.parentFolder);
    return { folder, plan: planCreate(desiredOf(this.spec), this.spec.owner, this.spec.adopt === true, survey) };
  }

  /**
   * Creates the group: refuses (changing nothing) what planCreate refuses; with adopt, refuses too when the plan
   * differs from `plannedLines` (what preview showed). Then creates and marks the folder (unless adopted), marks
   * the adopted VMs, and reconciles. `onFolder` learns the folder as soon as it exists, for partial-failure state.
   */
  async create(
    placement: Placement,
    opts: { plannedLines?: string[]; onFolder?: (f: MoRef, created: boolean) => void } = {},
  ): Promise<CreatedGroup> {
    const { folder: existing, plan } = await this.survey(placement);
    if (plan.refusal) fail(this.spec.label, plan.refusal);
    if (this.spec.adopt && opts.plannedLines && JSON.stringify(opts.plannedLines) !== JSON.stringify(plan.lines)) {
      fail(
        this.spec.label,
        `what exists changed since the plan was made; run preview again. Now: ${plan.lines.join("; ")}`,
      );
    }
    const folder =
      existing ??
      (await createOwnedFolder(
        this.client,
        this.spec,
        placement.parentFolder,
        (await this.observer.folderOwnerKey(true))!,
      ));
    opts.onFolder?.(folder, plan.folderCreated);
    for (const vm of plan.adopted) await this.executor.mark(vmRef(vm.moref));
    this.adoptedRecord.push(
      ...[...plan.members, ...plan.adopted].map((v) => ({ index: v.index, instanceUuid: v.instanceUuid })),
    );
    const record: GroupRecord = {
      owner: this.spec.owner,
      folderCreated: plan.folderCreated,
      vms: [...this.adoptedRecord],
    };
    return { folder, folderCreated: plan.folderCreated, vms: await this.reconcile(folder, record, placement) };
  }

  /**
   * The group as it stands: its VMs (recorded in `record` and carrying its marker) wherever they are, the rest of
   * the folder, and what was lost. Undefined when the folder no longer exists (or its id now names an unrelated
   * folder). A folder renamed outside Pulumi is still found (by id) and reported by its new name.
   */
  async read(folder: MoRef, record: GroupRecord): Promise<GroupView | undefined> {
    const settled = await this.settle(record, false);
    const view = await this.observer.read(folder, settled);
    return view && { ...view, pendingClones: settled.pendingClones ?? [] };
  }

  /**
   * Settles the record's pending clones by their tasks (see PendingClone): a success claims the VM it made, an
   * error that was not a cancel ends it, and so does a task vCenter no longer knows. With `wait`, tasks still
   * queued or running are awaited first (within the task timeout and the operation's deadline), so an update or a
   * destroy acts on their outcome instead of cloning or leaving a VM twice.
   */
  private async settle(record: GroupRecord, wait: boolean): Promise<GroupRecord> {
    if (!record.pendingClones?.length) {
      this.unsettled = [];
      return record;
    }
    const vms = [...record.vms];
    const pendingClones: PendingClone[] = [];
    for (const p of record.pendingClones) {
      const task: MoRef = { type: "Task", value: p.task };
      if (wait) await this.client.waitForTask(task).catch(() => undefined);
      const info = await this.client.readTask(task).catch((err: unknown) => {
        if (isFault(err, "ManagedObjectNotFound")) return undefined;
        throw err;
      });
      if (!info || info.state === "unknown") {
        this.notes.push(
          `the clone of VM ${p.index} stopped being waited for and its task ${p.task} is gone from vCenter`,
        );
      } else if (info.state === "success" && isMoRef(info.result)) {
        const vm = await this.observer.readVm(info.result).catch(() => undefined);
        // The task proves the group made it; a marker of another owner since then means it was handed over.
        const handedOver = vm?.owner !== undefined && vm.owner !== record.owner;
        if (vm && !handedOver && !vms.some((v) => v.index === p.index || v.instanceUuid === vm.instanceUuid))
          vms.push({
            index: p.index,
            instanceUuid: vm.instanceUuid,
            ...(vm.owner === record.owner ? {} : { markPending: true }),
          });
      } else if (info.state !== "error" || info.cancelled) {
        // Queued, running, or cancelled on request: a cancel is not a guarantee that the clone will not land.
        pendingClones.push(p);
      }
    }
    this.unsettled = pendingClones;
    return { ...record, vms, pendingClones };
  }

  /**
   * Brings the group to the spec, acting only on its own VMs: replays the plan's removes (highest index first),
   * then its clones and converges, at most `maxConcurrency` operations at a time and at most `maxUnavailable` VMs
   * down for a power cycle at once. Steps that fail do not stop the others; the error then carries the group as it
   * stands so the caller can record it. Notes (e.g. a forced power-off) go to `this.notes`.
   */
  async reconcile(
    folder: MoRef,
    record: GroupRecord,
    placement: Placement | (() => Promise<Placement>),
  ): Promise<ObservedVm[]> {
    const desired = desiredOf(this.spec);
    record = await this.settle(record, true);
    const current = await this.observer.read(folder, record);
    if (!current) fail(this.spec.label, `folder ${folder.value} disappeared during the update`);
    const { steps } = planGroup(desired, current.own);
    const blocked = blockedClones({ steps }, current.foreignVms);
    if (blocked.length)
      fail(
        this.spec.label,
        `VMs ${blocked.map((n) => `"${n}"`).join(", ")} in folder ${current.folderName} exist and are not this ` +
          `group's (no marker of this group); the group never takes them over, so nothing was changed. Rename or remove them, ` +
          `or keep replicas at or below their index`,
      );
    // State from before markers, or an owner id that changed (the resource renamed with an alias): mark the
    // recorded VMs with the current id, then claim by it.
    for (const vm of current.own.filter((v) => v.owner !== this.spec.owner)) await this.executor.mark(vmRef(vm.moref));
    record = { ...record, owner: this.spec.owner, unmarked: false };
    const limit = this.spec.maxConcurrency;
    const failures: string[] = [];
    const reasons: unknown[] = [];
    const collect = (results: PromiseSettledResult<unknown>[], what: (i: number) => string) =>
      results.forEach((r, i) => {
        if (r.status === "fulfilled") return;
        failures.push(`${what(i)}: ${(r.reason as Error).message ?? r.reason}`);
        reasons.push(r.reason);
      });

    const removes = steps.flatMap((s) => (s.kind === "remove" ? [s] : []));
    const clones = steps.flatMap((s) => (s.kind === "clone" ? [s] : []));
    const converges = steps.flatMap((s) => (s.kind === "converge" ? [s] : []));
    collect(await mapLimit(removes, limit, (s) => this.executor.remove(s)), (i) => `remove ${removes[i].vm.name}`);

    let resolved: Placement | undefined;
    if (clones.length) resolved = typeof placement === "function" ? await placement() : placement;
    // Power cycles take VMs down: at most maxUnavailable at once, each back up before the next goes down.
    const cycles = converges.filter((s) => s.takesDown);
    const rest = converges.filter((s) => !s.takesDown);
    // The bound is on operations, not on VMs: a VM whose clone is done frees its slot for the next clone while it
    // queues for its reconfigure and power-on (ahead of clones not yet started, so VMs finish in order). Holding a
    // slot for a VM's whole clone -> reconfigure -> power-on chain left clone slots idle for the follow-up steps.
    const gate = new OperationGate(limit);
    const work: Array<{ label: string; run: () => Promise<void> }> = [
      ...clones.map((step) => ({
        label: `create ${step.name}`,
        run: () => this.createVm(folder, resolved!, step, gate),
      })),
      ...rest.map((step) => ({
        label: `update ${step.vm.name}`,
        run: () => gate.run(NEW_WORK, () => this.executor.replay(step.vm, step.operations)),
      })),
    ];
    const cycleWork = cycles.map((step) => ({
      label: `update ${step.vm.name}`,
      run: () => this.executor.replay(step.vm, step.operations),
    }));
    const [a, b] = await Promise.all([
      Promise.allSettled(work.map((w) => w.run())),
      mapLimit(cycleWork, Math.min(this.spec.maxUnavailable ?? 1, limit), (w) => w.run()),
    ]);
    collect(a, (i) => work[i].label);
    collect(b, (i) => cycleWork[i].label);

    const after = (await this.observer.read(folder, { ...record, vms: [...record.vms, ...this.created] }))?.own ?? [];
    if (failures.length) {
      throw new PartialGroupError(
        `VmGroup "${this.spec.label}": ${failures.length} of ${steps.length} operations failed: ${failures.join("; ")}`,
        after,
        causeOf(reasons),
      );
    }
    return after;
  }

  /** Clones one VM, records it at once, then replays what the clone still needs (planner.afterClone). */
  private async createVm(folder: MoRef, placement: Placement, step: CloneStep, gate: OperationGate): Promise<void> {
    const vm = await gate
      .run(NEW_WORK, () => this.executor.clone(placement, folder, step))
      .catch((err: unknown) => {
        // Gave up waiting (and asked vCenter to cancel): the clone may still land, so the state follows its task.
        if (err instanceof TaskTimeoutError) this.timedOut.push({ index: step.index, task: err.task.value });
        throw err;
      });
    const observed = await this.observer.readVm(vm);
    // Recorded at once, marked or not, so a failure from here on leaves a VM the state knows (and destroy removes).
    const marked = observed.owner === this.spec.owner;
    this.created.push({
      index: step.index,
      instanceUuid: observed.instanceUuid,
      ...(marked ? {} : { markPending: true }),
    });
    const operations = afterClone(
      { ...observed, index: step.index, owner: this.spec.owner },
      desiredOf(this.spec),
      marked,
    );
    await gate.run(FOLLOW_UP, () => this.executor.replay(observed, operations));
  }

  /**
   * Removes the group's own VMs (recorded and marked, wherever they are), then the folder only when the group
   * created it and it is empty. Everything else stays: other VMs, templates, vApps, sub-folders, and a folder the
   * group adopted. vcsim does not destroy a folder's VMs with the folder, and a real vCenter would destroy them
   * all: so the folder goes last, and only empty.
   */
  async destroy(folder: MoRef, record: GroupRecord): Promise<{ folderKept?: string }> {
    record = await this.settle(record, true);
    const current = await this.observer.read(folder, record);
    // The folder is gone: its VMs may still exist elsewhere (vcsim orphans them; or moved).
    const own = current?.own ?? (await this.observer.findRecordedAnywhere(record));
    const results = await mapLimit(planRemoval(own), this.spec.maxConcurrency, (s) => this.executor.remove(s));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length)
      fail(
        this.spec.label,
        `could not remove ${failed.length} VM(s): ${failed.map((f) => (f.reason as Error).message).join("; ")}`,
        causeOf(failed.map((f) => f.reason)),
      );
    if (!current) return {};
    if (!record.folderCreated) return { folderKept: "adopted: the group did not create it" };
    const left = (await this.observer.readFolder(folder))?.filter((o) => o.obj.value !== folder.value) ?? [];
    if (left.length)
      return {
        folderKept: `it holds objects the group does not own (${left.map((o) => String(o.props["name"] ?? o.obj.value)).join(", ")})`,
      };
    try {
      await this.client.destroy(folder);
    } catch (err) {
      if (!isFault(err, "ManagedObjectNotFound")) throw err;
    }
    return {};
  }
}
