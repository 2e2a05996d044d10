// Templates come from CRs many teams write: none may reach the provider process (its environment holds
// PULUMI_CONFIG_PASSPHRASE), and none may hang it. Each escape route and bound fails with the template and line.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { renderAllIsolated, renderProcessOptions, stopRenderWorker } from "../../sdk/vcenter/isolate";
import { TemplateRenderError, TemplateSet } from "../../sdk/vcenter/templates";
import { renderAll } from "../../sdk/vcenter/render";
import type { Inventory } from "../../sdk/vcenter/conventions";

const KEY = "vcenter_cluster/n/t.yaml.j2";
const set = (template: string, limits = {}) =>
  new TemplateSet([{ namespace: "n", name: "t", scope: "cluster", template }], limits);
const render = (template: string, ctx: Record<string, unknown> = {}, limits = {}) =>
  set(template, limits).renderText(KEY, ctx);

/** Asserts that rendering fails naming the template and `line`, with `reason` in the message, and leaks nothing. */
function refused(template: string, line: number, reason: RegExp, ctx: Record<string, unknown> = {}, limits = {}): void {
  assert.throws(
    () => render(template, ctx, limits),
    (e: unknown) => {
      assert.ok(e instanceof TemplateRenderError, String(e));
      assert.equal(e.template, KEY);
      assert.equal(e.line, line, e.message);
      assert.match(e.message, reason);
      assert.ok(!/function Function|\[native code\]|process|PASSPHRASE/.test(e.detail), e.message);
      return true;
    },
  );
}

const UNSAFE = /unsafe/;

