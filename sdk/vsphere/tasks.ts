// Task waiting for a whole session with one long-poll instead of one poller per task.
//
// The tasks waited on sit in a ListView (ViewManager.CreateListView). One PropertyFilter, on a PropertyCollector of
// our own (CreatePropertyCollector, so no other use of the session's collector sees its versions), follows
// info.state, info.result and info.error of every task in the view, and one WaitForUpdatesEx at a time answers with
// whatever changed. Adding a task (ModifyListView, batched: removals of finished tasks ride along) wakes the pending
// long-poll, which answers at once for a task that is already done. This is how govmomi waits (property.Wait over a
// filter; vim25 API reference: PropertyCollector.WaitForUpdatesEx, ListView); vcsim implements all of it.
//
// Filters and views belong to the session: when a call answers NotAuthenticated the session is renewed and they are
// built again with every task still waited on. Any other failure hands the waits back (WaiterUnavailable) so the
// caller polls instead, and the waiter rests for a minute.
import { XmlNode, children, tag, text, textTag } from "../xml";
import { isFault } from "./errors";
import { methodXml } from "./methods";
import { decodeValue, moRefXml, propertyFilterSpecXml } from "./property";
import type { MoRef } from "./types";

/** What a task's TaskInfo said last: `state` is queued, running, success or error. */
export interface TaskInfoUpdate {
  state: string;
  result?: unknown;
  error?: unknown;
  /** The wait's deadline passed first; `state` is the last one seen. */
  timedOut?: boolean;
  /** CancelTask was asked for (info.cancelled): a request, not a guarantee that the work did not happen. */
  cancelled?: boolean;
}

/** The waiter cannot follow this task (it failed or was closed): poll it instead. */
export class WaiterUnavailable extends Error {
  constructor(readonly cause?: unknown) {
    super(`task waiter unavailable${cause instanceof Error ? `: ${cause.message}` : ""}`);
    this.name = "WaiterUnavailable";
  }
}

/** What the waiter needs from its client. */
export interface WaiterHost {
  propertyCollector: MoRef;
  viewManager: MoRef;
  /**
   * One SOAP call on the current session; NotAuthenticated is thrown as is. Transient failures are retried only
   * when `retry` is set: a WaitForUpdatesEx resent after a lost answer may not be answered again (vcsim forgets the
   * updates it sent), so the waiter gives its waits back instead.
   */
  call(method: string, body: string, retry: boolean): Promise<XmlNode>;
  /** Bumped by every re-login: objects made under an older generation are gone. */
  generation(): number;
  /** Logs in again, unless someone did since generation `seen`. */
  renew(seen: number): Promise<void>;
  /** WaitForUpdatesEx maxWaitSeconds: well inside the request's socket timeout and deadline. */
  maxWaitSeconds: number;
}

interface Waiter {
  deadline: number;
  resolve: (u: TaskInfoUpdate) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Watch {
  task: MoRef;
  info: TaskInfoUpdate;
  waiters: Waiter[];
}

interface SessionObjects {
  generation: number;
  collector: MoRef;
  view: MoRef;
}

const TASK_PATHS = ["info.state", "info.result", "info.error"];
/** After a failure other than a lost session, callers poll for this long before the waiter is tried again. */
const REST_MS = 60_000;

export class TaskWaiter {
  private readonly watches = new Map<string, Watch>();
  private readonly adds = new Map<string, MoRef>();
  private readonly removes = new Map<string, MoRef>();
  private objects: Promise<SessionObjects> | undefined;
  private objectsGeneration = -1;
  private version = "";
  private running = false;
  private longPolling = false;
  private flushing: Promise<void> | undefined;
  private restUntil = 0;
  private closed = false;
  /** WaitForUpdatesEx calls answered, and ModifyListView calls made (for tests and the bench). */
  readonly stats = { longPolls: 0, viewChanges: 0, rebuilds: 0 };

  constructor(private readonly host: WaiterHost) {}

  /** False after close() and for a while after a failure: poll instead. */
  get available(): boolean {
    return !this.closed && Date.now() >= this.restUntil;
  }

  /** Tasks being waited on now. */
  get size(): number {
    return this.watches.size;
  }

