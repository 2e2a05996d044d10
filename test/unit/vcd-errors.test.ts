// <Error> and JSON error parsing into typed errors.
import * as assert from "assert";
import {
  BusyEntityError,
  ForbiddenError,
  NotAuthenticatedError,
  parseErrorResponse,
  splitRequestId,
  TaskError,
  VcdError,
} from "../../sdk/vcd";

describe("vcd: error parsing", () => {
  it("parses an <Error> element into the typed class with the request id split off", () => {
    const e = parseErrorResponse(
      403,
      '<Error xmlns="http://www.vmware.com/vcloud/v1.5" majorErrorCode="403" minorErrorCode="ACCESS_TO_RESOURCE_IS_FORBIDDEN" message="[ 1234-abcd ] This operation is denied."/>',
      {},
      { method: "GET", path: "/api/vApp/vapp-1" },
    );
    assert.ok(e instanceof ForbiddenError && e instanceof VcdError);
    assert.deepStrictEqual(
      [e.status, e.majorErrorCode, e.minorErrorCode, e.vcdMessage, e.requestId],
      [403, "403", "ACCESS_TO_RESOURCE_IS_FORBIDDEN", "This operation is denied.", "1234-abcd"],
    );
    assert.strictEqual(
      e.message,
      "GET /api/vApp/vapp-1: vCD 403 ACCESS_TO_RESOURCE_IS_FORBIDDEN: This operation is denied. (request 1234-abcd)",
    );
  });

  it("recognises BUSY_ENTITY and 401", () => {
    assert.ok(
      parseErrorResponse(
        400,
        '<Error majorErrorCode="400" minorErrorCode="BUSY_ENTITY" message="busy"/>',
        {},
      ) instanceof BusyEntityError,
    );
    assert.ok(
      parseErrorResponse(
        401,
        '{"minorErrorCode":"NOT_AUTHENTICATED","message":"[ x ] This operation is denied."}',
        {},
      ) instanceof NotAuthenticatedError,
    );
  });

  it("falls back to the status for bodies that are not vCD errors, using the header's request id", () => {
    const e = parseErrorResponse(502, "<html><body>Bad Gateway</body></html>", {
      "x-vmware-vcloud-request-id": "rid-1",
    });
    assert.deepStrictEqual(
      [e.status, e.minorErrorCode, e.vcdMessage, e.requestId],
      [502, "HTTP_502", "HTTP 502", "rid-1"],
    );
    const j = parseErrorResponse(500, "{not json", {});
    assert.strictEqual(j.minorErrorCode, "INTERNAL_SERVER_ERROR");
  });

  it("splits request-id prefixes", () => {
    assert.deepStrictEqual(splitRequestId("[ a-b ] text"), { requestId: "a-b", text: "text" });
    assert.deepStrictEqual(splitRequestId("plain"), { text: "plain" });
  });

  it("describes failed tasks with their own message", () => {
    const e = new TaskError({
      taskHref: "h",
      operationName: "vappDeploy",
      status: "error",
      minorErrorCode: "INTERNAL_SERVER_ERROR",
      vcdMessage: "Datastore full.",
    });
    assert.strictEqual(e.message, "vCD task vappDeploy error (INTERNAL_SERVER_ERROR): Datastore full.");
  });
});
