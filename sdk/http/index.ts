// Shared HTTP transport: one keep-alive axios instance per endpoint, TLS verified unless the caller opts out,
// and error messages that never carry request bodies or credentials.
import axios, { AxiosInstance, AxiosError } from "axios";
import * as http from "http";
import * as https from "https";

export interface TlsOptions {
  /** Skip certificate verification. Off by default; only for labs and simulators. */
  insecure?: boolean;
  /** PEM bundle trusted in addition to the system roots (a private CA or a self-signed vCenter certificate). */
  ca?: string;
}

export interface HttpClientOptions extends TlsOptions {
  baseURL: string;
  timeoutMs?: number;
  /** Upper bound on parallel sockets; parallel clone/poll work shares one pool. */
  maxSockets?: number;
  headers?: Record<string, string>;
}

export function createHttpClient(opts: HttpClientOptions): AxiosInstance {
  const maxSockets = opts.maxSockets ?? 16;
  return axios.create({
    baseURL: opts.baseURL,
    timeout: opts.timeoutMs ?? 120_000,
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
      ca: opts.ca ? [...tlsRootCertificates(), opts.ca] : undefined,
    }),
  });
}

function tlsRootCertificates(): readonly string[] {
  return require("tls").rootCertificates as readonly string[];
}

/** A transport failure (connection refused, TLS, timeout), described without request data. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export function describeTransportError(err: unknown, target: string): TransportError {
  if (err instanceof AxiosError || (err && typeof err === "object" && "isAxiosError" in err)) {
    const e = err as AxiosError;
    const code = e.code ?? (e.cause as NodeJS.ErrnoException | undefined)?.code;
    const hint = code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)
      ? " (the server certificate is not trusted: pass its CA as `ca`, or set `insecure: true` for a lab)"
      : "";
    return new TransportError(`cannot reach ${target}: ${code ?? e.message}${hint}`, code);
  }
  if (err instanceof Error) return new TransportError(`cannot reach ${target}: ${err.message}`);
  return new TransportError(`cannot reach ${target}: ${String(err)}`);
}

/** Replaces every occurrence of each secret with `[secret]`: for messages built from server responses. */
export function redact(message: string, secrets: Array<string | undefined>): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join("[secret]");
  return out;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep input order; all settle before return. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await fn(items[i], i) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
