// Fault injection and the request log. Tests arm a fault, run the client, and assert on how it coped; the bench
// counts requests from the log.
import { TaskFailure } from "./tasks";
import { SimState } from "./state";
import { TaskTiming } from "./seed";

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  /** Minor error code when the response was an error. */
  minorErrorCode?: string;
}

interface ServerErrorRule {
  remaining: number;
  status: number;
  method?: string;
  path?: RegExp;
}
interface TaskErrorRule {
  remaining: number;
  operationName?: string;
  failure: TaskFailure;
}
interface SlowRule {
  remaining: number;
  timing: Partial<TaskTiming>;
}
interface LostReplyRule {
  remaining: number;
  status: number;
  method?: string;
  path?: RegExp;
  dropped?: boolean;
}

export class Faults {
  readonly requestLog: RequestLogEntry[] = [];
  private busy = new Map<string, number>();
  private serverErrors: ServerErrorRule[] = [];
  private taskErrors: TaskErrorRule[] = [];
  private slow: SlowRule[] = [];
  private lostReplies: LostReplyRule[] = [];

  constructor(private readonly state: SimState) {}

  /** The next `count` mutations of the entity (vApp uuid, URN or name) answer 400 BUSY_ENTITY. */
  busyEntity(idOrName: string, count = 1) {
    idOrName = idOrName.replace(/^urn:vcloud:vapp:/, "");
    this.busy.set(idOrName, (this.busy.get(idOrName) ?? 0) + count);
  }

  /** The next `count` requests matching method/path answer `status` (500 by default) with an INTERNAL_SERVER_ERROR body. */
  serverError(opts: { count?: number; status?: number; method?: string; path?: RegExp } = {}) {
    this.serverErrors.push({
      remaining: opts.count ?? 1,
      status: opts.status ?? 500,
      method: opts.method?.toUpperCase(),
      path: opts.path,
    });
  }

  /**
   * The next `count` matching requests are carried out, then their answer is lost: replaced by `status` (502 by
   * default, as a load balancer answers when vCD's reply does not reach it) or, with status 0, a reset connection.
   */
  loseReply(opts: { count?: number; status?: number; method?: string; path?: RegExp } = {}) {
    this.lostReplies.push({
      remaining: opts.count ?? 1,
      status: opts.status ?? 502,
      method: opts.method?.toUpperCase(),
      path: opts.path,
    });
  }

  /** The next `count` matching requests are dropped unread: the connection is reset and nothing is carried out. */
  dropRequest(opts: { count?: number; method?: string; path?: RegExp } = {}) {
    this.lostReplies.push({
      remaining: opts.count ?? 1,
      status: 0,
      method: opts.method?.toUpperCase(),
      path: opts.path,
      dropped: true,
    });
  }

  /** The next `count` tasks (optionally of one operationName) end in status `error` with this message. */
  failTasks(opts: { count?: number; operationName?: string; message?: string; minorErrorCode?: string } = {}) {
    this.taskErrors.push({
      remaining: opts.count ?? 1,
      operationName: opts.operationName,
      failure: {
        status: 500,
        minorErrorCode: opts.minorErrorCode ?? "INTERNAL_SERVER_ERROR",
        message: opts.message ?? "Injected task failure.",
      },
    });
  }

  /** The next `count` tasks (all tasks when count is omitted) take this long. */
  slowTasks(timing: Partial<TaskTiming>, count = Number.POSITIVE_INFINITY) {
    this.slow.push({ remaining: count, timing });
  }

  /** Every open session expires now; the next request with its token gets 401. */
  expireSessions() {
    for (const s of this.state.sessions.values()) s.expired = true;
  }

  reset() {
    this.busy.clear();
    this.serverErrors = [];
    this.taskErrors = [];
    this.slow = [];
    this.lostReplies = [];
    this.requestLog.length = 0;
  }

  /** Number of logged requests, optionally only those matching method and/or path. */
  count(filter: { method?: string; path?: RegExp } = {}): number {
    return this.requestLog.filter(
      (r) => (!filter.method || r.method === filter.method.toUpperCase()) && (!filter.path || filter.path.test(r.path)),
    ).length;
  }

  // --- consulted by the server ---

  takeServerError(method: string, path: string): number | undefined {
    const rule = this.serverErrors.find(
      (r) => r.remaining > 0 && (!r.method || r.method === method) && (!r.path || r.path.test(path)),
    );
    if (!rule) return undefined;
    rule.remaining--;
    return rule.status;
  }

  takeLostReply(method: string, path: string, dropped = false): number | undefined {
    const rule = this.lostReplies.find(
      (r) =>
        r.remaining > 0 &&
        !!r.dropped === dropped &&
        (!r.method || r.method === method) &&
        (!r.path || r.path.test(path)),
    );
    if (!rule) return undefined;
    rule.remaining--;
    return rule.status;
  }

  takeBusy(id: string, name: string): boolean {
    for (const key of [id, name]) {
      const n = this.busy.get(key) ?? 0;
      if (n > 0) {
        this.busy.set(key, n - 1);
        return true;
      }
    }
    return false;
  }

  takeTaskFailure(operationName: string): TaskFailure | undefined {
    const rule = this.taskErrors.find(
      (r) => r.remaining > 0 && (!r.operationName || r.operationName === operationName),
    );
    if (!rule) return undefined;
    rule.remaining--;
    return rule.failure;
  }

  taskTiming(base: TaskTiming): TaskTiming {
    const rule = this.slow.find((r) => r.remaining > 0);
    if (!rule) return base;
    rule.remaining--;
    return { ...base, ...rule.timing };
  }
}
