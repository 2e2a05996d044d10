// VimClient: a session against one vCenter (or vcsim) and the handful of vim25 methods the providers need.
// Every method is one SOAP call (plus task polling for *_Task methods); a dropped session is renewed once per call.
import { createHttpClient, hostsOnly, sleep } from "../http";
import { children, tag, text, textTag } from "../xml";
import { TaskTimeoutError, VimFault, isFault, isMoRef, taskError } from "./errors";
import { SERVICE_INSTANCE, cloneVmXml, configSpecXml, createContainerViewXml, loginXml, methodXml, retrievePropertiesExXml } from "./methods";
import { decodeObjectContent, decodeValue, moRefXml } from "./property";
import { SoapTransport } from "./soap";
import type { CloneSpec, MoRef, ObjectContent, PropertyFilterSpec, ServiceContent, VmConfigSpec, VsphereConnection } from "./types";

export interface VimClientOptions {
  /** Parallel sockets to the endpoint (default 16). */
  maxSockets?: number;
  /** First task poll interval in ms (default 20); it grows by half up to 1 s. */
  taskPollMs?: number;
}

const MAX_TASK_POLL_MS = 1000;
const DEFAULT_TASK_TIMEOUT_MS = 30 * 60_000;

export class VimClient {
  /** Renews the session. A closure, so the password is not a property anyone can log or inspect. */
  readonly #login: () => Promise<void>;
  /** Bumped by every re-login, so calls that failed with the old session retry instead of logging in again. */
  private sessionGeneration = 0;
  private renewing: Promise<void> | undefined;

  private constructor(
    private readonly transport: SoapTransport,
    readonly serviceContent: ServiceContent,
    login: () => Promise<void>,
    private readonly taskPollMs: number,
  ) {
    this.#login = login;
  }

