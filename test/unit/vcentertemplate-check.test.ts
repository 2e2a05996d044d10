// check(): property-named failures for VCenterTemplate inputs, before any DNS or vCenter call.
import { strict as assert } from "assert";
import { check } from "../../providers/vcentertemplate/handlers";
import type { Props } from "../../providers/vcentertemplate/diff";
import { UNKNOWN } from "../../providers/common/check";

const good = () => ({
  discovery: {
    dns: { server: "10.0.0.53", zone: "cc.qa-de-1.cloud.sap", tsigKey: Buffer.alloc(32, 7).toString("base64") },
  },
  credentials: { masterPassword: { username: "vcenter-operator", password: "master secret" } },
  templates: [
    {
      name: "cm",
      options: { scope: "cluster", jinja2_options: { variable_start_string: "{=", variable_end_string: "=}" } },
      template: "kind: ConfigMap # {= name =}",
    },
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
    assert.deepEqual(f, [
      { property: "templates[1].name", reason: 'duplicate template name "cm" (also templates[0])' },
    ]);
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
      i.endpoints = {
        "vc-a-0.cc.qa-de-1.cloud.sap": "ftp://x",
        "vc-z-9.cc.qa-de-1.cloud.sap": "https://127.0.0.1:8989/sdk",
      };
    });
    const props = f.map((x) => x.property).sort();
    assert.deepEqual(props, [
      "discovery.static[1]",
      "endpoints.vc-a-0.cc.qa-de-1.cloud.sap",
      "endpoints.vc-z-9.cc.qa-de-1.cloud.sap",
    ]);
    const g = await failures((i) => {
      i.discovery = { static: ["vc-a-0.cc.qa-de-1.cloud.sap"] };
      i.endpoints = { "vc-z-9.cc.qa-de-1.cloud.sap": "https://127.0.0.1:8989/sdk" };
    });
    assert.deepEqual(g, [
      { property: "endpoints.vc-z-9.cc.qa-de-1.cloud.sap", reason: "is not one of discovery.static" },
    ]);
  });

  it("reports a template syntax error with the template and line, before any network call", async () => {
    const f = await failures((i) => (i.templates[1].template = "a: 1\nb: {{ x | }}\nc: 3"));
    assert.equal(f.length, 1);
    assert.equal(f[0].property, "templates[1].template");
    assert.match(f[0].reason, /template vcenter_datacenter\/monsoon3\/dc\.yaml\.j2 line 2, column 11: expected symbol/);
  });

  it("reports bad jinja2 delimiters on the option", async () => {
    const f = await failures((i) => (i.templates[0].options.jinja2_options.variable_start_string = ""));
    assert.deepEqual(f, [
      { property: "templates[0].options.jinja2_options.variable_start_string", reason: "must be a non-empty string" },
    ]);
  });

  it("refuses unknown jinja2_options keys ending in _string (a typo would silently read the template with {{ }})", async () => {
    const f = await failures((i) => {
      delete i.templates[0].options.jinja2_options.variable_start_string;
      i.templates[0].options.jinja2_options.variable_begin_string = "{=";
      i.templates[1].options.jinja2_options = { line_statement_prefix: "#", trim_blocks: true, some_other_key: 1 };
    });
    assert.deepEqual(
      f.map((x) => x.property),
      [
        "templates[0].options.jinja2_options.variable_begin_string",
        "templates[1].options.jinja2_options.line_statement_prefix",
      ],
    );
    assert.match(f[0].reason, /is not a Jinja delimiter option; known: block_start_string, .*variable_start_string/);
    assert.match(f[1].reason, /not supported/);
  });

  it("refuses a TSIG key shorter than the HMAC-SHA256 output (32 bytes, RFC 2104 §3) without echoing it", async () => {
    const short = Buffer.alloc(16, 9).toString("base64");
    const f = await failures((i) => (i.discovery.dns.tsigKey = short));
    assert.equal(f.length, 1);
    assert.equal(f[0].property, "discovery.dns.tsigKey");
    assert.match(f[0].reason, /at least 32 bytes once decoded .*RFC 2104 §3.*got 16/);
    assert.ok(!JSON.stringify(f).includes(short));
    assert.deepEqual(await failures((i) => (i.discovery.dns.tsigKey = Buffer.alloc(64, 9).toString("base64"))), []);
  });

  it("names the line of a syntax error at the very end (an unclosed block), without engine internals", async () => {
    const f = await failures(
      (i) => (i.templates[1].template = "kind: Secret\n{% if x %}\na: 1\n{% for y in z %}\nb: 2\n{% endfor %}\nc: 3"),
    );
    assert.equal(f.length, 1);
    assert.equal(f[0].property, "templates[1].template");
    assert.equal(
      f[0].reason,
      "template vcenter_datacenter/monsoon3/dc.yaml.j2 line 2: {% if %} opened here is not closed: expected elif, else, or endif, got end of file",
    );
    const g = await failures((i) => (i.templates[1].template = "a: 1\nb: {{ x + }}"));
    assert.match(g[0].reason, /line 2/);
    const h = await failures((i) => (i.templates[1].template = "a: 1\nb: {{ x"));
    assert.match(h[0].reason, /dc\.yaml\.j2 line 2/);
    for (const x of [...f, ...g, ...h]) assert.ok(!/\bparse[A-Z]|\bcompile[A-Z]|advanceAfter/.test(x.reason), x.reason);
  });

  it("reports a literal sandbox violation at preview, with its line", async () => {
    const f = await failures(
      (i) => (i.templates[1].template = "kind: Secret\nx: {{ ''.constructor.constructor('return process.env')() }}"),
    );
    assert.equal(f.length, 1);
    assert.equal(f[0].property, "templates[1].template");
    assert.match(f[0].reason, /dc\.yaml\.j2 line 2, column \d+: access to attribute 'constructor' is unsafe/);
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
    assert.deepEqual(
      f.map((x) => x.property),
      ["credentials.perVCenter.vc-a-0.cc.qa-de-1.cloud.sap.username"],
    );
    assert.ok(!JSON.stringify(f).includes("hunter2-secret"));
  });
});
