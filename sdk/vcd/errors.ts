// Typed errors for the vCD client. Server errors keep the fields a caller branches on (status, minorErrorCode) and
// the request id support needs; messages are built only from response data, with the password redacted.
import { attr, child, parseXml } from "../xml";
import type { CauseOptions } from "../util/errors";

export interface VcdErrorFields {
  status: number;
  majorErrorCode?: string;
  minorErrorCode: string;
  /** The server's message without its "[ request-id ] " prefix. */
  vcdMessage: string;
  requestId?: string;
  method?: string;
  /** Path (no host, no query) of the failed request. */
  path?: string;
}

export class VcdError extends Error {
  readonly status: number;
  readonly majorErrorCode?: string;
  readonly minorErrorCode: string;
  readonly vcdMessage: string;
  readonly requestId?: string;
  readonly method?: string;
  readonly path?: string;

  /** `message` replaces the one built from the fields (errors the client concludes rather than vCD answers). */
  constructor(f: VcdErrorFields, message?: string, options?: CauseOptions) {
    const where = f.method && f.path ? `${f.method} ${f.path}: ` : "";
    const rid = f.requestId ? ` (request ${f.requestId})` : "";
    super(message ?? `${where}vCD ${f.status} ${f.minorErrorCode}: ${f.vcdMessage}${rid}`, options);
    this.name = "VcdError";
    this.status = f.status;
    this.majorErrorCode = f.majorErrorCode;
    this.minorErrorCode = f.minorErrorCode;
    this.vcdMessage = f.vcdMessage;
    this.requestId = f.requestId;
    this.method = f.method;
    this.path = f.path;
  }
}

/** 403: vCD's answer for unknown, deleted and not-permitted entities alike. */
export class ForbiddenError extends VcdError {
  constructor(f: VcdErrorFields) {
    super(f);
    this.name = "ForbiddenError";
  }
}

/** What a lookup looks for by name. */
export type VcdObjectKind = "VDC" | "template" | "user" | "network" | "organization" | "vApp";

/**
 * A lookup by name (a query, or a list in a VDC or AdminOrg document) found nothing: `kind` and `objectName` say
 * what. No server answered 404 (vCD answers 403 for unknown hrefs); the status is 404 and the code
 * RESOURCE_NOT_FOUND so callers branching on VcdError fields see a missing object.
 */
export class NotFoundError extends VcdError {
  constructor(
    readonly kind: VcdObjectKind,
    readonly objectName: string,
    message: string,
    options?: CauseOptions,
  ) {
    super({ status: 404, minorErrorCode: "RESOURCE_NOT_FOUND", vcdMessage: message }, message, options);
    this.name = "NotFoundError";
  }
}

/**
 * vCD answers 403 for an entity the user may not read, yet its query still lists it: the entity exists, so it must
 * not be taken for deleted (see sdk/vcd/vapp/observe.ts).
 */
export class AccessDeniedError extends VcdError {
  constructor(
    readonly href: string,
    readonly objectName: string,
    message: string,
  ) {
    super({ status: 403, minorErrorCode: "ACCESS_TO_RESOURCE_IS_FORBIDDEN", vcdMessage: message }, message);
    this.name = "AccessDeniedError";
  }
}

/** 401 after the one re-login the client attempts, or a refused login. */
export class NotAuthenticatedError extends VcdError {
  constructor(f: VcdErrorFields) {
    super(f);
    this.name = "NotAuthenticatedError";
  }
}

/** 400 BUSY_ENTITY that outlived the client's retries. */
export class BusyEntityError extends VcdError {
  constructor(f: VcdErrorFields) {
    super(f);
    this.name = "BusyEntityError";
  }
}

export interface TaskErrorDetails {
  taskHref: string;
  operationName: string;
  status: string;
  /** Href of the entity the task worked on (for a failed creation: the vApp left behind). */
  ownerHref?: string;
  majorErrorCode?: string;
  minorErrorCode?: string;
  /** The task's <Error message>, without the request-id prefix. */
  vcdMessage?: string;
}