  /** RetrieveServiceContent (which also fixes the API version for SOAPAction), then Login. */
  static async connect(conn: VsphereConnection, opts: VimClientOptions = {}): Promise<VimClient> {
    const url = sdkUrl(conn.url);
    // Messages name the host, never the URL (part of a secret connection).
    const where = `vCenter ${hostsOnly(url)}`;
    const http = createHttpClient({ baseURL: url, insecure: conn.insecure, ca: conn.ca, maxSockets: opts.maxSockets });
    const transport = new SoapTransport(http, where);
    const content = await transport.call("RetrieveServiceContent", methodXml("RetrieveServiceContent", SERVICE_INSTANCE));
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
        throw new VimFault(err.fault, `${where}: login failed for user "${username}" (${err.fault})`, err.detail, "Login");
      }
    };
    await login();
    return new VimClient(transport, serviceContent, login, opts.taskPollMs ?? 20);
  }

  /** SOAP requests sent so far, logins and task polls included. */
  get roundTrips(): number {
    return this.transport.roundTrips;
  }

  /** Ends the session. A later call logs in again (see withSession). */
  async logout(): Promise<void> {
    try {
      await this.transport.call("Logout", methodXml("Logout", this.serviceContent.sessionManager));
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
    return optionalMoRef(await this.invoke("FindByInventoryPath", this.serviceContent.searchIndex, textTag("inventoryPath", path)));
  }

  /** The direct child of a folder, datacenter, compute resource or pool with this name; undefined when absent. */
  async findChild(parent: MoRef, name: string): Promise<MoRef | undefined> {
    return optionalMoRef(await this.invoke("FindChild", this.serviceContent.searchIndex, moRefXml("entity", parent), textTag("name", name)));
  }

  /** Throws VimFault DuplicateName when the parent already holds an entity with this name. */
  async createFolder(parent: MoRef, name: string): Promise<MoRef> {
    return requireMoRef(await this.invoke("CreateFolder", parent, textTag("name", name)), "CreateFolder");
  }

  /** Clones and waits for the task; returns the new VM. */
  async cloneVM(vm: MoRef, folder: MoRef, name: string, spec: CloneSpec): Promise<MoRef> {
    return requireMoRef(await this.runTask("CloneVM_Task", cloneVmXml(vm, folder, name, spec)), "CloneVM_Task");
  }

  async reconfigVM(vm: MoRef, spec: VmConfigSpec): Promise<void> {
    await this.runTask("ReconfigVM_Task", methodXml("ReconfigVM_Task", vm, configSpecXml("spec", spec) ?? tag("spec", undefined)));
  }

  /** TaskError InvalidPowerState when already on; InvalidState for a template. */
  async powerOnVM(vm: MoRef): Promise<void> {
    await this.runTask("PowerOnVM_Task", methodXml("PowerOnVM_Task", vm));
  }

  /** TaskError InvalidPowerState when already off. */
  async powerOffVM(vm: MoRef): Promise<void> {
    await this.runTask("PowerOffVM_Task", methodXml("PowerOffVM_Task", vm));
  }

  /** Destroy_Task on a VM (must be powered off) or a folder. vcsim does not destroy a folder's VMs with it. */
  async destroy(obj: MoRef): Promise<void> {
    await this.runTask("Destroy_Task", methodXml("Destroy_Task", obj));
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
      let res = await this.transport.call("RetrievePropertiesEx", retrievePropertiesExXml(collector, spec, opts.maxObjects));
      for (;;) {
        const result = children(res, "returnval")[0];
        const page = children(result, "objects").map(decodeObjectContent);
        const token = text(result, "token");
        // Without a session vcsim answers with every property "missing" (NotAuthenticated) instead of a fault.
        if (page.some((o) => o.missing?.some((m) => m.fault === "NotAuthenticated"))) {
          throw new VimFault("NotAuthenticated", "RetrievePropertiesEx failed: NotAuthenticated", {}, "RetrievePropertiesEx");
        }
        out.push(...page);
        if (!token) return out;
        try {
          res = await this.transport.call("ContinueRetrievePropertiesEx", methodXml("ContinueRetrievePropertiesEx", collector, textTag("token", token)));
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
    await this.transport.call("CancelRetrievePropertiesEx", methodXml("CancelRetrievePropertiesEx", collector, textTag("token", token))).catch(() => undefined);
  }

  /** Polls info.state until success (returns info.result) or error (throws TaskError); default timeout 30 min. */
  waitForTask(task: MoRef, opts: { timeoutMs?: number } = {}): Promise<unknown> {
    return this.awaitTask(task, task.type, opts.timeoutMs);
  }

  private async runTask(method: string, body: string): Promise<unknown> {
    const task = requireMoRef(await this.send(method, body), method);
    return this.awaitTask(task, method);
  }

  private async awaitTask(task: MoRef, method: string, timeoutMs = DEFAULT_TASK_TIMEOUT_MS): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    const spec = { propSet: [{ type: "Task", pathSet: ["info.state", "info.result", "info.error"] }], objectSet: [{ obj: task }] };
    // Grow the interval gently: most tasks finish in well under a second, and a coarse schedule adds up per VM.
    for (let delay = this.taskPollMs; ; delay = Math.min(Math.ceil(delay * 1.5), MAX_TASK_POLL_MS)) {
      const [info] = await this.retrieveProperties(spec);
      const state = String(info?.props["info.state"] ?? "unknown");
      if (state === "success") return info.props["info.result"];
      if (state === "error") throw taskError(method, task, info.props["info.error"]);
      if (Date.now() + delay > deadline) throw new TaskTimeoutError(task, state);
      await sleep(delay);
    }
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
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error(`vCenter url must be http(s), not ${u.protocol}`);
  if (u.username || u.password) throw new Error("vCenter url must not contain credentials: pass username and password separately");
  if (u.pathname === "/") u.pathname = "/sdk";
  return u.toString();
}

function toServiceContent(v: unknown, where: string): ServiceContent {
  const c = (v ?? {}) as Record<string, unknown>;
  const about = (c.about ?? {}) as Record<string, unknown>;
  const refs = ["rootFolder", "propertyCollector", "searchIndex", "viewManager", "sessionManager"] as const;
  for (const k of refs) if (!isMoRef(c[k])) throw new Error(`${where}: RetrieveServiceContent returned no ${k}; is this a vCenter /sdk endpoint?`);
  if (typeof about.apiVersion !== "string") throw new Error(`${where}: RetrieveServiceContent returned no about.apiVersion`);
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

function optionalMoRef(v: unknown): MoRef | undefined {
  return isMoRef(v) ? v : undefined;
}

function requireMoRef(v: unknown, method: string): MoRef {
  if (!isMoRef(v)) throw new Error(`${method} returned no managed object reference`);
  return v;
}
