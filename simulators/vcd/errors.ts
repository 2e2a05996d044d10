// Errors as vCD reports them: /api answers an <Error> element, /cloudapi a JSON object; both carry the request id
// as a "[ id ] " message prefix that matches the X-VMWARE-VCLOUD-REQUEST-ID header.
import { tag } from "../../sdk/xml";
import { VCLOUD_NS } from "../../sdk/vcd/wire";

/** Thrown by handlers; the server turns it into the response. `message` has no request-id prefix yet. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly minorErrorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const forbidden = (what?: string) =>
  new SimError(
    403,
    "ACCESS_TO_RESOURCE_IS_FORBIDDEN",
    what
      ? `Either you need some or all of the following rights [Base] to perform operations [VAPP_VIEW] for ${what} or the target entity is invalid.`
      : "This operation is denied.",
  );
export const notAuthenticated = () => new SimError(401, "NOT_AUTHENTICATED", "This operation is denied.");
export const badRequest = (message: string, minor = "BAD_REQUEST") => new SimError(400, minor, message);

export function errorXml(err: SimError, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    tag("Error", {
      xmlns: VCLOUD_NS,
      majorErrorCode: err.status,
      minorErrorCode: err.minorErrorCode,
      message: `[ ${requestId} ] ${err.message}`,
    })
  );
}

export function errorJson(err: SimError, requestId: string): string {
  return JSON.stringify({
    minorErrorCode: err.minorErrorCode,
    message: `[ ${requestId} ] ${err.message}`,
    stackTrace: null,
  });
}
