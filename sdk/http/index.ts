// Shared HTTP transport: one keep-alive axios instance per endpoint, TLS verified unless the caller opts out,
// and error messages that never carry request bodies or credentials.
import axios, { AxiosInstance, AxiosError } from "axios";
import * as http from "http";
import * as https from "https";
import * as tls from "tls";
import { sleep } from "../util/async";
import { waitDeadline } from "../util/deadline";

export interface TlsOptions {
  /** Skip certificate verification. Off by default; only for labs and simulators. */
  insecure?: boolean;
  /** PEM bundle trusted in addition to the system roots (a private CA or a self-signed vCenter certificate). */
  ca?: string;
}

export interface HttpClientOptions extends TlsOptions {
  baseURL: string;
  /** Socket idle timeout in ms (default 120 s): no byte for this long fails the request. */
  timeoutMs?: number;
  /**
   * Overall deadline of one request in ms, sending included (default 300 s): a server that trickles bytes (or a
   * proxy that holds the connection open) cannot keep a call alive past it. Fails with code ERR_DEADLINE.
   */
  deadlineMs?: number;
  /** Largest response body accepted, in bytes (default 64 MiB); a larger one fails with ERR_RESPONSE_TOO_LARGE. */
  maxResponseBytes?: number;
  /** Upper bound on parallel sockets; parallel clone/poll work shares one pool. */
  maxSockets?: number;
  headers?: Record<string, string>;
}

export function createHttpClient(opts: HttpClientOptions): AxiosInstance {
  const maxSockets = opts.maxSockets ?? 16;
  const deadlineMs = opts.deadlineMs ?? 300_000;
  const instance = axios.create({
    baseURL: opts.baseURL,
    timeout: opts.timeoutMs ?? 120_000,
    maxContentLength: opts.maxResponseBytes ?? 64 * 1024 * 1024,
    headers: opts.headers,
    // Both APIs answer errors with a body we parse ourselves (SOAP faults, vCD <Error>), so never throw on status.
    validateStatus: () => true,
    responseType: "text",
    transformResponse: [(d) => d],
    maxRedirects: 0,
    proxy: false,
    httpAgent: new http.Agent({ keepAlive: true, maxSockets }),
    httpsAgent: new https.Agent({
      keepAlive: true,
      maxSockets,
      rejectUnauthorized: !opts.insecure,
      // One context for every socket of the client: given `ca`, Node parses the whole bundle (the ~140 system roots
      // too) again for each new connection, ~20 ms of CPU each, which made a burst of parallel calls queue up.
      ...(opts.ca ? { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, opts.ca] }) } : {}),
    }),
  });
  // axios' `timeout` is a socket idle timer; the deadline bounds the whole exchange.
  instance.interceptors.request.use((config) => {
    if (!config.signal) {
      const signal = AbortSignal.timeout(deadlineMs);
      (signal as AbortSignal & { deadlineMs?: number }).deadlineMs = deadlineMs;
      config.signal = signal;
    }
    return config;
  });
  return instance;
}

/** Closes the pooled keep-alive sockets of a client made by createHttpClient (idle ones at once, busy ones after use). */
export function closeHttpClient(http: AxiosInstance): void {
  const d = http.defaults as unknown as { httpAgent?: { destroy(): void }; httpsAgent?: { destroy(): void } };
  d.httpAgent?.destroy();
  d.httpsAgent?.destroy();
}

/**
 * A transport failure (connection refused or reset, TLS, timeout, a cut or oversized answer, or an HTTP 502/503/504
 * from a proxy), described without request data. `status` is set for the HTTP ones.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

/** Errors that say nothing about the server's state and may pass if tried again. */
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ERR_DEADLINE",
  "ERR_ANSWER_CUT",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "ERR_TLS_HANDSHAKE_CUT",
]);
/** Codes that prove no byte of the request reached the server: the connection was never established. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ERR_TLS_HANDSHAKE_CUT",
]);
/** Statuses a load balancer or a starting server answers (RFC 9110 15.6.3-5); worth another try. */
export const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/** True for a failure worth retrying: a transient transport error or a 502/503/504. */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof TransportError)) return false;
  if (err.status !== undefined) return TRANSIENT_STATUSES.has(err.status);
  return err.code !== undefined && TRANSIENT_CODES.has(err.code);
}

/**
 * True when the request certainly did not execute: the connection was refused, never routed, or lost during the TLS
 * handshake, or the answer was 503 (RFC 9110 15.6.4: the server, or the balancer in front of it, did not handle it).
 * A reset or a timeout after sending proves nothing, nor does 502/504 (the upstream may have acted).
 */
