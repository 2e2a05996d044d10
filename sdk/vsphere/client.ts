// VimClient: a session against one vCenter (or vcsim) and the handful of vim25 methods the providers need.
// Every method is one SOAP call (plus the task wait for *_Task methods: one read, then the session's shared
// WaitForUpdatesEx long-poll, see tasks.ts, or polls without it); a dropped session is renewed once per call,
// transient failures are retried by the transport (soap.ts), and a task submission whose answer was lost is found
// again instead of being sent twice. Tasks in flight are bounded per endpoint across all clients of the process.
import { AxiosInstance } from "axios";
import { RetryOptions, TransportError, closeHttpClient, createHttpClient, hostsOnly, provesNotSent } from "../http";
import { sleep } from "../util/async";
import { waitDeadline } from "../util/deadline";
import { Semaphore } from "../http/pool";
import { children, tag, text, textTag } from "../xml";
import { TaskTimeoutError, VimFault, isFault, isMoRef, taskError } from "./errors";
import {
  SERVICE_INSTANCE,
  cloneVmXml,
  configSpecXml,
  createContainerViewXml,
  loginXml,
  methodXml,
  retrievePropertiesExXml,
} from "./methods";
import { decodeObjectContent, decodeValue, moRefXml } from "./property";
import { SoapTransport } from "./soap";
import { TaskInfoUpdate, TaskWaiter, WaiterUnavailable } from "./tasks";
import type {
  CloneSpec,
  MoRef,
  ObjectContent,
  PropertyFilterSpec,
  ServiceContent,
  VmConfigSpec,
  VsphereConnection,
} from "./types";

export interface VimClientOptions {
  /** Parallel sockets to the endpoint (default 16). */
  maxSockets?: number;
  /**
   * Task waits share one WaitForUpdatesEx long-poll per session (see tasks.ts) unless this is false (default true).
   * Without it, or when the server refuses it, each task is polled.
   */
  longPollTasks?: boolean;
  /** First task poll interval in ms (default 20), when polling; it grows by half up to 1 s. */
  taskPollMs?: number;
  /** Default bound on one task wait in ms (default 30 min); a task still running then is cancelled (CancelTask). */
  taskTimeoutMs?: number;
  /** Socket idle timeout of one request in ms (default 120 s). */
  requestTimeoutMs?: number;
  /** Overall deadline of one request in ms (default 300 s), whatever the socket does. */
  requestDeadlineMs?: number;
  /** Largest SOAP answer accepted, in bytes (default 64 MiB). */
  maxResponseBytes?: number;
  /** Backoff and deadline of the retries of transient failures (see SoapTransport.call). */
  retry?: RetryOptions;
  /**
   * After a task submission whose answer was lost (sent, but no reply), how long to look for the task it started
   * among the entity's recentTask, in ms (default 60 s). Not found by then: an error, never a second submission.
   */
  lostTaskWindowMs?: number;
  /**
   * Bound on tasks in flight (submitted and not yet finished) per endpoint, across every client of this process
   * (default 16): many groups on one vCenter queue here instead of flooding it. The last client to set it wins.
   */
  maxTasksInFlight?: number;
}

/** One gate per endpoint URL, shared by all clients (and so all resources) of the process. */
const taskGates = new Map<string, Semaphore>();

function taskGate(url: string, limit?: number): Semaphore {
  let gate = taskGates.get(url);
  if (!gate) taskGates.set(url, (gate = new Semaphore(limit ?? 16)));
  else if (limit !== undefined) gate.limit = limit;
  return gate;
}

const MAX_TASK_POLL_MS = 1000;
/** How long a task wait trusts the long-poll before reading the task itself (tasks.ts). */
const WAITER_RECHECK_MS = 20_000;
const DEFAULT_TASK_TIMEOUT_MS = 30 * 60_000;
/** Clock skew and queueing allowed between our send time and the server's TaskInfo.queueTime. */
const LOST_TASK_SLACK_MS = 5_000;

/** A task submission was sent but its answer lost, and no task it started could be found. */
export class LostTaskError extends Error {
  constructor(
    readonly method: string,
    readonly entity: MoRef,
    readonly cause: Error,
  ) {
    super(
      `${method} on ${entity.type}:${entity.value} was sent but its answer was lost (${cause.message}), and no task it ` +
        "started showed up in the entity's recent tasks; it was not sent again (it may have run: the next run reads the inventory again)",
    );
    this.name = "LostTaskError";
  }
}

