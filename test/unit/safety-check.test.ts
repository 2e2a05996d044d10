// check() of all three resources on secrets and transport, and the VcdVapp inputs vCD would refuse: each fails at
// preview, names the property, sends no request, and never quotes a URL or a secret.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { check as checkVapp } from "../../providers/vcdvapp/handlers";
import { check as checkGroup, diff as diffGroup } from "../../providers/vmgroup/handlers";
import { check as checkTemplate } from "../../providers/vcentertemplate/handlers";
import { hostsOnly } from "../../sdk/http";

const CA = fs.readFileSync(path.join(__dirname, "..", "fixtures", "tls", "ca.pem"), "utf8");
const PASSWORD = "s3cret-Passw0rd";

const vapp = {
  connection: { url: "https://vcd.example.com", org: "acme", username: "alice", password: PASSWORD },
  org: "acme",
  vdc: "acme-vdc",
};
const group = {
  connection: { url: "https://vc.example.com/sdk", username: "admin", password: PASSWORD },
  datacenter: "DC0",
  template: "ubuntu",
  replicas: 1,
  cpu: 1,
  memoryMB: 1024,
  folder: "web",
};
const template = {
  discovery: { static: ["vc-a-0.cc.example.com"] },
  credentials: { masterPassword: { username: "op", password: PASSWORD } },
  templates: [{ name: "cm", options: { scope: "cluster" }, template: "kind: ConfigMap" }],
  namespace: "monsoon3",
};

