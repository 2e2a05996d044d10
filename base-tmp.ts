import * as fs from "fs";
import * as path from "path";
import { clusterContexts } from "./sdk/vcenter/conventions";
import { TemplateSet } from "./sdk/vcenter/templates";
import { renderAll } from "./sdk/vcenter/render";
import { vcenterTemplatesFromYaml } from "./providers/vcentertemplate/yaml";
const FIXTURES = "test/fixtures/vcenter"; const HOST = "vc-a-0.cc.qa-de-1.cloud.sap";
const fromYaml = (f: string) => vcenterTemplatesFromYaml(fs.readFileSync(f, "utf8"));
const srcs = ["nova-compute-configmap-vct.yaml", "nova-compute-deployment-vct.yaml", "cinder-volume-secret-vct.yaml", "neutron-nsxv3-secret-vct.yaml"].flatMap((f) => fromYaml(path.join(FIXTURES, f)))
  .concat(fromYaml("examples/vcenter/vcenter-templates.yaml").filter((t) => t.name === "vcenter-cluster-nova-compute-secret"))
  .map((t) => ({ name: t.name, namespace: "monsoon3", scope: t.options.scope, template: t.template, jinja2Options: t.options.jinja2_options }));
const pad = (n: number) => String(n).padStart(3, "0");
const clusters = Array.from({ length: 200 }, (_, i) => ({ name: `productionbb${pad(i + 1)}`, datastores: [`eph${pad(i + 1)}_hga`, `eph${pad(i + 1)}_hgb`, "nfs-shared"], networks: ["VM Network", `br-physnet-${i % 4}`] }));
const inv = { vcenter: { name: "vc-a-0", host: HOST }, datacenters: [{ name: "qa-de-1a", clusters: clusters.slice(0, 100) }, { name: "qa-de-1b", clusters: clusters.slice(100) }] };
const globals = { domain: "cc.qa-de-1.cloud.sap", region: "qa-de-1", cells: ["cell-qa-de-1b"], username: "vcenter-operator", master_password: "bench master password" };
const opts = { username: "vcenter-operator", password: "Vc-Pa$$w0rd", host: HOST, name: "vc-a-0" };
const contexts = clusterContexts(inv as any, globals, opts);
const set = new TemplateSet(srcs as any); const keys = set.keys();
for (const k of keys) set.renderText(k, contexts[0]);
let best = Infinity;
for (let r = 0; r < 20; r++) { const s = process.hrtime.bigint(); for (const c of contexts) for (const k of keys) set.renderText(k, c); best = Math.min(best, Number(process.hrtime.bigint() - s) / 1e6); }
let bestAll = Infinity;
for (let r = 0; r < 20; r++) { const s = process.hrtime.bigint(); renderAll(set, [{ inventory: inv as any, options: opts }], globals); bestAll = Math.min(bestAll, Number(process.hrtime.bigint() - s) / 1e6); }
console.log("renderText loop ms", best.toFixed(2), "renderAll ms", bestAll.toFixed(2), "renders", contexts.length * keys.length);
