// The kit as a user's project sees it: installed from its `npm pack` tarball into a project laid out as
// `pulumi new typescript` does, type-checked by that project's TypeScript with the template's tsconfig (no extra
// settings), and its package entry points (`exports`) as documented in README.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { copiesOf, installedNodeModules, projectDependencies, sh, TEMPLATE } from "../helpers/userproject";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { VcdVapp, VCenterTemplate, VmGroup } from "pulumi-vmware-kit";
import type { VmGroupArgs } from "pulumi-vmware-kit";
import { VimClient } from "pulumi-vmware-kit/vsphere";
import { VcdClient } from "pulumi-vmware-kit/vcd";
import { MasterPassword, TemplateSet } from "pulumi-vmware-kit/vcenter";

const cfg = new pulumi.Config();
const args: VmGroupArgs = {
  connection: { url: "https://vc.example.com/sdk", username: "u", password: cfg.requireSecret("pw") },
  datacenter: "DC0", template: "t", folder: "web", replicas: 1, cpu: 1, memoryMB: 1024, powerState: "off",
};
const group = new VmGroup("g", args);
const app = new VcdVapp("app", {
  connection: { url: "https://vcd.example.com", org: "acme", username: "alice", password: cfg.requireSecret("pw") },
  org: "acme", vdc: "acme-vdc", source: { catalog: "base", template: "photon-5" }, powerOn: true,
  leases: { deploymentSeconds: 0, storageSeconds: 0 }, metadata: { team: "web", n: 3, at: new Date() },
});
const vct = new VCenterTemplate("vct", {
  discovery: { static: ["vc-a-0.example.com"] },
  credentials: { masterPassword: { username: "op", password: cfg.requireSecret("master") } },
  templates: [{ name: "cm", options: { scope: "cluster" }, template: "x" }],
  namespace: "monsoon3",
});
// Every input is also an output.
export const replicas: pulumi.Output<number> = group.replicas;
export const folder: pulumi.Output<string> = group.folder;
export const powerState: pulumi.Output<"on" | "off" | undefined> = group.powerState; // optional: with adopt, undeclared power is kept
export const vdc: pulumi.Output<string> = app.vdc;
export const namespace: pulumi.Output<string> = vct.namespace;
export const clients = [typeof VimClient, typeof VcdClient, typeof MasterPassword, typeof TemplateSet];
`;

describe("engine: the kit in a user's project (npm pack tarball, pulumi new typescript layout)", function () {
  this.timeout(10 * 60_000);
  let dir: string;
  let nodeModules: string;

  before(async () => {
    nodeModules = await installedNodeModules();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pvk-userproject-"));
    const { deps, devDeps } = projectDependencies();
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify(TEMPLATE.packageJson("user", deps, devDeps), null, 2),
    );
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE.tsconfig, null, 2));
    fs.symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has one copy of @pulumi/pulumi (the project's), the kit only peers it", () => {
    assert.deepEqual(copiesOf(nodeModules, "@pulumi/pulumi"), [path.join(nodeModules, "@pulumi/pulumi")]);
    const kit = JSON.parse(fs.readFileSync(path.join(nodeModules, "pulumi-vmware-kit/package.json"), "utf8"));
    assert.equal(kit.dependencies["@pulumi/pulumi"], undefined);
    assert.ok(kit.peerDependencies["@pulumi/pulumi"]);
  });

  it("type-checks a program using every resource and client with the template's tsconfig and TypeScript", async () => {
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    await sh("npx", ["--no-install", "tsc", "--noEmit", "-p", "."], dir);
  });

  it("type-checks it with the template's 2024 tsconfig too (Node10 resolution, no esModuleInterop)", async () => {
    // The resources' declarations must not reach zod's, which need esModuleInterop; subpaths resolve through
    // typesVersions, since Node10 resolution ignores `exports`.
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    fs.writeFileSync(path.join(dir, "tsconfig.2024.json"), JSON.stringify(TEMPLATE.tsconfig2024, null, 2));
    await sh("npx", ["--no-install", "tsc", "--noEmit", "-p", "tsconfig.2024.json"], dir);
  });

  it("reports a misspelt input by name, against the documented Args interface", async () => {
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM.replace("replicas: 1,", "replica: 1,"));
    await assert.rejects(sh("npx", ["--no-install", "tsc", "--noEmit", "-p", "."], dir), (err: Error) => {
      assert.match(err.message, /'replica' does not exist in type 'VmGroupArgs'/);
      return true;
    });
  });

  it("exports the resources and the plain clients by name, and no deep dist/ paths but the providers' code", async () => {
    const script = `
      const ok = (m) => { try { require.resolve(m); return true; } catch (e) { return e.code; } };
      console.log(JSON.stringify({
        root: typeof require("pulumi-vmware-kit").VmGroup,
        vsphere: typeof require("pulumi-vmware-kit/vsphere").VimClient,
        vcd: typeof require("pulumi-vmware-kit/vcd").VcdClient,
        vcenter: typeof require("pulumi-vmware-kit/vcenter").TemplateSet,
        handlers: ok("pulumi-vmware-kit/dist/providers/vmgroup/handlers"),
        deep: ok("pulumi-vmware-kit/dist/sdk/vsphere/client"),
      }));`;
    const out = JSON.parse(await sh("node", ["-e", script], dir));
    assert.deepEqual(out, {
      root: "function",
      vsphere: "function",
      vcd: "function",
      vcenter: "function",
      handlers: true,
      deep: "ERR_PACKAGE_PATH_NOT_EXPORTED",
    });
  });
});