describe("vcenter template sandbox: no way out of the render context", () => {
  before(() => {
    process.env.PULUMI_CONFIG_PASSPHRASE = process.env.PULUMI_CONFIG_PASSPHRASE ?? "test-passphrase-not-for-templates";
  });

  it("the issue's payload: ''.constructor.constructor('return process.env')()", () => {
    refused("a: 1\nb: {{ ''.constructor.constructor('return process.env')() }}", 2, UNSAFE);
  });

  it("constructor walks from arrays, objects, numbers, functions, macros and filters' results", () => {
    refused("{{ [].constructor }}", 1, UNSAFE);
    refused("x\n{{ {}.constructor }}", 2, UNSAFE);
    refused("{{ (1).constructor }}", 1, UNSAFE);
    refused("{{ range.constructor('return 1')() }}", 1, UNSAFE);
    refused("{{ range.call }}", 1, UNSAFE);
    refused("{{ range.apply }}", 1, UNSAFE);
    refused("{% macro m() %}x{% endmacro %}\n\n{{ m.constructor }}", 3, UNSAFE);
    refused('{{ ("x" | upper).constructor }}', 1, UNSAFE);
    refused("{{ ([1, 2] | list).constructor }}", 1, UNSAFE);
    refused('{{ "a,b".split(",").constructor }}', 1, UNSAFE);
    refused("{{ name.prototype }}", 1, UNSAFE, { name: "x" });
  });

  it("joiner, cycler and loop objects", () => {
    refused("{{ joiner().constructor }}", 1, UNSAFE);
    refused("{% set c = cycler(1, 2) %}\n{{ c.next.constructor }}", 2, UNSAFE);
    refused("{% for i in [1] %}\n{{ loop.constructor }}{% endfor %}", 2, UNSAFE);
  });

  it("__proto__ and other underscore attributes (Jinja2's rule), and a __proto__ dict key", () => {
    refused("{{ ''.__proto__ }}", 1, UNSAFE);
    refused("{{ {}.__lookupGetter__ }}", 1, UNSAFE);
    refused("{{ x._private }}", 1, UNSAFE, { x: { _private: 1 } });
    refused("a\n{% set d = {'__proto__': 1} %}", 2, /__proto__' cannot be a dict key/);
  });

  it("caller inside {% call %}", () => {
    refused("{% macro m() %}\n{{ caller.constructor }}{% endmacro %}{% call m() %}x{% endcall %}", 2, UNSAFE);
  });

  it("computed keys: set tricks, concatenation, a list or macro as key, dict .get/.pop/.setdefault", () => {
    refused('{% set c = "constr" + "uctor" %}\n\n{{ ""[c] }}', 3, UNSAFE);
    refused('{{ ""[["constructor"]] }}', 1, UNSAFE);
    refused("{% macro k() %}constructor{% endmacro %}{{ ''[k()] }}", 1, UNSAFE);
    refused('{{ {}.get("constructor") }}', 1, UNSAFE);
    refused('{{ {}.pop("__proto__", 1) }}', 1, UNSAFE);
    refused('{{ {}.setdefault("constructor") }}', 1, UNSAFE);
    assert.equal(
      render('{{ d.get("a") }}|{{ d.get("toString", "none") }}|{{ d.pop("a") }}|{{ d | length }}', { d: { a: 1 } }),
      "1|none|1|0",
    );
  });

  it("refusals of computed keys never quote the key (it may be a password from the context)", () => {
    refused("{{ ''[password] }}", 1, /access to an attribute starting with '_' of a string is unsafe/, {
      password: "_Hunter2-secret",
    });
    refused("{{ {}.pop(password) }}", 1, /KeyError/, { password: "Hunter2-secret" });
    for (const t of ["{{ ''[password] }}", "{{ {}.pop(password) }}", "{{ range[password] }}"]) {
      assert.throws(
        () => render(t, { password: "_Hunter2-secret" }),
        (e: Error) => !e.message.includes("Hunter2"),
      );
    }
  });

  it("host objects are not names: process, require, globalThis, constructor resolve to nothing", () => {
    assert.equal(
      render(
        "[{{ process }}][{{ require }}][{{ globalThis }}][{{ global }}][{{ constructor }}][{{ toString }}][{{ __proto__ }}]",
      ),
      "[][][][][][][]",
    );
    refused("{{ process.env }}x{{ require('fs') }}", 1, /Unable to call `require`/);
  });

  it("{% include %}, {% import %}, {% from %} and {% extends %} read loaded templates only, never files", () => {
    for (const t of [
      `{% include "/etc/passwd" %}`,
      `{% import "/etc/hostname" as h %}`,
      `{% from "../../package.json" import x %}`,
      `{% extends "/etc/passwd" %}`,
    ]) {
      assert.throws(
        () => render(`a: 1\n${t}`),
        (e: TemplateRenderError) => {
          assert.equal(e.template, KEY);
          assert.match(e.message, /is not one of the loaded templates/);
          assert.ok(!/root:/.test(e.message));
          return true;
        },
      );
    }
  });

  it("nunjucks' code generation: names and call sites cannot inject JavaScript", () => {
    const g = globalThis as Record<string, unknown>;
    // nunjucks pastes names unescaped into the code it generates; this ran Function`…` before names were checked.
    refused('a: 1\n{{ a"&&Function`globalThis\\x2ePWNED\\x3dprocess\\x2eenv```&&" }}', 2, /is not a valid name/);
    refused('{% set a"&&Function`globalThis\\x2ePWNED\\x3d1```&&" = 1 %}', 1, /is not a valid name/);
    refused('{% for a"&&Function`globalThis\\x2ePWNED\\x3d1```&&" in [1] %}{% endfor %}', 1, /is not a valid name/);
    refused('{% macro m(a"&&Function`globalThis\\x2ePWNED\\x3d1```&&") %}{% endmacro %}', 1, /is not a valid name/);
    // The call-site text of its "Unable to call" message was escaped for quotes only, not backslashes: this literal
    // closed that string and ran Function`…` before call sites were reduced to harmless characters.
    const bs = "\\";
    const call = `{{ "${bs}${bs}${bs}"+(Function\`globalThis${bs}${bs}x2ePWNED${bs}${bs}x3d1\`\`\`))),0);//"() }}`;
    assert.throws(() => render(call), /line 1, column \d+: Unable to call `\?+\(Function\?globalThis/);
    // Where the parser takes any expression but the compiler pastes a name: a quoted string ran code too.
    const q = `"a${bs}"+(Function\`globalThis${bs}${bs}x2ePWNED${bs}${bs}x3d1\`\`\`)+${bs}""`;
    refused(`{% set ${q} = 1 %}`, 1, /expected a name here, not a quoted string/);
    refused(`x\n{{ 1 is ${q} }}`, 2, /expected a name here, not a quoted string/);
    refused(`{% macro m(${q}=1) %}{% endmacro %}`, 1, /expected a name here, not a quoted string/);
    refused(`{% import "vcenter_cluster/n/t.yaml.j2" as ${q} %}`, 1, /expected a name here, not a quoted string/);
    assert.equal(g.PWNED, undefined);
  });

  it("one template cannot change what the next one sees: shared values are frozen, its own lists are not", () => {
    const inventory: Inventory = {
      vcenter: { name: "vc-a-0", host: "vc-a-0.example" },
      datacenters: [{ name: "az1", clusters: [{ name: "productionbb001", datastores: [], networks: [] }] }],
    };
    const globals = { cells: ["cell-a"], variables_like: { tier: "gold" } };
    const templates = new TemplateSet([
      {
        namespace: "n",
        name: "a-evil",
        scope: "cluster",
        template:
          "kind: ConfigMap\n{% set _ = cells.append('cell-evil') %}{% set _ = variables_like.update({'tier': 'none'}) %}",
      },
      {
        namespace: "n",
        name: "b-victim",
        scope: "cluster",
        template:
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {cells: '{{ cells | join(\",\") }}', tier: '{{ variables_like.tier }}'}\n{% set mine = [] %}{% set _ = mine.append(1) %}",
      },
    ]);
    const r = renderAll(
      templates,
      [{ inventory, options: { username: "u", password: "p", host: "vc-a-0.example", name: "vc-a-0" } }],
      globals,
    );
    assert.equal(r.errors.length, 1);
    assert.match(
      r.errors[0].message,
      /^template vcenter_cluster\/n\/a-evil\.yaml\.j2 line 2, column \d+: TypeError: Cannot add property 1, object is not extensible/,
    );
    assert.deepEqual(
      r.manifests.map((m) => m.object.data),
      [{ cells: "cell-a", tier: "gold" }],
    );
    assert.deepEqual(globals.cells, ["cell-a"], "the caller's globals are copied, not frozen");
    assert.ok(!Object.isFrozen(globals.cells));
  });

  it("legitimate templates keep working: attributes, methods, dict methods, loops", () => {
    const out = render(
      '{% for k, v in d.items() %}{{ k }}={{ v.name }};{% endfor %}{{ host.split(".")[0] }} {{ "-" * 3 }} {{ [1] * 2 }} {{ 2 * 3 }} {{ loop_ok }}',
      { d: { a: { name: "x" } }, host: "vc-a-0.example", loop_ok: "ok" },
    );
    assert.equal(out, "a=x;vc-a-0 --- 1,1 6 ok");
  });

  it("check-time: a literal unsafe attribute is a syntax error with its line (no render needed)", () => {
    const err = set("a: 1\nb: {{ x.__class__.__mro__ }}").compileError(KEY);
    assert.ok(err);
    assert.equal(err.line, 2);
    assert.match(err.message, /'__class__' is unsafe/);
  });
});

describe("vcenter template bounds: time, size, depth", function () {
  this.timeout(30_000);

  it("range(1e9) is refused before allocating (jinja2.sandbox.MAX_RANGE)", () => {
    refused(
      "a\n{% for i in range(1000000000) %}{{ i }}{% endfor %}",
      2,
      /range too big: 1000000000 items; the sandbox allows at most 100000/,
    );
    refused("a\n{% for i in range(0, 2000000000, 2) %}{{ i }}{% endfor %}", 2, /range too big: 1000000000 items/);
    // nunjucks has no exponent notation: `1e9` would be a name; it is refused as one, at compile time.
    refused("a\n{% for i in range(1e9) %}{{ i }}{% endfor %}", 2, /"1e9" is not a valid name/);
    refused("{% for i in range(x) %}{{ i }}{% endfor %}", 1, /range\(\) arguments must be integers, got None/);
    assert.equal(render("{{ range(3) | join(',') }} {{ range(5, 0, -2) | join(',') }}"), "0,1,2 5,3,1");
  });

  it("nested loops stop at the time bound, naming the line", () => {
    const start = Date.now();
    refused(
      "x: 1\n{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}{% endfor %}",
      3,
      /rendering took longer than 300 ms/,
      {},
      { timeoutMs: 300 },
    );
    assert.ok(Date.now() - start < 5_000, `stopped after ${Date.now() - start} ms`);
  });

  it("a huge string multiplication is refused before allocating", () => {
    refused("a\nb\n{{ 'x' * 1000000000 }}", 3, /string repetition of 1000000000 items exceeds the output bound/);
  });

  it("JS string methods that grow a string are judged against the output bound first", () => {
    refused("a\n{{ 'x'.repeat(1000000000) }}", 2, /repeat\(\) would make a string of 1000000000 characters/);
    refused("{{ 'x'.padStart(1000000000) }}", 1, /padStart\(\) would make a string/);
    assert.equal(render("{{ 'ab'.repeat(2) }}{{ '7'.padStart(3, '0') }}"), "abab007");
  });

  it("output beyond the bound stops the render", () => {
    refused(
      "a\n{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}",
      2,
      /output larger than 1048576 characters/,
      {},
      { maxOutputChars: 1024 * 1024 },
    );
  });

  it("deep recursion via macros fails cleanly with a line", () => {
    assert.throws(
      () => render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}"),
      (e: TemplateRenderError) => {
        assert.equal(e.template, KEY);
        assert.ok(e.line !== undefined, e.message);
        assert.match(e.message, /Maximum call stack size exceeded/);
        return true;
      },
    );
  });
});

describe("vcenter template isolation: the render worker", function () {
  this.timeout(60_000);
  const inventory: Inventory = {
    vcenter: { name: "vc-a-0", host: "vc-a-0.cc.qa-de-1.cloud.sap" },
    datacenters: [
      { name: "qa-de-1a", clusters: [{ name: "productionbb001", datastores: ["eph001"], networks: ["br-x"] }] },
    ],
  };
  const vcenters = [
    { inventory, options: { username: "u", password: "vc-password", host: inventory.vcenter.host, name: "vc-a-0" } },
  ];
  const tpl = (template: string) => [{ name: "t", namespace: "n", scope: "cluster" as const, template }];
  after(() => stopRenderWorker());

  it("renders what the in-process TemplateSet renders, and returns sandbox refusals as template errors", async () => {
    const ok = await renderAllIsolated(
      tpl("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nova-{{ name }}}\ndata: {host: '{{ host }}'}\n"),
      vcenters,
      {},
    );
    assert.deepEqual(
      ok.manifests.map((m) => m.object),
      [
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "nova-bb1", namespace: "n" },
          data: { host: "vc-a-0.cc.qa-de-1.cloud.sap" },
        },
      ],
    );
    const bad = await renderAllIsolated(
      tpl("a: 1\nb: {{ ''.constructor.constructor('return process.env')() }}\n"),
      vcenters,
      {},
    );
    assert.equal(bad.errors.length, 1);
    assert.match(
      bad.errors[0].message,
      /^template vcenter_cluster\/n\/t\.yaml\.j2 line 2, column \d+: access to attribute 'constructor' is unsafe/,
    );
  });

  it("the render process has no environment, reads only the kit, starts no process and writes nothing", () => {
    process.env.PULUMI_CONFIG_PASSPHRASE = process.env.PULUMI_CONFIG_PASSPHRASE ?? "test-passphrase";
    const { env, execArgv } = renderProcessOptions();
    // The same Node options and environment, with a probe instead of the renderer.
    const probe = `
      const r = { env: Object.keys(process.env) };
      const t = (k, f) => { try { f(); r[k] = "allowed"; } catch (e) { r[k] = e.code || e.message; } };
      t("readEtc", () => require("fs").readFileSync("/etc/hostname"));
      t("readHome", () => require("fs").readdirSync(require("os").homedir()));
      t("write", () => require("fs").writeFileSync(require("os").tmpdir() + "/vct-probe", "x"));
      t("spawn", () => require("child_process").execFileSync("true"));
      t("readKit", () => require("fs").readFileSync(${JSON.stringify(__filename)}));
      console.log(JSON.stringify(r));`;
    const out = execFileSync(process.execPath, [...execArgv, "-e", probe], { env, encoding: "utf8" });
    assert.deepEqual(JSON.parse(out), {
      env: [],
      readEtc: "ERR_ACCESS_DENIED",
      readHome: "ERR_ACCESS_DENIED",
      write: "ERR_ACCESS_DENIED",
      spawn: "ERR_ACCESS_DENIED",
      readKit: "allowed",
    });
  });

  it("a render stuck inside one native call (catastrophic regex backtracking) is stopped by the wall clock, naming template and line", async () => {
    const start = Date.now();
    await assert.rejects(
      renderAllIsolated(
        tpl("a: 1\nb: 2\nc: {{ 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.match(r/^(a+)+$/) }}\n"),
        vcenters,
        {},
        { totalTimeoutMs: 1_000 },
      ),
      (e: TemplateRenderError) => {
        assert.equal(e.template, "vcenter_cluster/n/t.yaml.j2");
        assert.equal(e.line, 3);
        assert.match(e.message, /did not finish within 1000 ms; stopped/);
        return true;
      },
    );
    assert.ok(Date.now() - start < 15_000);
    // Jobs queued behind the stopped one, and later ones, get a fresh worker.
    const stuck = renderAllIsolated(
      tpl("c: {{ 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.match(r/^(a+)+$/) }}\n"),
      vcenters,
      {},
      { totalTimeoutMs: 1_000 },
    );
    const queued = renderAllIsolated(tpl("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n"), vcenters, {});
    await assert.rejects(stuck, /did not finish/);
    assert.equal((await queued).manifests.length, 1);
  });

  it("a render filling the heap is stopped at the worker's heap limit, naming template and line", async () => {
    // 64 MiB: on Node 24 a 32 MiB worker runs out while still loading the renderer, before any template starts.
    await assert.rejects(
      renderAllIsolated(
        tpl(
          "a: 1\n{% set l = [] %}\n{% for i in range(100000) %}{% set _ = l.append('x'.repeat(2000) + i) %}{% endfor %}\n",
        ),
        vcenters,
        {},
        { maxHeapMb: 64 },
      ),
      (e: TemplateRenderError) => {
        assert.equal(e.template, "vcenter_cluster/n/t.yaml.j2");
        assert.equal(e.line, 3);
        assert.match(e.message, /ran out of memory \(the renderer's heap is limited to 64 MiB\)/);
        return true;
      },
    );
  });
});