export class VimClient {
  /** Renews the session. A closure, so the password is not a property anyone can log or inspect. */
  readonly #login: () => Promise<void>;
  /** Bumped by every re-login, so calls that failed with the old session retry instead of logging in again. */
  private sessionGeneration = 0;
  private renewing: Promise<void> | undefined;
  /** Tasks this client submitted and got an answer for: never taken for another call's lost task. */
  private readonly ownTasks = new Set<string>();
  private readonly taskPollMs: number;
  private readonly taskTimeoutMs: number;
  private readonly lostTaskWindowMs: number;
  private readonly tasks: Semaphore;
  /** The session's task long-poll; undefined when turned off or the request budget is too short for it. */
  readonly taskWaiter: TaskWaiter | undefined;

  private constructor(
    private readonly transport: SoapTransport,
    private readonly http: AxiosInstance,
    readonly serviceContent: ServiceContent,
    login: () => Promise<void>,
    opts: VimClientOptions,
  ) {
    this.#login = login;
    this.taskPollMs = opts.taskPollMs ?? 20;
    this.taskTimeoutMs = opts.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
    this.lostTaskWindowMs = opts.lostTaskWindowMs ?? 60_000;
    this.tasks = taskGate(transport.where, opts.maxTasksInFlight);
    // A long-poll must answer well inside the request's idle timeout and deadline: half the smaller, at most 30 s.
    const budgetMs = Math.min(opts.requestTimeoutMs ?? 120_000, opts.requestDeadlineMs ?? 300_000);
    const maxWaitSeconds = Math.min(30, Math.floor(budgetMs / 2000));
    if (opts.longPollTasks !== false && maxWaitSeconds >= 1) {
      this.taskWaiter = new TaskWaiter({
        propertyCollector: serviceContent.propertyCollector,
        viewManager: serviceContent.viewManager,
        // The waiter's calls only make or change objects of this session, so a resend after a lost answer is harmless;
        // the waiter asks for none on WaitForUpdatesEx (see WaiterHost.call).
        call: (method, body, retry) => transport.call(method, body, { idempotent: retry }),
        generation: () => this.sessionGeneration,
        renew: async (seen) => {
          if (seen === this.sessionGeneration) await this.renewSession();
        },
        maxWaitSeconds,
      });
    }
  }

  /** The endpoint's task gate (tasks in flight now, queued, the peak seen, the limit), once a client used it. */
  static taskGate(url: string): Semaphore | undefined {
    // Keyed as the transport names its endpoint (`where`: the host, never the URL).
    return taskGates.get(`vCenter ${hostsOnly(sdkUrl(url))}`);
  }

  /** RetrieveServiceContent (which also fixes the API version for SOAPAction), then Login. */
  static async connect(conn: VsphereConnection, opts: VimClientOptions = {}): Promise<VimClient> {
    const url = sdkUrl(conn.url);
    // Messages name the host, never the URL (part of a secret connection).
    const where = `vCenter ${hostsOnly(url)}`;
    const http = createHttpClient({
      baseURL: url,
      insecure: conn.insecure,
      ca: conn.ca,
      maxSockets: opts.maxSockets,
      timeoutMs: opts.requestTimeoutMs,
      deadlineMs: opts.requestDeadlineMs,
      maxResponseBytes: opts.maxResponseBytes,
    });
    const transport = new SoapTransport(http, where, opts.retry);
    const content = await transport.call(
      "RetrieveServiceContent",
      methodXml("RetrieveServiceContent", SERVICE_INSTANCE),
    );
    const serviceContent = toServiceContent(decodeValue(children(content, "returnval")[0] ?? {}), where);
    transport.apiVersion = serviceContent.about.apiVersion;

    const { username, password } = conn;
    const login = async () => {
      // A Login on a live session fails (vcsim) or piles up sessions, so always start from no cookie.
      transport.dropSession();
      try {
        await transport.call("Login", loginXml(serviceContent.sessionManager, username, password));
      } catch (err) {
        if (!(err instanceof VimFault)) throw err;
        throw new VimFault(
          err.fault,
          `${where}: login failed for user "${username}" (${err.fault})`,
          err.detail,
          "Login",
        );
      }
    };
    try {
      await login();
    } catch (err) {
      closeHttpClient(http);
      throw err;
    }
    return new VimClient(transport, http, serviceContent, login, opts);
  }

