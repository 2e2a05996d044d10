// The vCD client: one axios instance, lazy connect (version negotiation + login), authenticated XML requests with
// one re-login on 401, bounded retries for BUSY_ENTITY and for transient failures (idempotent requests, or any that
// provably was not sent), lost answers to vApp creations resolved by finding the vApp, and typed errors.
import { AxiosInstance } from "axios";
import {
  backoffDelay,
  closeHttpClient,
  RetryInfo,
  withRetry,
  createHttpClient,
  describeTransportError,
  isTransient,
  provesNotSent,
  TlsOptions,
  TRANSIENT_STATUSES,
  TransportError,
} from "../http";
import { sleep } from "../util/async";
import { redact } from "../util/redact";
import { attr, parseXml, child } from "../xml";
import { BusyEntityError, NotAuthenticatedError, parseErrorResponse, VcdError } from "./errors";
import { chooseVersion, fetchVersions, LoginMode, login, RawResponse, Session } from "./session";
import { queryAll, QueryOptions, queryPage } from "./query";
import { waitForTask, WaitOptions } from "./tasks";
import { parseTask, QueryPage, QueryRecord, Task, VersionInfo } from "./xml";
import { VAppApi } from "./vapp/api";
import type { QueryType } from "./wire";

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
  /** Socket idle timeout of one request in ms (default 120 s). */
  requestTimeoutMs?: number;
  /** Overall deadline of one request in ms (default 300 s), whatever the socket does. */
  requestDeadlineMs?: number;
  /** Largest answer accepted, in bytes (default 64 MiB). */
  maxResponseBytes?: number;
  /**
   * After a compose/instantiate whose answer was lost (sent, then a reset, a timeout or a 502/504), how long to look
   * for the vApp it created, in ms (default 60 s): by name in the VDC, owned by this user, created after the request
   * was sent. Found: it is returned as if the answer had arrived. Not found: the error, and nothing is sent again.
   */
  lostCreationWindowMs?: number;
  /** Task waiting: overall timeout (default 10 min) and first poll interval (default 500 ms, grows to maxPollMs). */
  taskTimeoutMs?: number;
  taskPollMs?: number;
  taskMaxPollMs?: number;
  /** Poll often enough that a finished task is noticed within this fraction of the time waited (see WaitOptions). */
  taskMaxOvershoot?: number;
  /** Retries of a request answered 400 BUSY_ENTITY (default 5), with exponential backoff from retryDelayMs. */
  busyRetries?: number;
  /** Retries of a GET answered 500 or another non-transient 5xx (default 2). */
  getRetries?: number;
  /**
   * How long transient failures (resets, refused connections, timeouts, 502/503/504) are retried, in ms (default
   * 120 s): GET and PUT always, any other method only when the failure proves it was not sent (refused, 503).
   * Backoff is exponential from retryDelayMs with full jitter, capped at retryMaxDelayMs.
   */
  retryDeadlineMs?: number;
  retryDelayMs?: number;
  /** Cap of one backoff in ms (default 30 s). */
  retryMaxDelayMs?: number;
  /** Called before each retry's backoff (transit failures and BUSY_ENTITY): for logs, and tests that lift a fault. */
  onRetry?: (info: RetryInfo) => void | Promise<void>;
  /** Receives one line per request (method, path, status); never headers or bodies. */
  log?: (line: string) => void;
}

export interface RequestOptions {
  body?: string;
  contentType?: string;
  /** Expected statuses; others become errors. Default: 200-299. */
  expect?: number[];
  /** Called when a non-idempotent request was sent but its answer lost; may return the answer it would have had. */
  recoverLost?: (sentAt: number) => Promise<VcdResponse | undefined>;
  /** Send once, no retry: best-effort requests (the logout when a client closes must not wait out the deadline). */
  once?: boolean;
}

export interface VcdResponse {
  status: number;
  data: string;
  headers: Record<string, unknown>;
}

export class VcdClient {
  readonly vapps: VAppApi;
  /** Every HTTP request sent, including logins, retries and task polls. */
  requestCount = 0;
  /** Logins performed (the first one and every re-login). */
  logins = 0;
  /** Server clock minus ours, in ms, from the last Date header: to compare server timestamps with our send times. */
  private clockSkewMs = 0;
  private readonly http: AxiosInstance;
  private readonly baseUrl: string;
  private version?: VersionInfo;
  private session?: Session;
  private connecting?: Promise<void>;