  /**
   * Resolves with the task's TaskInfo once its state is success or error, or with `timedOut` at `deadline` (epoch
   * ms). Rejects with WaiterUnavailable when the waiter cannot follow it.
   */
  wait(task: MoRef, deadline: number): Promise<TaskInfoUpdate> {
    if (!this.available) return Promise.reject(new WaiterUnavailable());
    return new Promise<TaskInfoUpdate>((resolve, reject) => {
      let watch = this.watches.get(task.value);
      if (!watch) {
        watch = { task, info: { state: "unknown" }, waiters: [] };
        this.watches.set(task.value, watch);
        this.removes.delete(task.value);
        this.adds.set(task.value, task);
      }
      const w: Waiter = { deadline, resolve, reject };
      w.timer = setTimeout(() => this.expire(task.value, w), Math.max(0, deadline - Date.now()));
      watch.waiters.push(w);
      this.kick();
    });
  }

  /** Hands every wait back (callers poll) and stops; the session's objects go with its logout. */
  close(): void {
    this.closed = true;
    this.abandon(new WaiterUnavailable(new Error("client closed")));
  }

  private kick(): void {
    if (!this.running) void this.run();
    // A long-poll in flight wakes up when the view changes; otherwise the loop flushes before its next long-poll.
    else if (this.longPolling) this.flush().catch((err) => this.flushFailed(err));
  }