  /** SOAP requests sent so far, logins and task polls included. */
  get roundTrips(): number {
    return this.transport.roundTrips;
  }

  /** Sessions opened so far (the first Login and every re-login). */
  get logins(): number {
    return this.transport.logins;
  }

  /** Logs out (best effort) and closes the keep-alive sockets: the client is done. */
  async close(): Promise<void> {
    this.taskWaiter?.close();
    await this.logout({ once: true }).catch(() => undefined);
    closeHttpClient(this.http);
  }

  /** Ends the session. A later call logs in again (see withSession). `once`: no retry (best effort). */
  async logout(opts: { once?: boolean } = {}): Promise<void> {
    try {
      await this.transport.call("Logout", methodXml("Logout", this.serviceContent.sessionManager), opts);
    } catch (err) {
      if (!isFault(err, "NotAuthenticated")) throw err;
    } finally {
      this.transport.dropSession();
    }
  }

  /** Calls any vim25 method on `self` with already-built parameter elements; returns the decoded returnval. */
  invoke(method: string, self: MoRef, ...params: Array<string | undefined>): Promise<unknown> {
    return this.send(method, methodXml(method, self, ...params));
  }

  /** e.g. "DC0/vm/web"; undefined when nothing is there. */
  async findByInventoryPath(path: string): Promise<MoRef | undefined> {
    return optionalMoRef(
      await this.invoke("FindByInventoryPath", this.serviceContent.searchIndex, textTag("inventoryPath", path)),
    );
  }

  /** The direct child of a folder, datacenter, compute resource or pool with this name; undefined when absent. */
  async findChild(parent: MoRef, name: string): Promise<MoRef | undefined> {
    return optionalMoRef(
      await this.invoke(
        "FindChild",
        this.serviceContent.searchIndex,
        moRefXml("entity", parent),
        textTag("name", name),
      ),
    );
  }

  /** Throws VimFault DuplicateName when the parent already holds an entity with this name. */
  async createFolder(parent: MoRef, name: string): Promise<MoRef> {
    return requireMoRef(await this.invoke("CreateFolder", parent, textTag("name", name)), "CreateFolder");
  }

  /**
   * Rename_Task on any managed entity. `name` as vCenter stores it (escaped, see escapeEntityName: the API
   * accepts escapes and vcsim stores the name as given). Fails (DuplicateName; vcsim: InvalidArgument name) when a
   * sibling already has that name.
   */
  async rename(entity: MoRef, name: string): Promise<void> {
    await this.runTask("Rename_Task", entity, methodXml("Rename_Task", entity, textTag("newName", name)));
  }

  /** Clones and waits for the task; returns the new VM. */
  async cloneVM(vm: MoRef, folder: MoRef, name: string, spec: CloneSpec): Promise<MoRef> {
    // Sibling clones of one template run at once: a found task is ours when its new VM has our name in our folder.
    const ours = async (result: unknown) => {
      if (!isMoRef(result)) return false;
      // A candidate's VM may be gone already (an older clone, since destroyed): not ours either way.
      const [o] = await this.retrieveProperties({
        propSet: [{ type: "VirtualMachine", pathSet: ["name", "parent"] }],
        objectSet: [{ obj: result }],
      }).catch(() => []);
      const parent = o?.props.parent;
      return o?.props.name === name && isMoRef(parent) && parent.value === folder.value;
    };
    return requireMoRef(
      await this.runTask("CloneVM_Task", vm, cloneVmXml(vm, folder, name, spec), ours),
      "CloneVM_Task",
    );
  }

  async reconfigVM(vm: MoRef, spec: VmConfigSpec): Promise<void> {
    await this.runTask(
      "ReconfigVM_Task",
      vm,
      methodXml("ReconfigVM_Task", vm, configSpecXml("spec", spec) ?? tag("spec", undefined)),
    );
  }

  /** TaskError InvalidPowerState when already on; InvalidState for a template. */
  async powerOnVM(vm: MoRef): Promise<void> {
    await this.runTask("PowerOnVM_Task", vm, methodXml("PowerOnVM_Task", vm));
  }

  /** TaskError InvalidPowerState when already off. */
  async powerOffVM(vm: MoRef): Promise<void> {
    await this.runTask("PowerOffVM_Task", vm, methodXml("PowerOffVM_Task", vm));
  }

