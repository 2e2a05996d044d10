// check(): property-named failures for VCenterTemplate inputs, before any DNS or vCenter call.
import { strict as assert } from "assert";
import { check } from "../../providers/vcentertemplate/handlers";
import type { Props } from "../../providers/vcentertemplate/plan";
import { UNKNOWN } from "../../sdk/schemas/common";

const good = () => ({
  discovery: { dns: { server: "10.0.0.53", zone: "cc.qa-de-1.cloud.sap", tsigKey: Buffer.alloc(32, 7).toString("base64") } },
  credentials: { masterPassword: { username: "vcenter-operator", password: "master secret" } },
  templates: [
    { name: "cm", options: { scope: "cluster", jinja2_options: { variable_start_string: "{=", variable_end_string: "=}" } }, template: "kind: ConfigMap # {= name =}" },
    { name: "dc", options: { scope: "datacenter" }, template: "kind: Secret" },
  ],
  namespace: "monsoon3",
});

async function failures(mutate: (i: any) => void): Promise<Array<{ property: string; reason: string }>> {
  const inputs: any = good();
  mutate(inputs);
  return (await check({} as Props, inputs)).failures ?? [];
}

describe("VCenterTemplate check()", () => {
  it("accepts good inputs and fills the defaults (port 53, key name tsig-key)", async () => {
    const r = await check({} as Props, good() as unknown as Props);
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs!.discovery.dns.port, 53);
    assert.equal(r.inputs!.discovery.dns.tsigKeyName, "tsig-key");
  });

  it("names a bad scope, an empty template and a bad template name", async () => {
    const f = await failures((i) => {
      i.templates[0].options.scope = "global";
      i.templates[1].template = "  \n";
      i.templates[1].name = "Bad_Name";
    });
    const by = Object.fromEntries(f.map((x) => [x.property, x.reason]));
    assert.match(by["templates[0].options.scope"], /must be "cluster" or "datacenter", got "global"/);
    assert.match(by["templates[1].template"], /must not be empty/);
    assert.match(by["templates[1].name"], /Kubernetes object name/);
  });

  it("names duplicate template names", async () => {
    const f = await failures((i) => (i.templates[1].name = "cm"));
    assert.deepEqual(f, [{ property: "templates[1].name", reason: 'duplicate template name "cm" (also templates[0])' }]);
  });

  it("names a malformed DNS server, port and zone, and a TSIG key that is not base64 without echoing it", async () => {
    const f = await failures((i) => {
      i.discovery.dns.server = "10.0.0.53:5353";
      i.discovery.dns.port = 70000;
      i.discovery.dns.zone = "localhost";
      i.discovery.dns.tsigKey = "not base64!";
    });
    const by = Object.fromEntries(f.map((x) => [x.property, x.reason]));
    assert.match(by["discovery.dns.server"], /IP address or host name \(give the port separately\)/);
    assert.match(by["discovery.dns.port"], /1\.\.65535/);
    assert.match(by["discovery.dns.zone"], /fully qualified domain name/);
    assert.match(by["discovery.dns.tsigKey"], /base64/);
    assert.ok(!JSON.stringify(f).includes("not base64!"));
  });

  it("wants exactly one discovery and one credential kind", async () => {
    const f = await failures((i) => {
      i.discovery.static = ["vc-a-0.cc.qa-de-1.cloud.sap"];
      i.credentials = {};
    });
    const by = Object.fromEntries(f.map((x) => [x.property, x.reason]));
    assert.match(by.discovery, /exactly one of `static` or `dns`/);
    assert.match(by.credentials, /exactly one of `masterPassword` or `perVCenter`/);
  });

  it("checks static FQDNs, endpoint URLs and that endpoints name discovered vCenters", async () => {
    const f = await failures((i) => {
      i.discovery = { static: ["vc-a-0.cc.qa-de-1.cloud.sap", "vc-b"] };
      i.endpoints = { "vc-a-0.cc.qa-de-1.cloud.sap": "ftp://x", "vc-z-9.cc.qa-de-1.cloud.sap": "https://127.0.0.1:8989/sdk" };
    });
    const props = f.map((x) => x.property).sort();
    assert.deepEqual(props, ["discovery.static[1]", "endpoints.vc-a-0.cc.qa-de-1.cloud.sap", "endpoints.vc-z-9.cc.qa-de-1.cloud.sap"]);
    const g = await failures((i) => {
      i.discovery = { static: ["vc-a-0.cc.qa-de-1.cloud.sap"] };
      i.endpoints = { "vc-z-9.cc.qa-de-1.cloud.sap": "https://127.0.0.1:8989/sdk" };
    });
    assert.deepEqual(g, [{ property: "endpoints.vc-z-9.cc.qa-de-1.cloud.sap", reason: "is not one of discovery.static" }]);
  });

  it("reports a template syntax error with the template and line, before any network call", async () => {
    const f = await failures((i) => (i.templates[1].template = "a: 1\nb: {{ x | }}\nc: 3"));
    assert.equal(f.length, 1);
    assert.equal(f[0].property, "templates[1].template");
    assert.match(f[0].reason, /template vcenter_datacenter\/monsoon3\/dc\.yaml\.j2 line 2, column 11: expected symbol/);
  });

  it("reports bad jinja2 delimiters on the template", async () => {
    const f = await failures((i) => (i.templates[0].options.jinja2_options.variable_start_string = ""));
    assert.equal(f[0].property, "templates[0].template");
    assert.match(f[0].reason, /variable_start_string must be a non-empty string/);
  });

  it("does not judge values that are unknown during preview", async () => {
    const f = await failures((i) => {
      i.credentials = UNKNOWN;
      i.namespace = UNKNOWN;
    });
    assert.deepEqual(f, []);
  });

  it("never echoes passwords in failures", async () => {
    const f = await failures((i) => {
      i.credentials = { perVCenter: { "vc-a-0.cc.qa-de-1.cloud.sap": { username: "", password: "hunter2-secret" } } };
    });
    assert.deepEqual(f.map((x) => x.property), ["credentials.perVCenter.vc-a-0.cc.qa-de-1.cloud.sap.username"]);
    assert.ok(!JSON.stringify(f).includes("hunter2-secret"));
  });
});
