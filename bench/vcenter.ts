// VCenterTemplate benchmarks. (1) SOAP round trips of one inventory collection from a vcsim with 200 clusters
// (target <= 3). (2) Rendering 200 clusters x 6 templates with our nunjucks TemplateSet vs Python Jinja2 (what
// sapcc runs) on the same templates and contexts, both timed in this run (best of 3 rounds, compile excluded).
// (3) The provider's path: renderAll (render + YAML parse) in-process vs in the render process and its worker
// (isolate.ts), warm, best of ROUNDS, plus their cold start. Figures are printed, never asserted.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startVcsim } from "../simulators/vcsim";
import { toolchainCacheDir } from "../simulators/toolchain";
import { VimClient } from "../sdk/vsphere/client";
import { clusterContexts, Inventory } from "../sdk/vcenter/conventions";
import { renderAll } from "../sdk/vcenter/render";
import { collectInventory } from "../sdk/vcenter/inventory";
import { TemplateSet, VCenterTemplateSource } from "../sdk/vcenter/templates";
import { vcenterTemplatesFromYaml } from "../providers/vcentertemplate/yaml";

const CLUSTERS = 200;
// Best of 20 rounds on both sides: enough for V8 to optimise the hot paths, as a long-running provider would.
const ROUNDS = 20;
const FIXTURES = path.join(__dirname, "..", "test", "fixtures", "vcenter");
const HOST = "vc-a-0.cc.qa-de-1.cloud.sap";

async function inventoryRoundTrips(): Promise<Record<string, number>> {
  const sim = await startVcsim({
    args: ["-cluster", String(CLUSTERS), "-host", "1", "-vm", "0", "-standalone-host", "0", "-ds", "3", "-pg", "3"],
  });
  try {
    const client = await VimClient.connect({
      url: sim.url,
      username: sim.username,
      password: sim.password,
      ca: sim.ca,
    });
    const login = client.roundTrips;
    const start = process.hrtime.bigint();
    const inv = await collectInventory(client, HOST);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const trips = client.roundTrips - login;
    await client.logout();
    const clusters = inv.datacenters.reduce((n, d) => n + d.clusters.length, 0);
    if (clusters !== CLUSTERS) throw new Error(`expected ${CLUSTERS} clusters, collected ${clusters}`);
    return {
      [`inventory: clusters collected`]: clusters,
      [`inventory: SOAP round trips for ${CLUSTERS} clusters (target <= 3)`]: trips,
      "inventory: round trips incl. RetrieveServiceContent+Login+Logout": trips + login + 1,
      "inventory: collection wall time (ms)": Math.round(ms),
    };
  } finally {
    await sim.stop();
  }
}

function templates(): VCenterTemplateSource[] {
  const fromYaml = (file: string) => vcenterTemplatesFromYaml(fs.readFileSync(file, "utf8"));
  const fixtures = [
    "nova-compute-configmap-vct.yaml",
    "nova-compute-deployment-vct.yaml",
    "cinder-volume-secret-vct.yaml",
    "neutron-nsxv3-secret-vct.yaml",
  ].flatMap((f) => fromYaml(path.join(FIXTURES, f)));
  const example = fromYaml(path.join(__dirname, "..", "examples", "vcenter", "vcenter-templates.yaml")).filter(
    (t) => t.name === "vcenter-cluster-nova-compute-secret",
  );
  const service = {
    name: "vcenter-cluster-nova-compute-service",
    options: { scope: "cluster" as const },
    template:
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: nova-compute-{{ name }}\n  labels: {az: {{ availability_zone }}}\nspec:\n  selector: {name: nova-compute-{{ name }}}\n  ports:\n{%- for p in [8774, 8775] %}\n  - {port: {{ p }}, name: p{{ loop.index }}}\n{%- endfor %}\n",
  };
  return [...fixtures, ...example, service].map((t) => ({
    name: t.name,
    namespace: "monsoon3",
    scope: t.options.scope,
    template: t.template,
    jinja2Options: "jinja2_options" in t.options ? t.options.jinja2_options : undefined,
  }));
}

function syntheticInventory(): Inventory {
  const pad = (n: number) => String(n).padStart(3, "0");
  const clusters = Array.from({ length: CLUSTERS }, (_, i) => ({
    name: `productionbb${pad(i + 1)}`,
    datastores: [`eph${pad(i + 1)}_hga`, `eph${pad(i + 1)}_hgb`, "nfs-shared"],
    networks: ["VM Network", `br-physnet-${i % 4}`],
  }));
  return {
    vcenter: { name: "vc-a-0", host: HOST },
    datacenters: [
      { name: "qa-de-1a", clusters: clusters.slice(0, 100) },
      { name: "qa-de-1b", clusters: clusters.slice(100) },
    ],
  };
}

