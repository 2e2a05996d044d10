// Task waiting: poll GET /api/task/{id} with a growing interval until the task leaves the running states.
import { sleep } from "../util/async";
import { waitDeadline } from "../util/deadline";
import { TaskError, TaskTimeoutError } from "./errors";
import { parseTask, Task, TaskStatus } from "./xml";

export interface WaitOptions {
  timeoutMs?: number;
  pollMs?: number;
  maxPollMs?: number;
  /**
   * Bound on how late a finished task may be noticed, as a fraction of the time waited so far (e.g. 0.15): polls
   * then come at most that far apart, relative to the wait, so a short task is not noticed a whole interval late.
   */
  maxOvershoot?: number;
  /** Asks vCD to cancel a task the wait gives up on (best effort). */
  cancel?: (taskHref: string) => Promise<unknown>;
}

/** Running states per govcd: queued, preRunning, running, postRunning. */
export const RUNNING: TaskStatus[] = ["queued", "preRunning", "running", "postRunning"];

interface TaskSource {
  get(href: string): Promise<string>;
}

export async function waitForTask(client: TaskSource, task: Task | string, opts: WaitOptions = {}): Promise<Task> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  let interval = opts.pollMs ?? 500;
  const maxInterval = opts.maxPollMs ?? 5_000;
  const started = Date.now();
  const { at: deadline, limit } = waitDeadline(timeoutMs);
  let t = typeof task === "string" ? parseTask(await client.get(task)) : task;
  for (;;) {
    if (t.status === "success") return t;
    if (!RUNNING.includes(t.status)) {
      // error, canceled, aborted: the change did not happen (govcd counts aborted as done; we do not trust it).
      throw new TaskError({
        taskHref: t.href,
        operationName: t.operationName,
        status: t.status,
        ownerHref: t.ownerHref,
        majorErrorCode: t.error?.majorErrorCode,
        minorErrorCode: t.error?.minorErrorCode,
        vcdMessage: t.error?.message ?? (t.status === "canceled" ? "the task was canceled" : undefined),
      });
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      // Abandoned work must not go on changing the vApp behind the caller's back (vCD API: POST task/action/cancel).
      const cancelled = await (opts.cancel?.(t.href) ?? Promise.reject()).then(
        () => true,
        () => false,
      );
      throw new TaskTimeoutError(t.href, t.operationName, t.status, deadline - started, { limit, cancelled });
    }
    const relative =
      opts.maxOvershoot === undefined
        ? interval
        : Math.max(opts.pollMs ?? 500, opts.maxOvershoot * (Date.now() - started));
    await sleep(Math.min(interval, relative, left));
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
    t = parseTask(await client.get(t.href));
  }
}
