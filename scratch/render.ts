import * as fs from "fs";
import * as path from "path";
import { startVcsim } from "../simulators/vcsim";
import { derivePassword } from "../sdk/vcenter/masterpassword";
import { buildInventory, EMPTY_VCSIM } from "../test/fixtures/vcenter/inventory";
import { PulumiProject } from "../test/helpers/pulumi";
const FQDN = "vc-a-0.cc.qa-de-1.cloud.sap";
(async () => {
  const sim = await startVcsim({ username: "u", password: derivePassword("u", "m", FQDN), args: EMPTY_VCSIM });
  const project = await PulumiProject.create("vcenter");
  try {
    await buildInventory(sim, [{ datacenter: "qa-de-1a", name: "productionbb001", datastores: ["eph001_hga"], portgroups: [] }]);
    const caFile = path.join(project.root, "ca.pem"); fs.writeFileSync(caFile, sim.ca!);
    const out = path.join(project.root, "rendered");
    await project.config({ vcenters: FQDN, vcenterUser: "u", namespace: "monsoon3", vcenterCaFile: caFile, endpoints: JSON.stringify({ [FQDN]: sim.url }), renderYamlToDirectory: out });
    await project.config({ masterPassword: "m" }, { secret: true });
    const r = await project.run(["up", "--yes"], { allowFailure: true });
    console.log(r.code, r.stdout.slice(-6000), r.stderr.slice(-3000));
    console.log(require("child_process").execSync(`find ${out} -type f`).toString());
    await project.destroy();
  } finally { project.cleanup(); await sim.stop(); }
})().catch((e) => { console.error(e); process.exit(1); });
