import { strict as assert } from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { derivePassword } from "../../sdk/vcenter/masterpassword";
import { b64enc, iniEscape, iniQuote, pyFormat, pyInt, sha256sum, zfill } from "../../sdk/vcenter/filters";
import { TemplateRenderError, TemplateSet, VCenterTemplateSource } from "../../sdk/vcenter/templates";
import { templateFromResource } from "../../sdk/vcenter/template/resource";
import { rewritePythonFormat } from "../../sdk/vcenter/pyformat";
import { orderManifests, parseManifests, renderScope } from "../../sdk/vcenter/manifests";

const FIXTURES = path.join(__dirname, "..", "fixtures", "vcenter");
function fixture(file: string): VCenterTemplateSource {
  return templateFromResource(parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")));
}

const NOVA_CM = "vcenter_cluster/monsoon3/vcenter-cluster-nova-compute-configmap.yaml.j2";
const NOVA_DEPLOY = "vcenter_cluster/monsoon3/vcenter-cluster-nova-compute-deployment.yaml.j2";
const CINDER = "vcenter_datacenter/monsoon3/vcenter-datacenter-cinder-secret.yaml.j2";
const NSX = "vcenter_cluster/monsoon3/vcenter-cluster-nsxv3-secret.yaml.j2";

const MASTER = "banana colored duckling";
const cluster = {
  domain: "cc.qa-de-1.cloud.sap",
  master_password: MASTER,
  username: "Robert Lee Mitchell",
  password: 'Vc-Pa$s"w0rd',
  host: "vc-a-0.cc.qa-de-1.cloud.sap",
  name: "bb91",
  cluster_name: "productionbb091",
  availability_zone: "qa-de-1a",
  nsx_t_enabled: true,
  vcenter_name: "vc-a-0",
  datastore_regex: "^eph-bb91-0.*",
  datastore_hagroup_regex: ".*_hg(?P<hagroup>[ab])$",
};

const NOVA_CM_EXPECTED = `apiVersion: v1
kind: ConfigMap
metadata:
  name: nova-compute-vmware-bb91
  labels: {vcenter: vc-a-0.cc.qa-de-1.cloud.sap, datacenter: qa-de-1a, vccluster: productionbb091}
data:
  nova-compute.conf: |
    [DEFAULT]
    host = nova-compute-bb91
    [vmware]
    cache_prefix= "bb91-images"
    host_ip = vc-a-0.cc.qa-de-1.cloud.sap
    cluster_name = "productionbb091"
    datastore_regex = "^eph-bb91-0.*"
    datastore_hagroup_regex = ".*_hg(?P<hagroup>[ab])$$"`;

describe("vcenter template filters", () => {
  it("ini_escape and quote/ini_quote", () => {
    assert.equal(iniEscape("a$b$"), "a$$b$$");
    assert.equal(iniQuote('p$"x'), '"p$$\\"x"');
    assert.equal(iniQuote(undefined), '""');
    assert.equal(iniEscape(true), "True");
  });

  it("sha256sum and b64enc hash/encode UTF-8", () => {
    assert.equal(sha256sum("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert.equal(b64enc("⛄ snow"), "4puEIHNub3c=");
  });

  it("Python % formatting and zfill", () => {
    assert.equal(pyFormat("%03d", 9), "009");
    assert.equal(pyFormat("%03d", 91), "091");
    assert.equal(pyFormat("%03d", 1234), "1234");
    assert.equal(pyFormat("%03d", -5), "-05");
    assert.equal(pyFormat("%s-%s", "a", 1), "a-1");
    assert.equal(pyFormat("%-4s|%4s|%%", "ab", "cd"), "ab  |  cd|%");
    assert.equal(pyFormat("%.2f %x %X %#o", 3.14159, 255, 255, 8), "3.14 ff FF 0o10");
    assert.equal(pyFormat("%+d % d", 5, 5), "+5  5");
    assert.throws(() => pyFormat("%d %d", 1), /not enough arguments/);
    assert.equal(zfill(7, 3), "007");
    assert.equal(zfill("-7", 3), "-07");
  });

  it("rewrites the '%03d' % bb idiom inside tags only", () => {
    assert.equal(
      rewritePythonFormat(
        `{%- set h = "bb" + ('%03d' % bb) + "." + domain %} 100% '%d' % x {{ '%s-%s' % (a, b) }} {{ 7 % 3 }}`,
      ),
      `{%- set h = "bb" + (('%03d' | format(bb))) + "." + domain %} 100% '%d' % x {{ ('%s-%s' | format(a, b)) }} {{ 7 % 3 }}`,
    );
  });
});

describe("vcenter templates: Python/Jinja2 semantics (expected output from python3 jinja2 3.1.6)", () => {
  const render = (template: string, ctx: Record<string, unknown> = {}) =>
    new TemplateSet([
      {
        namespace: "n",
        name: "t",
        scope: "cluster",
        template,
        jinja2Options: { variable_start_string: "{=", variable_end_string: "=}" },
      },
    ]).renderText("vcenter_cluster/n/t.yaml.j2", ctx);
  const ctx = {
    name: "bb3",
    host: "vc-a-0.cc.qa-de-1.cloud.sap",
    domain: "cc.qa-de-1.cloud.sap",
    az: "qa-de-1a",
    on: true,
    none: null,
    cells: ["c1", "c2"],
  };

  it("rewrites '%' with a filtered, called or subscripted operand instead of printing NaN", () => {
    assert.equal(render(`{= "x%03d-%s" % (name|replace("bb","")|int, "y") =}`, ctx), "x003-y");
    assert.equal(render(`{= '%03d' % name|replace("bb","")|int =}`, ctx), "003");
    assert.equal(
      render(
        `{= '%s.%s' % (name, domain) =} {= "%s" % host.split(".")[0] =} {= "%s" % -3 =} {= "%s/%s" % ("a(", name) =}`,
        ctx,
      ),
      "bb3.cc.qa-de-1.cloud.sap vc-a-0 -3 a(/bb3",
    );
    assert.equal(render(`{= 7 % 3 =} {= "100%" =}`), "1 100%");
  });

  it("True/False/None literals, tuples and `in` behave as in Python", () => {
    assert.equal(
      render(`{% if on == True %}yes{% endif %}|{= None is none =}|{= none is defined =}`, ctx),
      "yes|True|True",
    );
    assert.equal(
      render(`{= az in ("qa-de-1a", "qa-de-1b") =} {= "de-1" in ("qa-de-1a", "x") =} {= 'c1' in cells =}`, ctx),
      "True False True",
    );
  });

  it("prints booleans and None as Jinja does", () => {
    assert.equal(
      render(`a: {= on =} {= cells is defined =} {= none =} {= none | quote =} {= missing =}`, ctx),
      'a: True True None "None" ',
    );
  });

  it("Python str methods: split with maxsplit, replace-all, upper, startswith, strip, join; slices, negative indexes", () => {
    assert.equal(
      render(
        `{= host.split(".", 1)[1] =}|{= host.replace(".", "-") =}|{= az.upper() =}|{= host.startswith("vc-") =}|{= " x ".strip() =}|{= "-".join(cells) =}`,
        ctx,
      ),
      "cc.qa-de-1.cloud.sap|vc-a-0-cc-qa-de-1-cloud-sap|QA-DE-1A|True|x|c1-c2",
    );
    assert.equal(
      render(`{= " a b  c ".split(None, 1) | join("#") =}|{= name[2:] =}|{= cells[-1] =}`, ctx),
      "a#b  c |3|c2",
    );
    assert.equal(render(`{% for k, v in d.items() %}{= k =}={= v =};{% endfor %}`, { d: { a: 1, b: 2 } }), "a=1;b=2;");
  });

  it("int and float filters fall back like Jinja (0, not empty)", () => {
    assert.equal(
      render(
        `{= "abc"|int =} {= "1e3"|int =} {= "3.7"|int =} {= "x"|int(5) =} {= "0x1A"|int(0, 16) =} {= "abc"|float + 1 > 0 =}`,
      ),
      "0 1000 3 5 26 True",
    );
    assert.equal(render(`{= "%03d" % ("vc-a-0"|replace("bb","")|int) =}`), "000");
    assert.equal(pyInt(" -7 "), -7);
  });
});

describe("vcenter template rendering", function () {
  this.timeout(30000);
  const set = new TemplateSet(
    [
      "nova-compute-configmap-vct.yaml",
      "nova-compute-deployment-vct.yaml",
      "cinder-volume-secret-vct.yaml",
      "neutron-nsxv3-secret-vct.yaml",
    ].map(fixture),
  );

  it("keys templates as vcenter_<scope>/<namespace>/<name>.yaml.j2, one env per delimiter set", () => {
    assert.deepEqual(set.keys("cluster"), [NOVA_CM, NOVA_DEPLOY, NSX]);
    assert.deepEqual(set.keys("datacenter"), [CINDER]);
    assert.equal(set.environmentCount, 2);
  });

  it("renders the nova ConfigMap ({= =} delimiters, ini_escape, quote, hagroup branch) exactly", () => {
    assert.equal(set.renderText(NOVA_CM, cluster), NOVA_CM_EXPECTED);
    const noHg = set.renderText(NOVA_CM, { ...cluster, datastore_hagroup_regex: undefined });
    assert.equal(noHg, NOVA_CM_EXPECTED.replace(/\n {4}datastore_hagroup_regex.*$/, ""));
  });

  it("renders the cinder Secret with {% filter b64enc %} exactly", () => {
    const ctx = { ...cluster, name: "vc-a-0", cluster_name: undefined };
    const ini = [
      "",
      "[backend_defaults]",
      "vmware_host_ip = vc-a-0.cc.qa-de-1.cloud.sap",
      "vmware_host_username = Robert Lee Mitchell",
      'vmware_host_password = Vc-Pa$s"w0rd',
      'backend_availability_zone = "qa-de-1a"',
      "[vmware]",
      `extra_capabilities = '{"vcenter-shard": "vc-a-0", "quality_type": "premium"}'`,
      "",
    ].join("\n");
    const expected = `apiVersion: v1
kind: Secret
metadata:
  name: volume-vmware-vc-a-0
  labels: {vcenter: vc-a-0.cc.qa-de-1.cloud.sap, datacenter: qa-de-1a, vcenter-operator-secret-version: ""}
data:
  cinder-volume.conf:  ${Buffer.from(ini).toString("base64")}`;
    const text = set.renderText(CINDER, ctx);
    assert.equal(text, expected);
    const [m] = parseManifests(text, CINDER, "monsoon3");
    const data = (m.object.data as Record<string, string>)["cinder-volume.conf"];
    assert.equal(Buffer.from(data, "base64").toString("utf8"), ini);
  });

  it("renders the neutron '%03d' % bb + derive_password(hostname) idiom unchanged", () => {
    const pw = derivePassword("admin", MASTER, "nsx-ctl-bb009.cc.qa-de-1.cloud.sap");
    const quoted = '"' + pw.replace(/\$/g, "$$$$").replace(/"/g, '\\"') + '"';
    assert.equal(
      set.renderText(NSX, { ...cluster, name: "bb9" }),
      `
apiVersion: v1
kind: Secret
metadata:
  name: neutron-nsxv3-bb9
stringData:
  nsxv3_api_managers: nsx-ctl-bb009.cc.qa-de-1.cloud.sap
  nsxv3_api_password: ${quoted}`,
    );
    assert.match(set.renderText(NSX, cluster), /nsxv3_api_managers: nsx-ctl-bb091\.cc\.qa-de-1\.cloud\.sap/);
  });

  it("derive_password defaults to the context's username and host (published vector)", () => {
    const s = new TemplateSet([
      {
        namespace: "n",
        name: "p",
        scope: "cluster",
        template: `{{ "" | derive_password }} {{ username | derive_password("masterpasswordapp.com") }}`,
      },
    ]);
    const out = s.renderText("vcenter_cluster/n/p.yaml.j2", { ...cluster, host: "masterpasswordapp.com" });
    assert.equal(out, "Jejr5[RepuSosp Jejr5[RepuSosp");
  });

  it("derive_password without a master password fails without leaking anything", () => {
    const s = new TemplateSet([
      { namespace: "n", name: "p", scope: "cluster", template: `x: {{ "u" | derive_password("h") }}` },
    ]);
    assert.throws(
      () => s.renderText("vcenter_cluster/n/p.yaml.j2", { password: "secret-pw" }),
      (e: TemplateRenderError) => {
        assert.match(e.message, /vcenter_cluster\/n\/p\.yaml\.j2.*no master_password/);
        assert.ok(!e.message.includes("secret-pw"));
        return true;
      },
    );
  });

  it("render resolves the target template's delimiters; sha256sum of it; cells as an array", () => {
    const hash = crypto.createHash("sha256").update(NOVA_CM_EXPECTED).digest("hex");
    const out = (cells?: string[]) => set.renderText(NOVA_DEPLOY, cells ? { ...cluster, cells } : cluster);
    const expected = (cell: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nova-compute-bb91
spec:
  template:
    metadata:
      annotations:
        configmap-hash: ${hash}
      labels: {cell: ${cell}}`;
    assert.equal(out(), expected("cell1"));
    assert.equal(out(["cell-qa-de-1a", "cell2"]), expected("cell-qa-de-1a"));
    assert.equal(out(["cell2"]), expected("cell1"));
    assert.equal(
      set.renderText(NOVA_DEPLOY, { ...cluster, cells: new Set(["cell-qa-de-1a"]) }),
      expected("cell-qa-de-1a"),
    );
  });

  it("renders a scope into ordered manifests: Secret, ConfigMap, Deployment", () => {
    const r = renderScope(set, "cluster", [cluster, { ...cluster, name: "bb3", cluster_name: "productionbb3" }]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.duplicates, []);
    assert.deepEqual(
      r.manifests.map((m) => `${m.id.kind}/${m.id.name}`),
      [
        "Secret/neutron-nsxv3-bb91",
        "Secret/neutron-nsxv3-bb3",
        "ConfigMap/nova-compute-vmware-bb91",
        "ConfigMap/nova-compute-vmware-bb3",
        "Deployment/nova-compute-bb91",
        "Deployment/nova-compute-bb3",
      ],
    );
    assert.equal((r.manifests[2].object.metadata as Record<string, unknown>).namespace, "monsoon3");
    assert.equal(r.manifests[2].template, NOVA_CM);
  });

  it("reports duplicate ids with the templates that made them (two AZs, one vCenter)", () => {
    const r = renderScope(set, "datacenter", [
      { ...cluster, name: "vc-a-0", availability_zone: "qa-de-1a" },
      { ...cluster, name: "vc-a-0", availability_zone: "qa-de-1b" },
    ]);
    assert.equal(r.manifests.length, 1);
    assert.deepEqual(r.duplicates, [{ key: "v1/Secret/monsoon3/volume-vmware-vc-a-0", templates: [CINDER, CINDER] }]);
    assert.match(JSON.stringify(r.manifests[0].object), /qa-de-1b/, "the later one wins");
  });
});

describe("vcenter manifests", () => {
  it("parses YAML 1.1 like PyYAML and skips empty documents", () => {
    const ms = parseManifests(
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {on: yes, mode: 0755, t: 1:20}\n---\n---\n",
      "t",
      "ns",
    );
    assert.equal(ms.length, 1);
    assert.deepEqual(ms[0].object.data, { true: true, mode: 493, t: 80 });
  });

  it("resolves plain scalars like PyYAML's SafeLoader, not yaml@2's wider YAML 1.1 set", () => {
    const [m] = parseManifests(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {y: n, a: [Y, N, yes, Off], e: [1e3, 3e45678, 1.0e+3, 1.5], o: [08, 017, 0x1F, 0:30, 1:20], d: 2001-12-14, t: 2001-12-14 21:59:43.10 -5}\n",
      "t",
      "ns",
    );
    assert.deepEqual(m.object.data, {
      y: "n",
      a: ["Y", "N", true, false],
      e: ["1e3", "3e45678", 1000, 1.5],
      o: ["08", 15, 31, "0:30", 80],
      d: "2001-12-14",
      t: "2001-12-14 21:59:43.10 -5",
    });
  });

  it("names the template and line of a YAML error, without source text", () => {
    assert.throws(
      () =>
        parseManifests(
          'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  password: "Sup3r$ecret\n  x: [\n',
          "vcenter_cluster/n/s.yaml.j2",
          "n",
        ),
      (e: TemplateRenderError) => {
        assert.equal(e.template, "vcenter_cluster/n/s.yaml.j2");
        assert.ok(e.line !== undefined && e.line >= 5, `line ${e.line}`);
        assert.ok(!e.message.includes("Sup3r"), e.message);
        return true;
      },
    );
  });

  it("names the template and line of a template error", () => {
    const s = new TemplateSet([
      { namespace: "n", name: "syntax", scope: "cluster", template: "a: 1\nb: {{ x }}\n{% if %}\n" },
      { namespace: "n", name: "runtime", scope: "cluster", template: "a: 1\n\nb: {{ host.split('.') }}\n" },
    ]);
    assert.throws(
      () => s.renderText("vcenter_cluster/n/syntax.yaml.j2", {}),
      /^TemplateRenderError: template vcenter_cluster\/n\/syntax\.yaml\.j2 line 3, column \d+: unexpected token/,
    );
    assert.throws(
      () => s.renderText("vcenter_cluster/n/runtime.yaml.j2", {}),
      (e: TemplateRenderError) => e.line === 3 && /runtime\.yaml\.j2 line 3/.test(e.message),
    );
    const r = renderScope(s, "cluster", [{}]);
    assert.equal(r.errors.length, 2);
    assert.equal(r.manifests.length, 0);
  });

  it("orders Secret, ConfigMap, Deployment, then others, stably", () => {
    const m = (kind: string, name: string) =>
      parseManifests(`apiVersion: v1\nkind: ${kind}\nmetadata: {name: ${name}}`, "t", "n")[0];
    const out = orderManifests([
      m("Service", "s"),
      m("Deployment", "d"),
      m("ConfigMap", "c1"),
      m("Secret", "x"),
      m("ConfigMap", "c2"),
      m("Role", "r"),
    ]);
    assert.deepEqual(
      out.map((x) => x.id.name),
      ["x", "c1", "c2", "d", "s", "r"],
    );
  });

  it("guards against a template rendering itself", () => {
    const s = new TemplateSet([
      { namespace: "n", name: "loop", scope: "cluster", template: `{{ "vcenter_cluster/n/loop.yaml.j2" | render }}` },
    ]);
    assert.throws(() => s.renderText("vcenter_cluster/n/loop.yaml.j2", {}), /nesting deeper/);
  });

  it("reads VCenterTemplate resources, legacy metadata form too", () => {
    const t = templateFromResource({
      metadata: { name: "x", namespace: "n", scope: "datacenter", jinja2_options: { variable_start_string: "{=" } },
      template: "a",
    });
    assert.equal(t.scope, "datacenter");
    assert.throws(
      () =>
        templateFromResource({ metadata: { name: "x", namespace: "n" }, options: { scope: "global" }, template: "" }),
      /scope must be/,
    );
  });
});