type Check = (olds: any, news: any) => Promise<{ failures?: Array<{ property: string; reason: string }> }>;
const failuresOf = async (check: Check, inputs: unknown) =>
  ((await check({}, inputs)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
const vappFailures = (over: Record<string, unknown>) => failuresOf(checkVapp, { ...vapp, ...over });
const vappConn = (over: Record<string, unknown>) => vappFailures({ connection: { ...vapp.connection, ...over } });
const groupConn = (over: Record<string, unknown>) =>
  failuresOf(checkGroup, { ...group, connection: { ...group.connection, ...over } });
const templateWith = (over: Record<string, unknown>) => failuresOf(checkTemplate, { ...template, ...over });

/** Captures what the provider writes to stderr (where warnings go outside a provider process). */
async function stderrOf(fn: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write;
  let out = "";
  process.stderr.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return out;
}

const noSecret = (lines: string[]) => {
  const text = lines.join("\n");
  assert.ok(!text.includes(PASSWORD) && !text.includes("pw@") && !text.includes("hunter2"), text);
};

describe("check(): secrets and transport, all three resources", () => {
  it("refuses credentials in a URL (userinfo) without quoting the URL", async () => {
    const url = "https://alice:hunter2@vcd.example.com";
    const expected = "must not carry a user name or password (user:password@host): give them as username and password";
    assert.deepEqual(await vappConn({ url }), [`connection.url: ${expected}`]);
    assert.deepEqual(await groupConn({ url: "https://admin:hunter2@vc.example.com/sdk" }), [
      `connection.url: ${expected}`,
    ]);
    const t = await templateWith({ endpoints: { "vc-a-0.cc.example.com": "https://op:hunter2@10.0.0.1/sdk" } });
    assert.deepEqual(t, [`endpoints.vc-a-0.cc.example.com: ${expected}`]);
    noSecret([...(await vappConn({ url })), ...t]);
    // a bad URL is not quoted either (it may be a password pasted into the wrong field)
    assert.deepEqual(await vappConn({ url: "hunter2" }), [
      "connection.url: must be an https:// URL of the vCD endpoint",
    ]);
  });

  it("refuses http:// unless allowHttp is set, then warns without quoting the URL", async () => {
    const refusal =
      "uses http://, which sends the password unencrypted: use https://, or set allowHttp: true to accept that (labs only)";
    assert.deepEqual(await vappConn({ url: "http://vcd.example.com" }), [`connection.url: ${refusal}`]);
    assert.deepEqual(await groupConn({ url: "http://vc.example.com/sdk" }), [`connection.url: ${refusal}`]);
    assert.deepEqual(await templateWith({ endpoints: { "vc-a-0.cc.example.com": "http://10.0.0.1/sdk" } }), [
      `endpoints.vc-a-0.cc.example.com: ${refusal}`,
    ]);

    const warned = await stderrOf(async () =>
      assert.deepEqual(await vappConn({ url: "http://vcd.example.com", allowHttp: true }), []),
    );
    assert.match(
      warned,
      /warning: VcdVapp "\?": connection\.url: plain http:\/\/ \(allowHttp: true\): the password and every response cross the network unencrypted/,
    );
    assert.ok(!warned.includes("vcd.example.com"), warned);
    assert.match(
      await stderrOf(() => groupConn({ url: "http://vc.example.com/sdk", allowHttp: true })),
      /warning: VmGroup .*connection\.url: plain http/,
    );
    assert.match(
      await stderrOf(() =>
        templateWith({ allowHttp: true, endpoints: { "vc-a-0.cc.example.com": "http://10.0.0.1/sdk" } }),
      ),
      /warning: VCenterTemplate .*endpoints\.vc-a-0\.cc\.example\.com: plain http/,
    );
    assert.equal(await stderrOf(() => vappConn({})), "", "https: no warning");
  });

  it("refuses insecure together with ca", async () => {
    const reason =
      "cannot be combined with `ca`: either verify the server against `ca`, or skip verification (labs only)";
    assert.deepEqual(await vappConn({ insecure: true, ca: CA }), [`connection.insecure: ${reason}`]);
    assert.deepEqual(await groupConn({ insecure: true, ca: CA }), [`connection.insecure: ${reason}`]);
    assert.deepEqual(await templateWith({ insecure: true, ca: CA }), [`insecure: ${reason}`]);
    assert.deepEqual(await vappConn({ ca: CA }), [], "a real certificate is accepted");
  });

  it("refuses a ca that does not parse as PEM certificates, without quoting it", async () => {
    assert.deepEqual(await vappConn({ ca: "hunter2" }), [
      "connection.ca: must hold PEM certificates (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
    ]);
    const broken = CA.replace(/\n[A-Za-z0-9+/]{10}/, "\nAAAAAAAAAA");
    assert.deepEqual(await groupConn({ ca: broken }), ["connection.ca: PEM block 1 is not a valid X.509 certificate"]);
    const key = "-----BEGIN PRIVATE KEY-----\nhunter2\n-----END PRIVATE KEY-----\n";
    assert.deepEqual(await templateWith({ ca: `${CA}\n${key}` }), [
      "ca: PEM block 2 is a PRIVATE KEY, not a CERTIFICATE: `ca` takes CA certificates only",
    ]);
    assert.deepEqual(
      await vappConn({ ca: `# our CA\n${CA}\n${CA}` }),
      [],
      "explanatory text and several certificates are fine (RFC 7468)",
    );
  });

  it("VmGroup: another vCenter replaces the group and the plan names `endpoint`; a new password does not", async () => {
    const checked = (await checkGroup({}, group)).inputs as any;
    assert.equal(checked.endpoint, "vc.example.com/sdk");
    const moved = { ...checked, connection: { ...group.connection, url: "https://vc2.example.com/sdk" } };
    assert.deepEqual(await diffGroup("group-v1", checked, moved), {
      changes: true,
      replaces: ["endpoint"],
      deleteBeforeReplace: false,
    });
    const rotated = await diffGroup("group-v1", checked, {
      ...checked,
      connection: { ...group.connection, password: "new" },
    });
    assert.deepEqual(rotated.replaces, []);
    assert.equal(rotated.changes, true, "an update in place records the new password");
  });

  it("transport errors name the host, never the URL", () => {
    assert.equal(
      hostsOnly("cannot reach https://alice:hunter2@vcd.example.com:8443/api?token=x: ECONNREFUSED"),
      "cannot reach vcd.example.com:8443: ECONNREFUSED",
    );
  });
});

describe("check(): VcdVapp inputs vCD would refuse", () => {
  it("leases beyond xs:int", async () => {
    assert.deepEqual(await vappFailures({ leases: { deploymentSeconds: 2147483647, storageSeconds: 0 } }), []);
    assert.deepEqual(await vappFailures({ leases: { deploymentSeconds: 0, storageSeconds: 2147483648 } }), [
      "leases.storageSeconds: must be at most 2147483647 (vCD's lease fields are xs:int)",
    ]);
  });

  it("metadata keys vCD refuses (Programming Guide: ';', dot segments, 256 characters)", async () => {
    for (const [key, why] of [
      ["a;b", 'key "a;b" must not contain ";" (vCD refuses it)'],
      [
        "a/../b",
        'key "a/../b" must not contain "/./" or "/../", start with "./" or "../", or end with "/." or "/.." (vCD refuses them)',
      ],
      [
        "./a",
        'key "./a" must not contain "/./" or "/../", start with "./" or "../", or end with "/." or "/.." (vCD refuses them)',
      ],
      [
        "a/..",
        'key "a/.." must not contain "/./" or "/../", start with "./" or "../", or end with "/." or "/.." (vCD refuses them)',
      ],
      ["tab\there", 'key "tab?here" must not contain control or XML-illegal characters'],
      ["\uFFFE", 'key "?" must not contain control or XML-illegal characters'],
    ]) {
      assert.deepEqual(await vappFailures({ metadata: { [key]: "x" } }), [`metadata: ${why}`], key);
    }
    assert.deepEqual(
      await vappFailures({ metadata: { "a/b.c": "x", ünïcode: "x", "a..b": "x" } }),
      [],
      "slashes and dots alone are fine",
    );
  });

  it("metadata values with XML-illegal characters, named by position, not quoted", async () => {
    assert.deepEqual(await vappFailures({ metadata: { note: "ok\u0000hunter2" } }), [
      "metadata.note: character 3 (U+0000) is not allowed in XML 1.0, so vCD cannot store it",
    ]);
    assert.deepEqual(await vappFailures({ metadata: { note: "😀\uD800" } }), [
      "metadata.note: character 2 (U+D800) is not allowed in XML 1.0, so vCD cannot store it",
    ]);
    assert.deepEqual(await vappFailures({ metadata: { note: "tabs\tand\nnewlines are fine" } }), []);
  });

  it("metadata over vCD's size limits (128 KB of keys and values, 1024 entries)", async () => {
    assert.deepEqual(await vappFailures({ metadata: { big: "x".repeat(128 * 1024 - 3) } }), []);
    assert.deepEqual(await vappFailures({ metadata: { big: "x".repeat(128 * 1024) } }), [
      "metadata: keys and values take 131075 bytes (UTF-8); vCD allows at most 131072 (128 KB) per object",
    ]);
    const many = Object.fromEntries(Array.from({ length: 1025 }, (_, i) => [`k${i}`, "v"]));
    assert.deepEqual(await vappFailures({ metadata: many }), [
      "metadata: has 1025 entries; vCD allows at most 1024 per object",
    ]);
  });

  it("an empty owner says it must not be empty", async () => {
    assert.deepEqual(await vappFailures({ owner: "" }), ["owner: must not be empty"]);
  });

  it("undeployPowerAction defaults to shutdown and takes only vCD's off actions", async () => {
    assert.equal((await checkVapp({} as any, vapp as any)).inputs!.undeployPowerAction, "shutdown");
    assert.deepEqual(await vappFailures({ undeployPowerAction: "suspend" }), [
      "undeployPowerAction: must be one of shutdown, powerOff, default",
    ]);
  });
});
