// Errors raised by the vSphere client. Server faults keep their vim25 type name in `fault`, so callers branch with
// isFault(err, "DuplicateName") instead of matching message text.
import type { MoRef } from "./types";

/** A vim25 fault: a SOAP fault answered to `method`, or (as TaskError) the error a task ended with. */
export class VimFault extends Error {
  constructor(
    /** The fault type without the "Fault" suffix, e.g. "InvalidLogin", "ManagedObjectNotFound". */
    readonly fault: string,
    message: string,
    /** The fault's own fields, decoded (e.g. ManagedObjectNotFound.obj as a MoRef, DuplicateName.name). */
    readonly detail: Record<string, unknown>,
    readonly method: string,
  ) {
    super(message);
    this.name = "VimFault";
  }
}

/** A task that ended in state "error"; `fault` is the type of info.error.fault. */
export class TaskError extends VimFault {
  constructor(
    fault: string,
    message: string,
    detail: Record<string, unknown>,
    method: string,
    readonly task: MoRef,
  ) {
    super(fault, message, detail, method);
    this.name = "TaskError";
  }
}

/** waitForTask gave up and asked the server to cancel the task (`cancelled` says whether CancelTask was accepted). */
export class TaskTimeoutError extends Error {
  constructor(
    readonly task: MoRef,
    readonly lastState: string,
    readonly cancelled = false,
  ) {
    super(
      `task ${task.value} did not finish in time (last state: ${lastState}); ` +
        (cancelled ? "it was cancelled" : "cancelling it failed, it may still finish on the server"),
    );
    this.name = "TaskTimeoutError";
  }
}

export function isFault(err: unknown, name: string): err is VimFault {
  return err instanceof VimFault && err.fault === name;
}

/** `CreateFolder failed: DuplicateName [name=web object=Folder:group-5]`: fault type, server text, short details. */
export function faultMessage(
  method: string,
  fault: string,
  serverText: string | undefined,
  detail: Record<string, unknown>,
): string {
  const text = serverText && serverText !== fault ? `: ${serverText}` : "";
  const summary = summarizeDetail(detail);
  return `${method} failed: ${fault}${text}${summary ? ` [${summary}]` : ""}`;
}

/** Top-level scalar and MoRef fields only: enough to identify the object, short enough for a log line. */
function summarizeDetail(detail: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(detail)) {
    if (k === "_type") continue;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") parts.push(`${k}=${v}`);
    else if (isMoRef(v)) parts.push(`${k}=${v.type}:${v.value}`);
  }
  return parts.join(" ");
}

export function isMoRef(v: unknown): v is MoRef {
  return (
    !!v &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    Object.keys(v).length === 2 &&
    typeof (v as MoRef).type === "string" &&
    typeof (v as MoRef).value === "string"
  );
}

/** Builds the TaskError for a decoded LocalizedMethodFault (TaskInfo.error). */
export function taskError(method: string, task: MoRef, error: unknown): TaskError {
  const e = (error ?? {}) as { fault?: Record<string, unknown>; localizedMessage?: string };
  const { _type, ...detail } = (typeof e.fault === "object" && e.fault) || {};
  const fault = typeof _type === "string" ? _type : "RuntimeFault";
  return new TaskError(fault, faultMessage(method, fault, e.localizedMessage, detail), detail, method, task);
}