  private async run(): Promise<void> {
    this.running = true;
    let rebuilds = 0;
    try {
      while (this.watches.size && !this.closed) {
        const generation = this.host.generation();
        try {
          const objects = await this.ready();
          await this.flush();
          if (!this.watches.size) break;
          // A wait that came in after the flush finished (it saw no long-poll to wake) must be in the view first.
          if (this.adds.size) continue;
          this.longPolling = true;
          let res: XmlNode;
          try {
            res = await this.host.call(
              "WaitForUpdatesEx",
              waitForUpdatesExXml(objects.collector, this.version, this.host.maxWaitSeconds),
              false,
            );
          } finally {
            this.longPolling = false;
          }
          this.stats.longPolls++;
          this.apply(res);
          rebuilds = 0;
        } catch (err) {
          if (this.closed) break;
          // CancelWaitForUpdates (the last wait expired): the version still holds.
          if (isFault(err, "RequestCanceled")) continue;
          if (this.sessionLost(err) && rebuilds++ < 2) {
            await this.rebuild(err, generation).catch((e) => this.giveUp(e));
            continue;
          }
          this.giveUp(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The collector, view and filter of the current session, made on first use and again after a re-login. */
  private ready(): Promise<SessionObjects> {
    const generation = this.host.generation();
    if (!this.objects || this.objectsGeneration !== generation) {
      this.objectsGeneration = generation;
      this.version = "";
      this.removes.clear();
      for (const w of this.watches.values()) this.adds.set(w.task.value, w.task);
      const made = this.create(generation);
      made.catch(() => {
        if (this.objects === made) this.objects = undefined;
      });
      this.objects = made;
    }
    return this.objects;
  }

  private async create(generation: number): Promise<SessionObjects> {
    const collector = moRef(
      await this.host.call(
        "CreatePropertyCollector",
        methodXml("CreatePropertyCollector", this.host.propertyCollector),
        true,
      ),
    );
    const view = moRef(
      await this.host.call("CreateListView", methodXml("CreateListView", this.host.viewManager), true),
    );
    const spec = {
      propSet: [{ type: "Task", pathSet: TASK_PATHS }],
      objectSet: [
        { obj: view, skip: true, selectSet: [{ name: "tasks", type: "ListView", path: "view", skip: false }] },
      ],
    };
    await this.host.call(
      "CreateFilter",
      methodXml("CreateFilter", collector, propertyFilterSpecXml(spec, "spec"), textTag("partialUpdates", false)),
      true,
    );
    return { generation, collector, view };
  }

  /** Sends the pending view changes, one ModifyListView at a time; what arrives meanwhile goes in the next. */
  private flush(): Promise<void> {
    if (!this.flushing) {
      // Cleared in a `finally` callback, never inside the body: a body with nothing to send ends synchronously, and
      // would clear the field before it is even set.
      const p: Promise<void> = this.sendViewChanges().finally(() => {
        if (this.flushing === p) this.flushing = undefined;
      });
      this.flushing = p;
    }
    return this.flushing;
  }

  private async sendViewChanges(): Promise<void> {
    while (this.adds.size || this.removes.size) {
      const objects = await this.ready();
      const add = [...this.adds.values()];
      const remove = [...this.removes.values()];
      this.adds.clear();
      this.removes.clear();
      try {
        await this.host.call(
          "ModifyListView",
          methodXml(
            "ModifyListView",
            objects.view,
            ...add.map((t) => moRefXml("add", t)),
            ...remove.map((t) => moRefXml("remove", t)),
          ),
          true,
        );
        this.stats.viewChanges++;
      } catch (err) {
        for (const t of add) if (this.watches.has(t.value)) this.adds.set(t.value, t);
        throw err;
      }
    }
  }

  /** A flush beside a long-poll failed: a lost session fails the long-poll too (and is handled there). */
  private flushFailed(err: unknown): void {
    if (this.closed || this.sessionLost(err)) return;
    this.giveUp(err);
  }

  /** Applies an UpdateSet: every task whose state is now success or error resolves its waiters. */
  private apply(res: XmlNode): void {
    const set = children(res, "returnval")[0];
    if (!set) return; // maxWaitSeconds passed with no change
    this.version = text(set, "version") ?? this.version;
    for (const fs of children(set, "filterSet")) {
      for (const os of children(fs, "objectSet")) {
        const obj = children(os, "obj")[0];
        const watch = this.watches.get(text(obj) ?? "");
        if (!watch) continue;
        if (text(os, "kind") === "leave") {
          // The task object is gone (expired): a poll says what became of it.
          this.settle(watch, (w) =>
            w.reject(new WaiterUnavailable(new Error(`task ${watch.task.value} left the view`))),
          );
          continue;
        }
        for (const cs of children(os, "changeSet")) {
          const name = text(cs, "name");
          const val = children(cs, "val")[0];
          const value = val === undefined || text(cs, "op") === "remove" ? undefined : decodeValue(val);
          if (name === "info.state") watch.info.state = String(value ?? "unknown");
          else if (name === "info.result") watch.info.result = value;
          else if (name === "info.error") watch.info.error = value;
        }
        if (watch.info.state === "success" || watch.info.state === "error") {
          const info = { ...watch.info };
          this.settle(watch, (w) => w.resolve(info));
        }
      }
    }
  }

  /** Ends every wait on a task; the task leaves the view with the next view change. */
  private settle(watch: Watch, end: (w: Waiter) => void): void {
    this.watches.delete(watch.task.value);
    this.adds.delete(watch.task.value);
    this.removes.set(watch.task.value, watch.task);
    for (const w of watch.waiters) {
      clearTimeout(w.timer);
      end(w);
    }
  }

  private expire(taskValue: string, w: Waiter): void {
    const watch = this.watches.get(taskValue);
    if (!watch || !watch.waiters.includes(w)) return;
    watch.waiters = watch.waiters.filter((x) => x !== w);
    if (!watch.waiters.length) {
      this.watches.delete(taskValue);
      this.adds.delete(taskValue);
      this.removes.set(taskValue, watch.task);
    }
    w.resolve({ ...watch.info, timedOut: true });
    // Nothing left to wait for: end the long-poll now rather than at maxWaitSeconds.
    if (!this.watches.size && this.longPolling) void this.cancelLongPoll();
  }

  private async cancelLongPoll(): Promise<void> {
    const objects = await this.objects?.catch(() => undefined);
    if (objects)
      await this.host
        .call("CancelWaitForUpdates", methodXml("CancelWaitForUpdates", objects.collector), true)
        .catch(() => undefined);
  }

  /** The session ended (NotAuthenticated), or our collector or view is gone with an older one. */
  private sessionLost(err: unknown): boolean {
    return isFault(err, "NotAuthenticated") || isFault(err, "ManagedObjectNotFound");
  }

  private async rebuild(err: unknown, generation: number): Promise<void> {
    this.stats.rebuilds++;
    this.objects = undefined;
    if (isFault(err, "NotAuthenticated")) await this.host.renew(generation);
  }

  /** Hands every wait back to its caller (who polls) and rests. */
  private giveUp(err: unknown): void {
    this.restUntil = Date.now() + REST_MS;
    if (this.longPolling) void this.cancelLongPoll();
    this.objects = undefined;
    this.abandon(new WaiterUnavailable(err));
  }

  private abandon(err: WaiterUnavailable): void {
    const watches = [...this.watches.values()];
    this.watches.clear();
    this.adds.clear();
    this.removes.clear();
    for (const watch of watches) {
      for (const w of watch.waiters) {
        clearTimeout(w.timer);
        w.reject(err);
      }
    }
  }
}

export function waitForUpdatesExXml(collector: MoRef, version: string, maxWaitSeconds: number): string {
  return methodXml(
    "WaitForUpdatesEx",
    collector,
    textTag("version", version),
    tag("options", undefined, textTag("maxWaitSeconds", maxWaitSeconds)),
  );
}

function moRef(res: XmlNode): MoRef {
  const v = decodeValue(children(res, "returnval")[0] ?? {}, "ManagedObjectReference") as MoRef;
  if (!v?.value) throw new Error("expected a managed object reference");
  return v;
}
