// The vCD client: one axios instance, lazy connect (version negotiation + login), authenticated XML requests with
// one re-login on 401, bounded retries for BUSY_ENTITY and for failed GETs, and typed errors.
import { AxiosInstance } from "axios";
import { createHttpClient, describeTransportError, redact, sleep, TlsOptions } from "../http";
import { BusyEntityError, NotAuthenticatedError, parseErrorResponse, VcdError } from "./errors";
import { chooseVersion, fetchVersions, LoginMode, login, RawResponse, Session } from "./session";
import { queryAll, QueryOptions, queryPage } from "./query";
import { waitForTask, WaitOptions } from "./tasks";
import { parseTask, QueryPage, QueryRecord, Task, VersionInfo } from "./xml";
import { VAppApi } from "./vapp";

export interface VcdClientOptions extends TlsOptions {
  /** Base URL of the vCD, e.g. https://vcd.example.com (a trailing /api is tolerated). */
  url: string;
  /** Tenant org name, or "System" for a provider login. */
  org: string;
  username: string;
  password: string;
  /** Pin an API version instead of negotiating the highest common one. */
  apiVersion?: string;
  /** "auto" (default) follows the LoginUrl that /api/versions advertises, falling back to /api/sessions. */
  login?: LoginMode;
  /** Per-request timeout. */
  requestTimeoutMs?: number;
  /** Task waiting: overall timeout (default 10 min) and first poll interval (default 500 ms, grows to maxPollMs). */
  taskTimeoutMs?: number;
  taskPollMs?: number;
  taskMaxPollMs?: number;
  /** Poll often enough that a finished task is noticed within this fraction of the time waited (see WaitOptions). */
  taskMaxOvershoot?: number;
  /** Retries of a request answered 400 BUSY_ENTITY (default 5), with exponential backoff from retryDelayMs. */
  busyRetries?: number;
  /** Retries of a GET that failed with 5xx or a transport error (default 2). */
  getRetries?: number;
  retryDelayMs?: number;
  /** Receives one line per request (method, path, status); never headers or bodies. */
  log?: (line: string) => void;
}

export interface RequestOptions {
  body?: string;
  contentType?: string;
  /** Expected statuses; others become errors. Default: 200-299. */
  expect?: number[];
}

export interface VcdResponse { status: number; data: string; headers: Record<string, unknown> }

export class VcdClient {
  readonly vapps: VAppApi;
  /** Every HTTP request sent, including logins, retries and task polls. */
  requestCount = 0;
  private readonly http: AxiosInstance;
  private readonly baseUrl: string;
  private version?: VersionInfo;
  private session?: Session;
  private connecting?: Promise<void>;