  /** Destroy_Task on a VM (must be powered off) or a folder. vcsim does not destroy a folder's VMs with it. */
  async destroy(obj: MoRef): Promise<void> {
    await this.runTask("Destroy_Task", obj, methodXml("Destroy_Task", obj));
  }

  /**
   * ShutdownGuest: asks VMware Tools in the guest to shut down and returns at once (not a task); poll
   * runtime.powerState to see it finish. vCenter answers ToolsUnavailable when Tools is not running; vcsim powers
   * the VM off regardless of its (simulated) Tools status.
   */
  async shutdownGuest(vm: MoRef): Promise<void> {
    await this.invoke("ShutdownGuest", vm);
  }

  /** SearchIndex.FindByUuid with instanceUuid=true: the VM anywhere in the datacenter (or the inventory), or undefined. */
  async findVmByInstanceUuid(uuid: string, datacenter?: MoRef): Promise<MoRef | undefined> {
    return optionalMoRef(
      await this.invoke(
        "FindByUuid",
        this.serviceContent.searchIndex,
        datacenter && moRefXml("datacenter", datacenter),
        textTag("uuid", uuid),
        textTag("vmSearch", true),
        textTag("instanceUuid", true),
      ),
    );
  }

  /** The CustomFieldsManager (vCenter only; a standalone ESXi host has none). Looked up once per client. */
  async customFieldsManager(): Promise<MoRef> {
    this.#customFieldsManager ??= (async () => {
      const content = (await this.invoke("RetrieveServiceContent", SERVICE_INSTANCE)) as
        Record<string, unknown> | undefined;
      const mgr = content?.customFieldsManager;
      if (!isMoRef(mgr)) throw new Error("this endpoint has no CustomFieldsManager (custom attributes need vCenter)");
      return mgr;
    })();
    return this.#customFieldsManager.catch((err) => {
      this.#customFieldsManager = undefined;
      throw err;
    });
  }
  #customFieldsManager: Promise<MoRef> | undefined;

  /**
   * The key of the custom attribute `name` that applies to `moType` entities (or to all), defined on first use
   * with AddCustomFieldDef (privilege Global.ManageCustomFields); DuplicateName from a concurrent definer is fine.
   */
  async ensureCustomFieldDef(name: string, moType: string): Promise<number> {
    const mgr = await this.customFieldsManager();
    const find = async () => {
      const [o] = await this.retrieveProperties({
        propSet: [{ type: "CustomFieldsManager", pathSet: ["field"] }],
        objectSet: [{ obj: mgr }],
      });
      const defs = (o?.props["field"] ?? []) as Array<{ key?: unknown; name?: unknown; managedObjectType?: unknown }>;
      const def = defs.find((d) => d.name === name && (!d.managedObjectType || d.managedObjectType === moType));
      return def === undefined ? undefined : Number(def.key);
    };
    const existing = await find();
    if (existing !== undefined) return existing;
    try {
      const def = (await this.invoke("AddCustomFieldDef", mgr, textTag("name", name), textTag("moType", moType))) as {
        key?: unknown;
      };
      return Number(def.key);
    } catch (err) {
      if (!isFault(err, "DuplicateName")) throw err;
      const again = await find();
      if (again === undefined) throw err;
      return again;
    }
  }

  /** CustomFieldsManager.SetField (privilege Global.SetCustomField); an empty value clears it. */
  async setCustomField(entity: MoRef, key: number, value: string): Promise<void> {
    const mgr = await this.customFieldsManager();
    await this.invoke("SetField", mgr, moRefXml("entity", entity), textTag("key", key), textTag("value", value));
  }

  /** The VM must be powered off. Templates have no resource pool, so clones of them must pass `pool`. */
  async markAsTemplate(vm: MoRef): Promise<void> {
    await this.invoke("MarkAsTemplate", vm);
  }

  /** A session-scoped view over `container`'s contents; read it with containerViewSpec, free it with destroyView. */
  async createContainerView(container: MoRef, types: string[], recursive: boolean): Promise<MoRef> {
    const body = createContainerViewXml(this.serviceContent.viewManager, container, types, recursive);
    return requireMoRef(await this.send("CreateContainerView", body), "CreateContainerView");
  }

  async destroyView(view: MoRef): Promise<void> {
    await this.invoke("DestroyView", view);
  }

  /**
   * RetrievePropertiesEx, then ContinueRetrievePropertiesEx while the server hands back a token. `maxObjects`
   * bounds each page, not the total. Throws ManagedObjectNotFound when a starting object is gone.
   */
  retrieveProperties(spec: PropertyFilterSpec, opts: { maxObjects?: number } = {}): Promise<ObjectContent[]> {
    const collector = this.serviceContent.propertyCollector;
    // The whole paging loop is retried after a re-login: tokens belong to the session that made them.
    return this.withSession(async () => {
      const out: ObjectContent[] = [];
      let res = await this.transport.call(
        "RetrievePropertiesEx",
        retrievePropertiesExXml(collector, spec, opts.maxObjects),
      );
      for (;;) {
        const result = children(res, "returnval")[0];
        const page = children(result, "objects").map(decodeObjectContent);
        const token = text(result, "token");
        // Without a session vcsim answers with every property "missing" (NotAuthenticated) instead of a fault.
        if (page.some((o) => o.missing?.some((m) => m.fault === "NotAuthenticated"))) {
          throw new VimFault(
            "NotAuthenticated",
            "RetrievePropertiesEx failed: NotAuthenticated",
            {},
            "RetrievePropertiesEx",
          );
        }
        out.push(...page);
        if (!token) return out;
        try {
          res = await this.transport.call(
            "ContinueRetrievePropertiesEx",
            methodXml("ContinueRetrievePropertiesEx", collector, textTag("token", token)),
          );
        } catch (err) {
          // The server holds the rest of the result until the token is cancelled or the session ends.
          if (!isFault(err, "NotAuthenticated")) await this.cancelRetrieve(token);
          throw err;
        }
      }
    });
  }

  /** Best effort: the result is abandoned anyway, and a dead session has freed it already. */
  private async cancelRetrieve(token: string): Promise<void> {
    const collector = this.serviceContent.propertyCollector;
    await this.transport
      .call("CancelRetrievePropertiesEx", methodXml("CancelRetrievePropertiesEx", collector, textTag("token", token)))
      .catch(() => undefined);
  }

  /**
   * Waits until info.state is success (returns info.result) or error (throws TaskError). After `timeoutMs` (default
   * the client's taskTimeoutMs, 30 min) the task is cancelled (CancelTask, best effort) and TaskTimeoutError thrown.
   */
  waitForTask(task: MoRef, opts: { timeoutMs?: number } = {}): Promise<unknown> {
    return this.awaitTask(task, task.type, opts.timeoutMs);
  }

  /** CancelTask: the server stops the task if it still can (info.cancelable). */
  async cancelTask(task: MoRef): Promise<void> {
    await this.invoke("CancelTask", task);
  }

  /**
   * Submits a *_Task method and waits for it. A failure that proves the request was not sent is retried by the
   * transport; any other lost answer is resolved by finding the task it started (findLostTask), never by sending it
   * again, so a clone is not made twice. `ours` tells apart several candidate tasks by their result.
   */
  private runTask(
    method: string,
    self: MoRef,
    body: string,
    ours?: (result: unknown) => Promise<boolean>,
  ): Promise<unknown> {
    return this.tasks.run(() => this.submitAndWait(method, self, body, ours));
  }

  private async submitAndWait(
    method: string,
    self: MoRef,
    body: string,
    ours?: (result: unknown) => Promise<boolean>,
  ): Promise<unknown> {
    const sentAt = Date.now();
    let task: MoRef;
    try {
      task = requireMoRef(await this.send(method, body), method);
    } catch (err) {
      if (!(err instanceof TransportError) || provesNotSent(err)) throw err;
      // A destroy whose answer was lost and whose object is gone has done its work.
      if (method === "Destroy_Task" && (await this.isGone(self))) return undefined;
      const found = await this.findLostTask(method, self, sentAt, ours);
      if (!found) throw new LostTaskError(method, self, err);
      task = found;
    }
    this.ownTasks.add(task.value);
    return this.awaitTask(task, method);
  }

  /** True when reading `obj` answers ManagedObjectNotFound. */
  private async isGone(obj: MoRef): Promise<boolean> {
    try {
      await this.retrieveProperties({ propSet: [{ type: obj.type, pathSet: ["name"] }], objectSet: [{ obj }] });
      return false;
    } catch (err) {
      if (isFault(err, "ManagedObjectNotFound")) return true;
      throw err;
    }
  }

  /**
   * The task a lost `method` call on `entity` started: among the entity's recentTask, not one this client knows,
   * of the same method (TaskInfo.name / descriptionId), queued after the call was sent (server clock, via
   * CurrentTime). With several candidates, each is awaited and the first whose result `ours` accepts is taken.
   * Looked for until lostTaskWindowMs passes: the server may still be working on the request.
   */
  private async findLostTask(
    method: string,
    entity: MoRef,
    sentAt: number,
    ours?: (result: unknown) => Promise<boolean>,
  ): Promise<MoRef | undefined> {
    const until = Date.now() + this.lostTaskWindowMs;
    const serverNow = Date.parse(String(await this.invoke("CurrentTime", SERVICE_INSTANCE)));
    const since = (Number.isNaN(serverNow) ? Date.now() : serverNow) - (Date.now() - sentAt) - LOST_TASK_SLACK_MS;
    const notOurs = new Set<string>();
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      const [o] = await this.retrieveProperties({
        propSet: [{ type: entity.type, pathSet: ["recentTask"] }],
        objectSet: [{ obj: entity }],
      });
      const recent = (Array.isArray(o?.props.recentTask) ? o.props.recentTask : [o?.props.recentTask])
        .filter(isMoRef)
        .filter((t) => !this.ownTasks.has(t.value) && !notOurs.has(t.value));
      const infos = recent.length
        ? await this.retrieveProperties({
            propSet: [{ type: "Task", pathSet: ["info"] }],
            objectSet: recent.map((obj) => ({ obj })),
          })
        : [];
      const candidates = infos
        .map((i) => ({ task: i.obj, info: (i.props.info ?? {}) as Record<string, unknown> }))
        .filter(({ info }) => sameMethod(method, info) && isMoRef(info.entity) && info.entity.value === entity.value)
        .filter(({ info }) => !(Date.parse(String(info.queueTime)) < since))
        .sort((a, b) => String(a.info.queueTime).localeCompare(String(b.info.queueTime)));
      if (candidates.length === 1 && !ours) return candidates[0].task;
      for (const c of candidates) {
        if (!ours) return c.task;
        const result = await this.awaitTask(c.task, method).catch(() => undefined);
        if (await ours(result)) return c.task;
        notOurs.add(c.task.value); // a sibling's (which may be looking for it too): skip it from now on
      }
      if (Date.now() + delay > until) return undefined;
      await sleep(delay);
    }
  }

  /**
   * Reads the task once (many are done by the time their submission answers), then waits on the session's
   * long-poll; polls instead when there is none or it gives the wait back.
   */
  private async awaitTask(task: MoRef, method: string, timeoutMs = this.taskTimeoutMs): Promise<unknown> {
    const { at: deadline, limit } = waitDeadline(timeoutMs);
    let info = await this.readTask(task);
    // The long-poll waits in stretches of WAITER_RECHECK_MS, each followed by a read of the task: an update the
    // server never sent (or one lost with a connection) costs one stretch, not the whole task timeout.
    while (info.state !== "success" && info.state !== "error" && Date.now() < deadline && this.taskWaiter?.available) {
      const seen = info;
      const until = Math.min(deadline, Date.now() + WAITER_RECHECK_MS);
      const waited: TaskInfoUpdate | undefined = await this.taskWaiter.wait(task, until).then(
        (u) => (u.state === "unknown" ? { ...u, state: seen.state } : u),
        (err) => {
          if (err instanceof WaiterUnavailable) return undefined;
          throw err;
        },
      );
      if (!waited) break; // poll instead
      if (!waited.timedOut || until >= deadline) {
        info = waited;
        break;
      }
      info = await this.readTask(task);
    }
    // Grow the interval gently: most tasks finish in well under a second, and a coarse schedule adds up per VM.
    for (let delay = this.taskPollMs; ; delay = Math.min(Math.ceil(delay * 1.5), MAX_TASK_POLL_MS)) {
      if (info.state === "success") return info.result;
      if (info.state === "error") throw taskError(method, task, info.error);
      if (info.timedOut || Date.now() + delay > deadline) {
        // Abandoned work must not go on changing the inventory behind the caller's back.
        const cancelled = await this.cancelTask(task).then(
          () => true,
          () => false,
        );
        throw new TaskTimeoutError(task, info.state, cancelled, limit);
      }
      await sleep(delay);
      info = await this.readTask(task);
    }
  }

  /** A task's info.state, info.result, info.error and info.cancelled, read once. */
  async readTask(task: MoRef): Promise<TaskInfoUpdate> {
    const [o] = await this.retrieveProperties({
      propSet: [{ type: "Task", pathSet: ["info.state", "info.result", "info.error", "info.cancelled"] }],
      objectSet: [{ obj: task }],
    });
    return {
      state: String(o?.props["info.state"] ?? "unknown"),
      result: o?.props["info.result"],
      error: o?.props["info.error"],
      cancelled: o?.props["info.cancelled"] === true || o?.props["info.cancelled"] === "true",
    };
  }

  private send(method: string, body: string): Promise<unknown> {
    return this.withSession(async () => {
      const values = children(await this.transport.call(method, body), "returnval").map((n) => decodeValue(n));
      return values.length > 1 ? values : values[0];
    });
  }

  /** Runs `fn`; on NotAuthenticated logs in again (once, shared by concurrent callers) and runs it a second time. */
  private async withSession<T>(fn: () => Promise<T>): Promise<T> {
    const generation = this.sessionGeneration;
    try {
      return await fn();
    } catch (err) {
      if (!isFault(err, "NotAuthenticated")) throw err;
      if (generation === this.sessionGeneration) await this.renewSession();
      return fn();
    }
  }

  private renewSession(): Promise<void> {
    this.renewing ??= this.#login()
      .then(() => {
        this.sessionGeneration++;
      })
      .finally(() => {
        this.renewing = undefined;
      });
    return this.renewing;
  }
}

