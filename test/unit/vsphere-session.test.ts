// VimClient against a scripted HTTP endpoint that answers like a real vCenter 8 where vcsim does not: a quoted
// session cookie with attributes, a versioned SOAPAction, and paged property results.
import { strict as assert } from "assert";
import * as http from "http";
import type { AddressInfo } from "net";
import { VimClient } from "../../sdk/vsphere";

const COOKIE = 'vmware_soap_session="52f0c3e1-5bd1-4f0a-9a3e-1d5c2c7c9d11"';

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

const SERVICE_CONTENT =
  '<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1</rootFolder>' +
  '<propertyCollector type="PropertyCollector">propertyCollector</propertyCollector><viewManager type="ViewManager">ViewManager</viewManager>' +
  "<about><fullName>VMware vCenter Server 8.0.3</fullName><apiVersion>8.0.3.0</apiVersion></about>" +
  '<sessionManager type="SessionManager">SessionManager</sessionManager><searchIndex type="SearchIndex">SearchIndex</searchIndex></returnval></RetrieveServiceContentResponse>';

const page = (method: string, names: string[], token?: string) =>
  `<${method}Response xmlns="urn:vim25"><returnval>${token ? `<token>${token}</token>` : ""}` +
  names
    .map(
      (n) =>
        `<objects><obj type="VirtualMachine">${n}</obj><propSet><name>name</name><val xsi:type="xsd:string">${n}</val></propSet></objects>`,
    )
    .join("") +
  `</returnval></${method}Response>`;

interface Seen {
  method: string;
  soapAction?: string;
  cookie?: string;
}

/** Serves `answer(method, body)`: [status, body, extra headers]. */
async function endpoint(answer: (method: string, body: string) => [number, string, Record<string, string>?]) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const method = /<soapenv:Body><(\w+)/.exec(body)?.[1] ?? "?";
      seen.push({ method, soapAction: req.headers["soapaction"] as string, cookie: req.headers.cookie });
      const [status, out, headers] = answer(method, body);
      res.writeHead(status, { "Content-Type": "text/xml", ...headers });
      res.end(out);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sdk`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function vcenter(continueAnswer: () => [number, string]) {
  return endpoint((method) => {
    switch (method) {
      case "RetrieveServiceContent":
        return [200, envelope(SERVICE_CONTENT)];
      case "Login":
        return [
          200,
          envelope('<LoginResponse xmlns="urn:vim25"><returnval><key>not-the-cookie</key></returnval></LoginResponse>'),
          { "Set-Cookie": `${COOKIE}; Path=/; HttpOnly; Secure` },
        ];
      case "RetrievePropertiesEx":
        return [200, envelope(page("RetrievePropertiesEx", ["vm-1", "vm-2"], "tok-1"))];
      case "ContinueRetrievePropertiesEx":
        return continueAnswer();
      default:
        return [200, envelope(`<${method}Response xmlns="urn:vim25"></${method}Response>`)];
    }
  });
}

const spec = {
  propSet: [{ type: "VirtualMachine", pathSet: ["name"] }],
  objectSet: [{ obj: { type: "Folder", value: "group-v3" } }],
};

describe("vsphere VimClient session and paging (scripted vCenter 8)", () => {
  it("replays the quoted session cookie without its attributes and versions SOAPAction after connecting", async () => {
    const vc = await vcenter(() => [200, envelope(page("ContinueRetrievePropertiesEx", ["vm-3"]))]);
    try {
      const client = await VimClient.connect({ url: vc.url, username: "u", password: "p" });
      const names = (await client.retrieveProperties(spec)).map((o) => o.obj.value);
      assert.deepEqual(names, ["vm-1", "vm-2", "vm-3"]);
      const after = vc.seen.filter((s) => s.method !== "RetrieveServiceContent" && s.method !== "Login");
      assert.deepEqual([...new Set(after.map((s) => s.cookie))], [COOKIE]);
      assert.deepEqual([...new Set(after.map((s) => s.soapAction))], ["urn:vim25/8.0.3.0"]);
    } finally {
      await vc.close();
    }
  });

  it("cancels the server-side result when a page cannot be fetched, and reports the failure", async () => {
    const vc = await vcenter(() => [503, "<html><body>503 Service Unavailable</body></html>"]);
    try {
      // No retries here (503 is retried by default, within a deadline): this test is about what follows the failure.
      const client = await VimClient.connect(
        { url: vc.url, username: "u", password: "p" },
        { retry: { deadlineMs: 0 } },
      );
      await assert.rejects(client.retrieveProperties(spec), /ContinueRetrievePropertiesEx answered HTTP 503/);
      assert.deepEqual(
        vc.seen.slice(-2).map((s) => s.method),
        ["ContinueRetrievePropertiesEx", "CancelRetrievePropertiesEx"],
      );
    } finally {
      await vc.close();
    }
  });
});