export function provesNotSent(err: unknown): boolean {
  if (!(err instanceof TransportError)) return false;
  if (err.status !== undefined) return err.status === 503;
  return err.code !== undefined && NOT_SENT_CODES.has(err.code);
}

/**
 * `text` with every URL reduced to its host[:port]: messages name the server, never a full URL (a URL may carry
 * credentials or a token in its userinfo, path or query).
 */
export function hostsOnly(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi, (m) => {
    const tail = /[.,;:]+$/.exec(m)?.[0] ?? "";
    try {
      return (new URL(m.slice(0, m.length - tail.length)).host || "(url)") + tail;
    } catch {
      return "(url)" + tail;
    }
  });
}

export function describeTransportError(err: unknown, target: string): TransportError {
  if (err instanceof TransportError) return err;
  target = hostsOnly(target);
  if (err instanceof AxiosError || (err && typeof err === "object" && "isAxiosError" in err)) {
    const e = err as AxiosError;
    let code = (e.cause as NodeJS.ErrnoException | undefined)?.code ?? e.code;
    if (code === "ERR_CANCELED" || code === "ABORT_ERR" || (e.cause as Error | undefined)?.name === "TimeoutError") {
      const ms = (e.config?.signal as { deadlineMs?: number } | undefined)?.deadlineMs;
      return new TransportError(
        `${target} gave no complete answer within the request deadline${ms ? ` (${Math.round(ms / 1000)} s)` : ""}`,
        "ERR_DEADLINE",
      );
    }
    if (/maxContentLength size of (\d+) exceeded/.test(e.message)) {
      const limit = /(\d+)/.exec(e.message)![1];
      return new TransportError(
        `${target} answered more than ${limit} bytes (the response size bound); refusing to read it`,
        "ERR_RESPONSE_TOO_LARGE",
      );
    }
    if (code === "ERR_BAD_RESPONSE" && /aborted|stream/i.test(e.message)) code = "ERR_ANSWER_CUT";
    if (e.message === "socket hang up" && !code) code = "ECONNRESET";
    // Node's words for a connection lost during the TLS handshake: no request byte was sent yet.
    if (/before secure TLS connection was established/.test(e.message)) code = "ERR_TLS_HANDSHAKE_CUT";
    const hint =
      code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)
        ? " (the server certificate is not trusted: pass its CA as `ca`, or set `insecure: true` for a lab)"
        : code === "ERR_ANSWER_CUT"
          ? " (the connection closed in the middle of the answer)"
          : "";
    return new TransportError(`cannot reach ${target}: ${code ?? e.message}${hint}`, code);
  }
  if (err instanceof Error)
    return new TransportError(`cannot reach ${target}: ${err.message}`, (err as NodeJS.ErrnoException).code);
  return new TransportError(`cannot reach ${target}: ${String(err)}`);
}

export interface RetryOptions {
  /** First backoff in ms (default 200); each retry doubles the cap, up to maxDelayMs (default 10 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** No retry starts after this many ms from the first attempt (default 120 s). */
  deadlineMs?: number;
  /** Called before each backoff: for logs, and for tests that lift a fault at that moment. */
  onRetry?: (info: RetryInfo) => void | Promise<void>;
}

export interface RetryInfo {
  /** What is retried, e.g. "RetrievePropertiesEx". */
  what: string;
  /** 1 for the first retry. */
  attempt: number;
  error: Error;
  delayMs: number;
}

/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniform delay in
 * [0, min(max, base * 2^(attempt-1))], so many clients that failed together do not retry together.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1)));
}

/** Runs `fn` until it succeeds, `retryable(err)` is false, or the deadline passes; the last error is thrown. */
export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  retryable: (err: unknown) => boolean,
  opts: RetryOptions = {},
): Promise<T> {
  const base = opts.baseDelayMs ?? 200;
  const max = opts.maxDelayMs ?? 10_000;
  // The operation's overall limit (timeouts input), when sooner, ends the retries too.
  const { at: deadline } = waitDeadline(opts.deadlineMs ?? 120_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!retryable(err)) throw err;
      const delayMs = backoffDelay(attempt, base, max);
      if (Date.now() + delayMs > deadline) throw err;
      await opts.onRetry?.({ what, attempt, error: err as Error, delayMs });
      await sleep(delayMs);
    }
  }
}