  constructor(private readonly options: VcdClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, "").replace(/\/api$/, "");
    this.http = createHttpClient({
      baseURL: this.baseUrl,
      insecure: options.insecure,
      ca: options.ca,
      timeoutMs: options.requestTimeoutMs ?? 120_000,
      deadlineMs: options.requestDeadlineMs,
      maxResponseBytes: options.maxResponseBytes,
    });
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
    const o = this.options;
    // Version discovery and login change nothing a user owns (a lost login only leaves a session to expire).
    const retry = {
      baseDelayMs: o.retryDelayMs ?? 1000,
      maxDelayMs: o.retryMaxDelayMs ?? 30_000,
      deadlineMs: o.requestDeadlineMs ?? 300_000,
      onRetry: o.onRetry,
    };
    if (!this.version) {
      const versions = await withRetry(
        "GET /api/versions",
        () => fetchVersions(this.raw, this.baseUrl),
        isTransient,
        retry,
      );
      this.version = chooseVersion(versions, o.apiVersion);
    }
    const version = this.version;
    this.session = await withRetry(
      "login",
      () =>
        login(
          this.raw,
          this.baseUrl,
          version,
          { org: o.org, username: o.username, password: o.password },
          o.login ?? "auto",
        ),
      isTransient,
      retry,
    );
    this.logins++;
  }

  /** The versions the server offers (unauthenticated). */
  versions(): Promise<VersionInfo[]> {
    return fetchVersions(this.raw, this.baseUrl);
  }

  /** Ends the server session (best effort) and closes pooled sockets. */
  async close(): Promise<void> {
    if (this.session) {
      try {
        await this.send("DELETE", "/api/session", { expect: [200, 204, 401], once: true });
      } catch {
        // the session may already be gone; closing must not fail
      }
      this.session = undefined;
      this.connecting = undefined;
    }
    closeHttpClient(this.http);
  }

  /** One HTTP exchange with transport errors described and the request counted. Credentials never reach logs. */
  private raw = async (
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<RawResponse> => {
    this.requestCount++;
    const path = pathOf(url);
    try {
      const r = await this.http.request<string>({ method, url, headers, data: body });
      this.options.log?.(`${method} ${path} ${r.status}`);
      const date = Date.parse(String(r.headers["date"] ?? ""));
      if (!Number.isNaN(date)) this.clockSkewMs = date - Date.now();
      return {
        status: r.status,
        data: typeof r.data === "string" ? r.data : String(r.data ?? ""),
        headers: r.headers as Record<string, unknown>,
      };
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
    const creation =
      method === "POST" && /\/api\/vdc\/([^/]+)\/action\/(composeVApp|instantiateVAppTemplate)$/.test(pathOf(href));
    if (creation && !opts.recoverLost && opts.body) {
      const name = vappNameOf(opts.body);
      if (name)
        opts = {
          ...opts,
          recoverLost: (sentAt) => this.findCreatedVApp(href.replace(/\/action\/[^/]+$/, ""), name, sentAt),
        };
    }
    return this.send(method, href, opts);
  }

  /**
   * The vApp a lost compose/instantiate created: named `name` in the VDC, owned by this session's user, and created
   * after the request was sent (vCD refuses a second vApp of that name in a VDC, so a match is this request's).
   * Polled until lostCreationWindowMs passes: vCD may still be working on the request. Its current XML (status 0
   * and the creation task while it runs) is returned as the 201 answer would have been.
   */
  private async findCreatedVApp(vdcHref: string, name: string, sentAt: number): Promise<VcdResponse | undefined> {
    const until = Date.now() + (this.options.lostCreationWindowMs ?? 60_000);
    // Date headers have one-second resolution: allow for it and a little queueing.
    const since = sentAt + this.clockSkewMs - 2_000;
    for (let attempt = 1; ; attempt++) {
      const recs = await this.query("vApp", { filter: { name, vdc: this.href(vdcHref) } });
      const user = this.session?.user;
      const hit = recs.find(
        (r) => (!user || r.attrs.ownerName === user) && !(Date.parse(r.attrs.creationDate ?? "") < since),
      );
      if (hit) {
        this.options.log?.(
          `POST ${pathOf(vdcHref)}/action: answer lost; found the vApp it created (${pathOf(hit.attrs.href)})`,
        );
        const r = await this.send("GET", hit.attrs.href, {});
        return { ...r, status: 201 };
      }
      const wait = backoffDelay(attempt, this.options.retryDelayMs ?? 1000, 5_000);
      if (Date.now() + wait > until) return undefined;
      await sleep(wait);
    }
  }

  private async send(method: string, href: string, opts: RequestOptions): Promise<VcdResponse> {
    const busyRetries = this.options.busyRetries ?? 5;
    const transitRetries = this.options.getRetries ?? 2;
    const delay = this.options.retryDelayMs ?? 1000;
    const maxDelay = this.options.retryMaxDelayMs ?? 30_000;
    const transitDeadline = Date.now() + (this.options.retryDeadlineMs ?? 120_000);
    const idempotent = method === "GET" || method === "PUT" || method === "HEAD";
    let relogged = false;
    let busy = 0;
    let failed = 0;
    for (;;) {
      const headers: Record<string, string> = {
        Accept: `application/*+xml;version=${this.version!.version}`,
        ...this.session?.authHeaders,
      };
      if (opts.body !== undefined)
        headers["Content-Type"] = `${opts.contentType ?? "application/xml"};version=${this.version!.version}`;
      const sentAt = Date.now();
      let r: RawResponse;
      let lost: TransportError | undefined;
      try {
        r = await this.raw(method, this.onBase(href), headers, opts.body);
        if (TRANSIENT_STATUSES.has(r.status) && !(opts.expect ?? []).includes(r.status)) {
          lost = new TransportError(
            `${method} ${pathOf(href)}: vCD or a proxy in front of it answered HTTP ${r.status}`,
            undefined,
            r.status,
          );
        }
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        lost = e;
        r = { status: 0, data: "", headers: {} };
      }
      if (lost) {
        // A server restart or a balancer failing over lasts a while: transient failures of a request that is safe
        // to repeat are retried until the deadline, not a fixed number of times.
        if (!opts.once && isTransient(lost) && (idempotent || provesNotSent(lost))) {
          const wait = backoffDelay(++failed, delay, maxDelay);
          if (Date.now() + wait <= transitDeadline) {
            await this.options.onRetry?.({
              what: `${method} ${pathOf(href)}`,
              attempt: failed,
              error: lost,
              delayMs: wait,
            });
            await sleep(wait);
            continue;
          }
        }
        if (!provesNotSent(lost) && opts.recoverLost) {
          const found = await opts.recoverLost(sentAt);
          if (found) return found;
        }
        if (lost.status === undefined) throw lost;
      }
      const ok = opts.expect ? opts.expect.includes(r.status) : r.status >= 200 && r.status < 300;
      if (ok) return r;
      const err = parseErrorResponse(r.status, redact(r.data, [this.options.password]), r.headers, {
        method,
        path: pathOf(href),
      });
      if (err instanceof NotAuthenticatedError && !relogged && this.session) {
        // Tokens expire (idle timeout, server restart): log in again once, then replay the request.
        relogged = true;
        await this.relogin();
        continue;
      }
      if (err instanceof BusyEntityError && busy++ < busyRetries) {
        await this.backoff(`${method} ${pathOf(href)}`, busy, err, delay, maxDelay);
        continue;
      }
      if (method === "GET" && r.status >= 500 && failed++ < transitRetries) {
        await this.backoff(`${method} ${pathOf(href)}`, failed, err, delay, maxDelay);
        continue;
      }
      throw err;
    }
  }

  private async backoff(what: string, attempt: number, error: Error, base: number, max: number): Promise<void> {
    const delayMs = backoffDelay(attempt, base, max);
    await this.options.onRetry?.({ what, attempt, error, delayMs });
    await sleep(delayMs);
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
      cancel: (href) => this.request("POST", `${href}/action/cancel`, { expect: [204], once: true }),
    });
  }

  /** One page of a typed query. */
  queryPage(type: QueryType, opts: QueryOptions & { page?: number } = {}): Promise<QueryPage> {
    return queryPage(this, type, opts);
  }

  /** Every record of a typed query, following nextPage links. */
  query(type: QueryType, opts: QueryOptions = {}): Promise<QueryRecord[]> {
    return queryAll(this, type, opts);
  }

  /** Absolute href for a path on this vCD. */
  href(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith("/") ? "" : "/"}${path}`;
  }
}

/** The name attribute of a ComposeVAppParams / InstantiateVAppTemplateParams body. */
function vappNameOf(body: string): string | undefined {
  try {
    const doc = parseXml(body);
    return attr(child(doc, "ComposeVAppParams") ?? child(doc, "InstantiateVAppTemplateParams"), "name");
  } catch {
    return undefined;
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