function python(): string {
  // A python3 that already has jinja2 (as on most CI images) spares the venv and its download.
  if (spawnSync("python3", ["-c", "import jinja2"]).status === 0) return "python3";
  const venv = path.join(toolchainCacheDir(), "py");
  const bin = path.join(venv, "bin", "python");
  if (!fs.existsSync(bin)) execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
  if (spawnSync(bin, ["-c", "import jinja2"]).status !== 0)
    execFileSync(bin, ["-m", "pip", "install", "-q", "jinja2"], { stdio: "inherit" });
  return bin;
}

function renderComparison(): Record<string, number> {
  const sources = templates();
  const globals = {
    domain: "cc.qa-de-1.cloud.sap",
    region: "qa-de-1",
    cells: ["cell-qa-de-1b"],
    username: "vcenter-operator",
    master_password: "bench master password",
  };
  const contexts = clusterContexts(syntheticInventory(), globals, {
    username: "vcenter-operator",
    password: "Vc-Pa$$w0rd",
    host: HOST,
    name: "vc-a-0",
  });
  const set = new TemplateSet(sources);
  const keys = set.keys();
  // Compile, and warm the master key cache, outside the timed rounds (Python does the same).
  for (const k of keys) set.renderText(k, contexts[0]);
  let tsBest = Infinity;
  let tsBytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    tsBytes = 0;
    for (const ctx of contexts) for (const k of keys) tsBytes += set.renderText(k, ctx).length;
    tsBest = Math.min(tsBest, Number(process.hrtime.bigint() - start) / 1e6);
  }

  const request = {
    rounds: ROUNDS,
    contexts,
    templates: keys.map((k) => {
      const s = set.get(k)!;
      return { key: k, text: s.template.replace(/\n$/, ""), options: s.jinja2Options ?? {} };
    }),
  };
  const res = spawnSync(python(), [path.join(FIXTURES, "render_jinja2.py")], {
    input: JSON.stringify(request),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`jinja2 render failed: ${res.stderr}`);
  const py = JSON.parse(String(res.stdout)) as { ms: number; bytes: number };
  return {
    [`render: ${contexts.length} clusters x ${keys.length} templates, nunjucks (ms)`]: +tsBest.toFixed(1),
    [`render: same, python3 jinja2 ${String(spawnSync(python(), ["-c", "import jinja2;print(jinja2.__version__)"]).stdout).trim()} (ms)`]:
      +py.ms.toFixed(1),
    "render: nunjucks / jinja2 time ratio (target <= 1)": +(tsBest / py.ms).toFixed(2),
    "render: output bytes nunjucks / jinja2": +(tsBytes / py.bytes).toFixed(3),
  };
}

async function isolation(): Promise<Record<string, number>> {
  // From dist/ (`npm run bench` builds first), as the provider runs it: the worker then loads plain JS, not ts-node.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderAllIsolated, stopRenderWorker } =
    require("../dist/sdk/vcenter/isolate") as typeof import("../sdk/vcenter/isolate");
  const sources = templates();
  const globals = {
    domain: "cc.qa-de-1.cloud.sap",
    region: "qa-de-1",
    cells: ["cell-qa-de-1b"],
    username: "vcenter-operator",
    master_password: "bench master password",
  };
  const vcenters = [
    {
      inventory: syntheticInventory(),
      options: { username: "vcenter-operator", password: "Vc-Pa$$w0rd", host: HOST, name: "vc-a-0" },
    },
  ];
  const time = async (fn: () => unknown): Promise<number> => {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  await stopRenderWorker();
  const cold = await time(() => renderAllIsolated(sources, vcenters, globals));
  const set = new TemplateSet(sources);
  renderAll(set, vcenters, globals);
  let inProcess = Infinity;
  let isolated = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    inProcess = Math.min(inProcess, await time(() => renderAll(set, vcenters, globals)));
    isolated = Math.min(isolated, await time(() => renderAllIsolated(sources, vcenters, globals)));
  }
  await stopRenderWorker();
  return {
    [`renderAll ${CLUSTERS} clusters (render + YAML), in-process (ms)`]: +inProcess.toFixed(1),
    "renderAll, same, in the render process + worker, warm (ms)": +isolated.toFixed(1),
    "renderAll isolated / in-process time ratio": +(isolated / inProcess).toFixed(2),
    "render process + worker cold start incl. first render (ms)": +cold.toFixed(1),
  };
}

export async function benchVCenter(): Promise<Record<string, number>> {
  return { ...(await inventoryRoundTrips()), ...renderComparison(), ...(await isolation()) };
}
