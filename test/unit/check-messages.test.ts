// check() failures as the engine prints them: the path, the reason and the rejected value (quoted when a string),
// never a secret's value, and never a property the engine would look up (and print as `{<nil>}`) itself.
import { strict as assert } from "assert";
import { failureSentence, forEngine, valueAt } from "../../providers/common/check";
import { check as vmGroupCheck } from "../../providers/vmgroup/handlers";
import { check as vcenterCheck } from "../../providers/vcentertemplate/handlers";

const group = {
  connection: { url: "https://vc.example.com/sdk", username: "admin", password: "pw" },
  datacenter: "DC0",
  template: "ubuntu-22.04",
  replicas: 3,
  cpu: 2,
  memoryMB: 2048,
  folder: "apps/web",
};

async function engineReasons(over: Record<string, unknown>): Promise<string[]> {
  const news = { ...group, ...over };
  const result = forEngine(await vmGroupCheck({} as any, news as any), news);
  for (const f of result.failures ?? []) assert.equal(f.property, "", "the engine would print `value {…}` itself");
  return (result.failures ?? []).map((f) => f.reason);
}

describe("check() messages for the engine", () => {
  it("prints the rejected value of a top-level property", async () => {
    assert.deepEqual(await engineReasons({ memoryMB: 1022 }), [
      "memoryMB: must be a multiple of 4 MB (vSphere's granularity) (got 1022)",
    ]);
  });

  it("quotes strings, so a number given as text does not read as a contradiction", async () => {
    assert.deepEqual(await engineReasons({ replicas: "3" }), ['replicas: must be a number (got "3", a string)']);
    assert.deepEqual(await engineReasons({ powerState: "up" }), ['powerState: must be "on" or "off" (got "up")']);
  });

  it("prints the value of a nested property (the engine printed `{<nil>}`)", async () => {
    const [reason] = await engineReasons({ connection: { ...group.connection, insecure: "yes" } });
    assert.match(reason, /^connection\.insecure: .* \(got "yes"\)$/);
  });

  it("never shows a URL (it may carry credentials), nor an endpoint map", async () => {
    const [reason] = await engineReasons({ connection: { ...group.connection, url: "ftp://vc" } });
    assert.match(reason, /^connection\.url: must be an https:\/\/ URL/);
    assert.doesNotMatch(reason, /ftp:\/\/vc/);
    assert.equal(
      failureSentence({ property: "endpoints.vc-a", reason: "bad" }, { endpoints: { "vc-a": "https://u:p@h" } }),
      "endpoints.vc-a: bad (value not shown: secret)",
    );
  });

  it("does not repeat a value the reason already quotes", () => {
    assert.equal(
      failureSentence({ property: "folder", reason: 'makes "web-10" too long' }, { folder: "web-10" }),
      'folder: makes "web-10" too long',
    );
  });

  it("never shows a password's value", async () => {
    const [reason] = await engineReasons({ connection: { ...group.connection, password: 12345 } });
    assert.match(reason, /^connection\.password: .*\(value not shown: secret\)$/);
    assert.doesNotMatch(reason, /12345/);
  });

  it("says when a required property is not set", async () => {
    const news: Record<string, unknown> = { ...group };
    delete news.datacenter;
    const result = forEngine(await vmGroupCheck({} as any, news as any), news);
    assert.deepEqual(
      result.failures?.map((f) => f.reason),
      ["datacenter: must be the datacenter name (not set)"],
    );
  });

  it("finds values under array indexes and under keys that contain dots (FQDNs)", async () => {
    const inputs = {
      discovery: { static: ["vc-a-0.cc.qa-de-1.cloud.sap"] },
      endpoints: { "vc-z-9.cc.qa-de-1.cloud.sap": "https://127.0.0.1:1/sdk" },
      templates: [{ name: "a" }, { name: "B_" }],
    };
    assert.deepEqual(valueAt(inputs, "endpoints.vc-z-9.cc.qa-de-1.cloud.sap"), {
      found: true,
      value: "https://127.0.0.1:1/sdk",
      secret: true,
    });
    assert.deepEqual(valueAt(inputs, "templates[1].name"), { found: true, value: "B_", secret: false });
    assert.equal(
      failureSentence(
        { property: "endpoints.vc-z-9.cc.qa-de-1.cloud.sap", reason: "is not one of discovery.static" },
        inputs,
      ),
      // endpoints are secret inputs (issue 8): the URL is never quoted.
      "endpoints.vc-z-9.cc.qa-de-1.cloud.sap: is not one of discovery.static (value not shown: secret)",
    );
  });

  it("hides values below secret keys (TSIG key, master password)", async () => {
    const news = {
      discovery: { dns: { server: "10.0.0.53", zone: "cc.qa-de-1.cloud.sap", tsigKey: "not base64!" } },
      credentials: { masterPassword: { username: "op", password: "" } },
      templates: [{ name: "cm", options: { scope: "cluster" }, template: "x" }],
      namespace: "monsoon3",
    };
    const reasons = (forEngine(await vcenterCheck({} as any, news as any), news).failures ?? []).map((f) => f.reason);
    assert.ok(reasons.length >= 2, reasons.join("\n"));
    for (const r of reasons) assert.doesNotMatch(r, /not base64!/);
    assert.ok(
      reasons.some((r) => /^discovery\.dns\.tsigKey: .*\(value not shown: secret\)$/.test(r)),
      reasons.join("\n"),
    );
  });

  it("leaves a passing check alone", async () => {
    const result = await vmGroupCheck({} as any, group as any);
    assert.equal(forEngine(result, group), result);
  });
});
