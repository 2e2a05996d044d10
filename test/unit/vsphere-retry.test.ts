// Retries of the vSphere transport against a scripted endpoint that answers like a load balancer in front of
// vCenter (502/503/504 HTML pages): reads are retried with jittered backoff, a task submission only when the
// status proves it was not forwarded, and the backoff helper stays within its bounds.
import { strict as assert } from "assert";
import * as http from "http";
import type { AddressInfo } from "net";
import { VimClient } from "../../sdk/vsphere";
import { backoffDelay, isTransient, provesNotSent, TransportError, withRetry } from "../../sdk/http";

const envelope = (body: string) =>
  `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const SERVICE_CONTENT =
  '<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1</rootFolder>' +
  '<propertyCollector type="PropertyCollector">propertyCollector</propertyCollector><viewManager type="ViewManager">ViewManager</viewManager>' +
  "<about><fullName>VMware vCenter Server 8.0.3</fullName><apiVersion>8.0.3.0</apiVersion></about>" +
  '<sessionManager type="SessionManager">SessionManager</sessionManager><searchIndex type="SearchIndex">SearchIndex</searchIndex></returnval></RetrieveServiceContentResponse>';

/** A vCenter behind a balancer: `failures[method]` statuses are answered (HTML) before the real answer. */
async function balanced(failures: Record<string, number[]>) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const method = /<soapenv:Body><(\w+)/.exec(body)?.[1] ?? "?";
      seen.push(method);
      const status = failures[method]?.shift();
      if (status) {
        res.writeHead(status, { "Content-Type": "text/html" });
        return res.end(`<html><body>${status} from the balancer</body></html>`);
      }
      res.writeHead(200, {
        "Content-Type": "text/xml",
        ...(method === "Login" ? { "Set-Cookie": 'vmware_soap_session="s1"' } : {}),
      });
      if (method === "RetrieveServiceContent") return res.end(envelope(SERVICE_CONTENT));
      if (method === "FindByInventoryPath")
        return res.end(
          envelope(
            '<FindByInventoryPathResponse xmlns="urn:vim25"><returnval type="Folder">group-v3</returnval></FindByInventoryPathResponse>',
          ),
        );
      if (method === "CreateFolder")
        return res.end(
          envelope(
            '<CreateFolderResponse xmlns="urn:vim25"><returnval type="Folder">group-v9</returnval></CreateFolderResponse>',
          ),
        );
      res.end(envelope(`<${method}Response xmlns="urn:vim25"></${method}Response>`));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sdk`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const fast = { retry: { baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 2_000 } };

describe("vsphere transport retries (scripted load balancer)", () => {
  it("retries reads answered 502, 503 and 504, and the login itself", async () => {
    const lb = await balanced({ RetrieveServiceContent: [503], Login: [502], FindByInventoryPath: [502, 503, 504] });
    try {
      const c = await VimClient.connect({ url: lb.url, username: "u", password: "p" }, fast);
      assert.deepEqual(await c.findByInventoryPath("DC0/vm"), { type: "Folder", value: "group-v3" });
      assert.deepEqual(lb.seen, [
        "RetrieveServiceContent",
        "RetrieveServiceContent",
        "Login",
        "Login",
        ...Array(4).fill("FindByInventoryPath"),
      ]);
    } finally {
      await lb.close();
    }
  });

  it("resends a CreateFolder answered 503 (not forwarded) but never one answered 504 (it may have run)", async () => {
    const lb = await balanced({ CreateFolder: [503, 504] });
    try {
      const c = await VimClient.connect({ url: lb.url, username: "u", password: "p" }, fast);
      const err = await c.createFolder({ type: "Folder", value: "group-v3" }, "web").catch((e) => e);
      assert.ok(err instanceof TransportError && err.status === 504, String(err));
      assert.match(
        err.message,
        /CreateFolder answered HTTP 504 without a SOAP response \(vCenter or a proxy in front of it is unavailable/,
      );
      assert.equal(lb.seen.filter((m) => m === "CreateFolder").length, 2, "503 resent once, 504 not");
    } finally {
      await lb.close();
    }
  });

  it("gives up at the retry deadline with the last error", async () => {
    const lb = await balanced({ FindByInventoryPath: Array(1000).fill(503) });
    try {
      const c = await VimClient.connect(
        { url: lb.url, username: "u", password: "p" },
        { retry: { baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 300 } },
      );
      const started = Date.now();
      await assert.rejects(c.findByInventoryPath("DC0/vm"), /answered HTTP 503/);
      assert.ok(Date.now() - started < 1_500);
      assert.ok(lb.seen.filter((m) => m === "FindByInventoryPath").length >= 3);
    } finally {
      await lb.close();
    }
  });

  it("classifies failures: what to retry, and what proves a request was not sent", () => {
    const e = (code?: string, status?: number) => new TransportError("x", code, status);
    assert.deepEqual(
      [
        "ECONNRESET",
        "ECONNREFUSED",
        "ERR_DEADLINE",
        "ERR_ANSWER_CUT",
        "CERT_HAS_EXPIRED",
        "ERR_RESPONSE_TOO_LARGE",
      ].map((c) => isTransient(e(c))),
      [true, true, true, true, false, false],
    );
    assert.deepEqual(
      [500, 502, 503, 504, 401].map((s) => isTransient(e(undefined, s))),
      [false, true, true, true, false],
    );
    assert.deepEqual(
      ["ECONNREFUSED", "ERR_TLS_HANDSHAKE_CUT", "ECONNRESET", "ERR_DEADLINE"].map((c) => provesNotSent(e(c))),
      [true, true, false, false],
    );
    assert.deepEqual(
      [502, 503, 504].map((s) => provesNotSent(e(undefined, s))),
      [false, true, false],
    );
    assert.equal(isTransient(new Error("ECONNRESET")), false, "only transport errors");
  });

  it("draws backoff delays with full jitter under a doubling cap", async () => {
    assert.deepEqual(
      [1, 2, 3, 4, 10].map((a) => backoffDelay(a, 100, 1000, () => 1)),
      [100, 200, 400, 800, 1000],
    );
    assert.equal(
      backoffDelay(5, 100, 1000, () => 0),
      0,
    );
    let calls = 0;
    const out = await withRetry(
      "t",
      async () => (++calls < 3 ? Promise.reject(new TransportError("x", "ECONNRESET")) : "ok"),
      isTransient,
      { baseDelayMs: 1 },
    );
    assert.deepEqual([out, calls], ["ok", 3]);
  });
});