/** Accepts https://host/sdk or a bare https://host; refuses credentials in the URL (they would leak into messages). */
function sdkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error("vCenter url is not a valid URL (expected https://host/sdk)");
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    throw new Error(`vCenter url must be http(s), not ${u.protocol}`);
  if (u.username || u.password)
    throw new Error("vCenter url must not contain credentials: pass username and password separately");
  if (u.pathname === "/") u.pathname = "/sdk";
  return u.toString();
}

function toServiceContent(v: unknown, where: string): ServiceContent {
  const c = (v ?? {}) as Record<string, unknown>;
  const about = (c.about ?? {}) as Record<string, unknown>;
  const refs = ["rootFolder", "propertyCollector", "searchIndex", "viewManager", "sessionManager"] as const;
  for (const k of refs)
    if (!isMoRef(c[k]))
      throw new Error(`${where}: RetrieveServiceContent returned no ${k}; is this a vCenter /sdk endpoint?`);
  if (typeof about.apiVersion !== "string")
    throw new Error(`${where}: RetrieveServiceContent returned no about.apiVersion`);
  return {
    rootFolder: c.rootFolder as MoRef,
    propertyCollector: c.propertyCollector as MoRef,
    searchIndex: c.searchIndex as MoRef,
    viewManager: c.viewManager as MoRef,
    sessionManager: c.sessionManager as MoRef,
    about: {
      apiVersion: about.apiVersion,
      fullName: String(about.fullName ?? ""),
      ...(typeof about.instanceUuid === "string" ? { instanceUuid: about.instanceUuid } : {}),
    },
  };
}

/** "CloneVM_Task" vs TaskInfo name "CloneVM_Task" (vCenter), "CloneVm" (vcsim) or descriptionId "VirtualMachine.clone". */
function sameMethod(method: string, info: Record<string, unknown>): boolean {
  const norm = (s: string) =>
    s
      .replace(/_Task$/i, "")
      .replace(/vm$/i, "")
      .toLowerCase();
  const m = norm(method);
  const names = [
    String(info.name ?? ""),
    String(info.descriptionId ?? "")
      .split(".")
      .pop() ?? "",
  ]
    .map(norm)
    .filter((n) => n.length >= 4);
  return names.some((n) => n === m || m.startsWith(n) || n.startsWith(m));
}

function optionalMoRef(v: unknown): MoRef | undefined {
  return isMoRef(v) ? v : undefined;
}

function requireMoRef(v: unknown, method: string): MoRef {
  if (!isMoRef(v)) throw new Error(`${method} returned no managed object reference`);
  return v;
}
