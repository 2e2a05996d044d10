// Errors raised by the vSphere client. Server faults keep their vim25 type name in `fault`, so callers branch with
// isFault(err, "DuplicateName") instead of matching message text.
import { findCause } from "../util/errors";
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
    options?: { cause?: unknown },
  ) {
    super(message, options);
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
    /** The operation's limit that ended the wait (`timeouts.create = 30m`), when it was not the task timeout. */
    readonly limit?: string,
  ) {
    super(
      `task ${task.value} did not finish in time${limit ? ` (${limit})` : ""} (last state: ${lastState}); ` +
        (cancelled ? "it was cancelled" : "cancelling it failed, it may still finish on the server"),
    );
    this.name = "TaskTimeoutError";
  }
}

/**
 * The parent of each vim25 fault type the kit meets or branches on (vSphere Web Services API reference, "Fault
 * Types": each fault's "Extends"). A fault not listed counts as a direct MethodFault; add types here, never a
 * second string match elsewhere.
 */
const FAULT_PARENT: Record<string, string> = {
  RuntimeFault: "MethodFault",
  VimFault: "MethodFault",
  // RuntimeFault subtypes
  ManagedObjectNotFound: "RuntimeFault",
  InvalidArgument: "RuntimeFault",
  InvalidRequest: "RuntimeFault",
  InvalidType: "InvalidRequest",
  MethodNotFound: "InvalidRequest",
  RequestCanceled: "RuntimeFault",
  NotSupported: "RuntimeFault",
  NotImplemented: "RuntimeFault",
  SystemError: "RuntimeFault",
  HostCommunication: "RuntimeFault",
  HostNotConnected: "HostCommunication",
  HostNotReachable: "HostCommunication",
  SecurityError: "RuntimeFault",
  NoPermission: "SecurityError",
  NotAuthenticated: "NoPermission",
  // VimFault subtypes
  DuplicateName: "VimFault",
  InvalidName: "VimFault",
  AlreadyExists: "VimFault",
  NotFound: "VimFault",
  Timedout: "VimFault",
  InvalidLogin: "VimFault",
  PasswordExpired: "InvalidLogin",
  InvalidState: "VimFault",
  InvalidPowerState: "InvalidState",
  InvalidHostState: "InvalidState",
  InvalidDatastoreState: "InvalidState",
  TaskInProgress: "VimFault",
  VAppTaskInProgress: "TaskInProgress",
  FileFault: "VimFault",
  FileNotFound: "FileFault",
  FileAlreadyExists: "FileFault",
  CannotAccessFile: "FileFault",
  InvalidDatastore: "VimFault",
  InvalidDatastorePath: "InvalidDatastore",
  InsufficientResourcesFault: "VimFault",
  InsufficientMemoryResourcesFault: "InsufficientResourcesFault",
  InsufficientCpuResourcesFault: "InsufficientResourcesFault",
  VmConfigFault: "VimFault",
};

/** `name` and the fault types it extends, most specific first: InvalidPowerState → InvalidState → VimFault → MethodFault. */
export function faultAncestry(name: string): string[] {
  const out = [name];
  for (let p = FAULT_PARENT[name]; p && !out.includes(p); p = FAULT_PARENT[p]) out.push(p);
  if (out[out.length - 1] !== "MethodFault") out.push("MethodFault");
  return out;
}

/**
 * The VimFault in `err` or its `cause` chain whose type is `name` or a subtype of it (isFault(e, "InvalidState")
 * matches InvalidPowerState), or undefined: wrapping an error with context never hides the fault.
 */
export function asFault(err: unknown, name: string): VimFault | undefined {
  return findCause(err, (e): e is VimFault => e instanceof VimFault && faultAncestry(e.fault).includes(name));
}

/** True when `err` (or an error it wraps) is the vim25 fault `name` or one of its subtypes; see asFault. */
export function isFault(err: unknown, name: string): boolean {
  return asFault(err, name) !== undefined;
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