/** A task that ended in error, canceled or aborted. */
export class TaskError extends Error {
  constructor(readonly details: TaskErrorDetails) {
    super(
      `vCD task ${details.operationName} ${details.status}${details.minorErrorCode ? ` (${details.minorErrorCode})` : ""}: ${details.vcdMessage ?? "no error message"}`,
    );
    this.name = "TaskError";
  }
}

export class TaskTimeoutError extends Error {
  constructor(
    readonly taskHref: string,
    readonly operationName: string,
    readonly lastStatus: string,
    readonly timeoutMs: number,
    /** `limit`: the operation's limit that ended the wait (`timeouts.create = 30m`); `cancelled`: vCD accepted the cancel. */
    readonly options: { limit?: string; cancelled?: boolean } = {},
  ) {
    super(
      `vCD task ${operationName} still ${lastStatus} after ${Math.round(timeoutMs / 1000)}s${options.limit ? ` (${options.limit})` : ""} (${taskHref}); ` +
        (options.cancelled ? "it was cancelled" : "it may finish later on the server"),
    );
    this.name = "TaskTimeoutError";
  }
}

/** No API version that both sides support, or a pinned version the server does not offer. */
export class VersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VersionError";
  }
}

const PREFIX = /^\s*\[\s*([^\]\s]+)\s*\]\s*/;

/** Splits "[ id ] text" into its parts. */
export function splitRequestId(message: string): { requestId?: string; text: string } {
  const m = PREFIX.exec(message);
  return m ? { requestId: m[1], text: message.slice(m[0].length) } : { text: message };
}

/**
 * Builds the typed error for a failed response: an <Error> element (/api), a JSON object (/cloudapi), or anything
 * else (a proxy's HTML page) reduced to its status.
 */
export function parseErrorResponse(
  status: number,
  body: string,
  headers: Record<string, unknown>,
  ctx: { method?: string; path?: string } = {},
): VcdError {
  let minor = httpMinorCode(status);
  let major: string | undefined = String(status);
  let message = "";
  const trimmed = (body ?? "").trim();
  if (trimmed.startsWith("<")) {
    try {
      const e = child(parseXml(trimmed), "Error");
      if (e) {
        minor = attr(e, "minorErrorCode") ?? minor;
        major = attr(e, "majorErrorCode") ?? major;
        message = attr(e, "message") ?? "";
      }
    } catch {
      // not XML after all: keep the status-derived code
    }
  } else if (trimmed.startsWith("{")) {
    try {
      const j = JSON.parse(trimmed) as { minorErrorCode?: string; majorErrorCode?: number | string; message?: string };
      minor = j.minorErrorCode ?? minor;
      major = j.majorErrorCode !== undefined ? String(j.majorErrorCode) : major;
      message = j.message ?? "";
    } catch {
      // keep defaults
    }
  }
  const { requestId, text } = splitRequestId(message);
  const headerId = headers["x-vmware-vcloud-request-id"];
  const fields: VcdErrorFields = {
    status,
    majorErrorCode: major,
    minorErrorCode: minor,
    vcdMessage: text || `HTTP ${status}`,
    requestId: requestId ?? (typeof headerId === "string" ? headerId : undefined),
    ...ctx,
  };
  if (status === 403) return new ForbiddenError(fields);
  if (status === 401) return new NotAuthenticatedError(fields);
  if (minor === "BUSY_ENTITY") return new BusyEntityError(fields);
  return new VcdError(fields);
}

function httpMinorCode(status: number): string {
  const codes: Record<number, string> = {
    400: "BAD_REQUEST",
    401: "NOT_AUTHENTICATED",
    403: "ACCESS_TO_RESOURCE_IS_FORBIDDEN",
    404: "RESOURCE_NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    415: "UNSUPPORTED_MEDIA_TYPE",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
  };
  return codes[status] ?? `HTTP_${status}`;
}

/** True for the 403 vCD gives for a vApp that no longer exists (or that the caller can no longer see). */
export const isForbidden = (e: unknown): e is ForbiddenError => e instanceof ForbiddenError;
