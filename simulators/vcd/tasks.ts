// Task lifecycle. Tasks advance on wall-clock time and are settled lazily (at the start of every request), so the
// simulator needs no timers: a task is queued, then running, then success or error, and its effect on the entity
// is applied exactly once when it succeeds.
import { randomUUID } from "crypto";
import { TaskTiming } from "./seed";

export type TaskStatus = "queued" | "running" | "success" | "error" | "canceled";

export interface TaskOwner {
  kind: "vApp";
  id: string;
  name: string;
}

export interface TaskFailure {
  status: number;
  minorErrorCode: string;
  message: string;
}

export interface SimTask {
  id: string;
  operationName: string;
  operation: string;
  owner: TaskOwner;
  userId: string;
  orgId: string;
  status: TaskStatus;
  startTime: Date;
  endTime?: Date;
  expiryTime: Date;
  /** Wall-clock ms at which the task starts running, and at which it completes. */
  runAt: number;
  doneAt: number;
  /** Set when the task will fail (fault injection); its effect is then never applied. */
  failure?: TaskFailure;
  error?: TaskFailure;
  cancelRequested: boolean;
  apply: () => void;
  /** Runs when the task fails or is canceled (e.g. a failed creation leaves a FAILED_CREATION vApp). */
  onFail?: () => void;
}

export interface NewTask {
  operationName: string;
  operation: string;
  owner: TaskOwner;
  userId: string;
  orgId: string;
  apply: () => void;
  onFail?: () => void;
}

export class TaskEngine {
  readonly tasks = new Map<string, SimTask>();

  constructor(
    private readonly timing: () => TaskTiming,
    private readonly now: () => Date,
  ) {}

  create(spec: NewTask, failure?: TaskFailure): SimTask {
    const t = this.timing();
    const wall = Date.now();
    const start = this.now();
    const task: SimTask = {
      ...spec,
      id: randomUUID(),
      status: "queued",
      startTime: start,
      expiryTime: new Date(start.getTime() + 30 * 86400_000),
      runAt: wall + t.queuedMs,
      doneAt: wall + t.queuedMs + t.runningMs,
      failure,
      cancelRequested: false,
    };
    this.tasks.set(task.id, task);
    this.settle();
    return task;
  }

  /** Moves every task forward to where wall-clock time says it is. */
  settle() {
    const wall = Date.now();
    for (const t of this.tasks.values()) {
      if (t.status === "queued" && wall >= t.runAt) t.status = "running";
      if (t.status === "running" && wall >= t.doneAt) this.finish(t);
    }
  }

  private finish(t: SimTask) {
    t.endTime = this.now();
    if (t.failure) {
      t.status = "error";
      t.error = t.failure;
      t.onFail?.();
    } else {
      t.status = "success";
      t.apply();
    }
  }

  cancel(t: SimTask) {
    if (t.status !== "queued" && t.status !== "running") return;
    t.cancelRequested = true;
    t.status = "canceled";
    t.endTime = this.now();
    t.onFail?.();
  }

  /** Progress as vCD shows it: 1 while queued, proportional while running, 100 when done. */
  progress(t: SimTask): number {
    if (t.status === "queued") return 1;
    if (t.status === "running") {
      const span = Math.max(1, t.doneAt - t.runAt);
      return Math.min(99, Math.max(1, Math.floor(((Date.now() - t.runAt) / span) * 100)));
    }
    return 100;
  }

  activeFor(ownerId: string): SimTask[] {
    return [...this.tasks.values()].filter(
      (t) => t.owner.id === ownerId && (t.status === "queued" || t.status === "running"),
    );
  }
}