  constructor(private readonly options: VcdClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, "").replace(/\/api$/, "");
    this.http = createHttpClient({ baseURL: this.baseUrl, insecure: options.insecure, ca: options.ca, timeoutMs: options.requestTimeoutMs ?? 120_000 });
    this.vapps = new VAppApi(this);
  }

  /** The negotiated (or pinned) API version; set after connect(). */
  get apiVersion(): string | undefined {
    return this.version?.version;
  }

  get sessionInfo(): Omit<Session, "authHeaders"> | undefined {
    if (!this.session) return undefined;
    const { kind, user, org, userId } = this.session;
    return { kind, user, org, userId };
  }

  get url(): string {
    return this.baseUrl;
  }

  /** Negotiates the version and logs in; called lazily by the first request. */
  connect(): Promise<void> {
    this.connecting ??= this.doConnect().catch((e) => {
      this.connecting = undefined;
      throw e;
    });
    return this.connecting;
  }

  private async doConnect() {
    if (!this.version) this.version = chooseVersion(await fetchVersions(this.raw, this.baseUrl), this.options.apiVersion);
    const o = this.options;
    this.session = await login(this.raw, this.baseUrl, this.version, { org: o.org, username: o.username, password: o.password }, o.login ?? "auto");
  }

  /** The versions the server offers (unauthenticated). */
  versions(): Promise<VersionInfo[]> {
    return fetchVersions(this.raw, this.baseUrl);
  }

  /** Ends the server session (best effort) and closes pooled sockets. */
  async close(): Promise<void> {
    if (this.session) {
      try {
        await this.send("DELETE", "/api/session", { expect: [200, 204, 401] });
      } catch {
        // the session may already be gone; closing must not fail
      }
      this.session = undefined;
      this.connecting = undefined;
    }
    const d = this.http.defaults as unknown as { httpAgent?: { destroy(): void }; httpsAgent?: { destroy(): void } };
    d.httpAgent?.destroy();
    d.httpsAgent?.destroy();
  }

  /** One HTTP exchange with transport errors described and the request counted. Credentials never reach logs. */
  private raw = async (method: string, url: string, headers: Record<string, string>, body?: string): Promise<RawResponse> => {
    this.requestCount++;
    const path = pathOf(url);
    try {
      const r = await this.http.request<string>({ method, url, headers, data: body });
      this.options.log?.(`${method} ${path} ${r.status}`);
      return { status: r.status, data: typeof r.data === "string" ? r.data : String(r.data ?? ""), headers: r.headers as Record<string, unknown> };
    } catch (e) {
      this.options.log?.(`${method} ${path} failed`);
      const err = describeTransportError(e, this.baseUrl);
      err.message = redact(err.message, [this.options.password]);
      throw err;
    }
  };

  /**
   * An authenticated /api request. `href` is absolute (from a Link) or a path. Retries: one re-login on 401,
   * BUSY_ENTITY with backoff, and GETs on 5xx or transport errors.
   */
  async request(method: string, href: string, opts: RequestOptions = {}): Promise<VcdResponse> {
    await this.connect();
    return this.send(method, href, opts);
  }

  private async send(method: string, href: string, opts: RequestOptions): Promise<VcdResponse> {
    const busyRetries = this.options.busyRetries ?? 5;
    const getRetries = this.options.getRetries ?? 2;
    const delay = this.options.retryDelayMs ?? 1000;
    let relogged = false;
    let busy = 0;
    let failedGets = 0;
    for (;;) {
      const headers: Record<string, string> = { Accept: `application/*+xml;version=${this.version!.version}`, ...this.session?.authHeaders };
      if (opts.body !== undefined) headers["Content-Type"] = `${opts.contentType ?? "application/xml"};version=${this.version!.version}`;
      let r: RawResponse;
      try {
        r = await this.raw(method, this.onBase(href), headers, opts.body);
      } catch (e) {
        if (method === "GET" && failedGets++ < getRetries) {
          await sleep(delay * 2 ** (failedGets - 1));
          continue;
        }
        throw e;
      }
      const ok = opts.expect ? opts.expect.includes(r.status) : r.status >= 200 && r.status < 300;
      if (ok) return r;
      const err = parseErrorResponse(r.status, redact(r.data, [this.options.password]), r.headers, { method, path: pathOf(href) });
      if (err instanceof NotAuthenticatedError && !relogged && this.session) {
        // Tokens expire (idle timeout, server restart): log in again once, then replay the request.
        relogged = true;
        await this.relogin();
        continue;
      }
      if (err instanceof BusyEntityError && busy++ < busyRetries) {
        await sleep(delay * 2 ** (busy - 1));
        continue;
      }
      if (method === "GET" && r.status >= 500 && failedGets++ < getRetries) {
        await sleep(delay * 2 ** (failedGets - 1));
        continue;
      }
      throw err;
    }
  }

  /**
   * vCD writes hrefs with its configured public address, which need not be the address this client was given (a
   * proxy, a tunnel, another DNS name): follow only the href's /api or /cloudapi path, on the configured URL, so
   * requests reach the server we logged in to and the token goes nowhere else.
   */
  private onBase(href: string): string {
    if (!/^https?:\/\//i.test(href) || href.startsWith(`${this.baseUrl}/`)) return href;
    const u = new URL(href);
    const i = u.pathname.search(/\/(api|cloudapi)(\/|$)/);
    return i < 0 ? href : `${this.baseUrl}${u.pathname.slice(i)}${u.search}`;
  }

  private relogin(): Promise<void> {
    this.session = undefined;
    this.connecting = undefined;
    return this.connect();
  }

  /** GET returning the response body (XML text). */
  async get(href: string): Promise<string> {
    return (await this.request("GET", href)).data;
  }

  /** A mutation answered 202 Accepted with a Task (every vApp change but owner PUT); returns that Task. */
  async startTask(method: string, href: string, body: string | undefined, contentType?: string): Promise<Task> {
    const r = await this.request(method, href, { body, contentType, expect: [202] });
    return parseTask(r.data);
  }

  /** Waits for a task (object or href) to succeed; throws TaskError / TaskTimeoutError. */
  waitForTask(task: Task | string, opts: WaitOptions = {}): Promise<Task> {
    return waitForTask(this, task, {
      timeoutMs: opts.timeoutMs ?? this.options.taskTimeoutMs,
      pollMs: opts.pollMs ?? this.options.taskPollMs,
      maxPollMs: opts.maxPollMs ?? this.options.taskMaxPollMs,
      maxOvershoot: opts.maxOvershoot ?? this.options.taskMaxOvershoot,
    });
  }

  /** One page of a typed query. */
  queryPage(type: string, opts: QueryOptions & { page?: number } = {}): Promise<QueryPage> {
    return queryPage(this, type, opts);
  }

  /** Every record of a typed query, following nextPage links. */
  query(type: string, opts: QueryOptions = {}): Promise<QueryRecord[]> {
    return queryAll(this, type, opts);
  }

  /** Absolute href for a path on this vCD. */
  href(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith("/") ? "" : "/"}${path}`;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url, "http://x").pathname;
  } catch {
    return url.split("?")[0];
  }
}

export { VcdError };
