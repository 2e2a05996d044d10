// README's "Use it in your project", run as written: its shell blocks and its program are read from README.md, so
// the README cannot drift from what works. The project is laid out as `pulumi new typescript` does (the command
// needs the template service, so this test writes the template's files), the kit comes from its `npm pack`
// tarball, and the pulumi lines run against vcsim with the config values replaced by vcsim's. Runs on the
// combination under test: `npm test` (current) and `npm run test:oldest` (Node.js 20 + pulumi 3.248).
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startVcsim, Vcsim } from "../../simulators/vcsim";
import { combination, toolchainPath } from "../../simulators/toolchain";
import { inventory, vmsInFolder } from "../helpers/govc";
import { copiesOf, kitTarball, npmInstall, projectDependencies, REPO, TEMPLATE } from "../helpers/userproject";

interface Block {
  lang: string;
  body: string;
}

/** The fenced code blocks of README's "## Use it in your project" section, in order. */
export function quickstartBlocks(readme: string): Block[] {
  const start = readme.indexOf("\n## Use it in your project\n");
  assert.ok(start >= 0, "README has no '## Use it in your project' section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2] }));
}

/** A README shell line as words: comments dropped, single and double quotes honoured (no expansions). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      assert.ok(close > i, `unbalanced quote in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, close);
      i = close;
    } else if (c === "#" && word === undefined) break;
    else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? "") + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

const flag = (words: string[], name: string) => {
  const i = words.indexOf(name);
  return i >= 0 ? words[i + 1] : undefined;
};

describe(`engine: README "Use it in your project" (${combination().name}: Node.js ${combination().node}, pulumi ${combination().pulumi})`, function () {
  this.timeout(10 * 60_000);
  const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
  const [setup, program, commands] = quickstartBlocks(readme);
  let sim: Vcsim;
  let root: string;
  let dir = "";
  let env: NodeJS.ProcessEnv;

  const pulumi = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile(
        "pulumi",
        ["--non-interactive", ...args],
        { cwd: dir, env, maxBuffer: 64 << 20 },
        (err, stdout, stderr) =>
          err ? reject(new Error(`pulumi ${args.join(" ")}:\n${stdout}\n${stderr}`)) : resolve(String(stdout)),
      ),
    );

  before(async () => {
    sim = await startVcsim();
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pvk-quickstart-"));
    fs.mkdirSync(path.join(root, "state"));
    env = {
      ...process.env,
      PATH: toolchainPath(),
      PULUMI_HOME: path.join(root, "home"),
      // Stands in for the README's `pulumi login`: a file backend inside this test's directory.
      PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "quickstart",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NO_COLOR: "1",
    };
  });

  after(async () => {
    await sim?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("has the three blocks: project setup (bash), the program (ts), configure and up (bash)", () => {
    assert.deepEqual([setup?.lang, program?.lang, commands?.lang], ["bash", "ts", "bash"]);
  });

  it("sets the project up with README's commands: one @pulumi/pulumi, @pulumi/kubernetes as a peer", async () => {
    for (const line of setup.body.split("\n").filter((l) => shellWords(l).length)) {
      const words = shellWords(line);
      if (words[0] === "mkdir") {
        assert.deepEqual(words.slice(2, 4), ["&&", "cd"], line);
        dir = path.join(root, words[1]);
        fs.mkdirSync(dir);
      } else if (words[0] === "pulumi" && words[1] === "login") {
        continue; // PULUMI_BACKEND_URL (above)
      } else if (words[0] === "pulumi" && words[1] === "new") {
        assert.equal(words[2], "typescript", line);
        const name = flag(words, "--name") ?? path.basename(dir);
        const { deps, devDeps } = projectDependencies();
        fs.writeFileSync(
          path.join(dir, "package.json"),
          JSON.stringify(TEMPLATE.packageJson(name, deps, devDeps), null, 4),
        );
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE.tsconfig, null, 4));
        fs.writeFileSync(
          path.join(dir, "Pulumi.yaml"),
          TEMPLATE.pulumiYaml(name, "A minimal TypeScript Pulumi program"),
        );
        fs.writeFileSync(path.join(dir, "index.ts"), 'import * as pulumi from "@pulumi/pulumi";\n');
        await npmInstall(dir, []);
        await pulumi(["stack", "init", flag(words, "--stack") ?? "dev"]);
      } else if (words[0] === "npm" && words[1] === "install") {
        assert.ok(words.includes("pulumi-vmware-kit"), line);
        const tarball = await kitTarball();
        await npmInstall(
          dir,
          words.slice(2).map((w) => (w === "pulumi-vmware-kit" ? tarball : w)),
        );
      } else {
        assert.fail(`this test does not know how to run README's line: ${line}`);
      }
    }
    const nm = path.join(dir, "node_modules");
    assert.equal(copiesOf(nm, "@pulumi/pulumi").length, 1, copiesOf(nm, "@pulumi/pulumi").join("\n"));
    assert.equal(
      JSON.parse(fs.readFileSync(path.join(nm, "@pulumi/pulumi/package.json"), "utf8")).version,
      combination().sdk,
    );
    assert.equal(copiesOf(nm, "@pulumi/kubernetes").length, 1);
    assert.ok(copiesOf(nm, "pulumi-vmware-kit").length === 1);
  });

  it("runs README's program: configure, preview, up (VMs in vcsim), destroy (vcsim as before)", async () => {
    assert.ok(dir, "the setup step ran");
    fs.writeFileSync(path.join(dir, "index.ts"), program.body);
    const pristine = await inventory(sim);
    // The values README gives, replaced by vcsim's where they must differ; a key README sets that this map does
    // not know fails the test, and so does a key the program reads that README does not set (up fails).
    const values: Record<string, (readme: string) => string> = {
      "vmware:vcenterUrl": () => sim.url,
      "vmware:vcenterUser": () => sim.username,
      "vmware:vcenterPassword": () => sim.password,
      "vmware:vcenterCaFile": (file) => {
        fs.writeFileSync(path.resolve(dir, file), sim.ca!);
        return file;
      },
      "vmware:datacenter": (v) => v,
      "vmware:template": () => "DC0_H0_VM0",
    };
    let upDone = false;
    for (const line of commands.body.split("\n").filter((l) => shellWords(l).length)) {
      const words = shellWords(line);
      assert.equal(words[0], "pulumi", `README's stack commands are pulumi commands: ${line}`);
      if (words[1] === "config" && words[2] === "set") {
        const rest = words.slice(3).filter((w) => w !== "--secret");
        const [key, value] = rest;
        assert.ok(values[key], `README sets ${key}, which this test does not know`);
        await pulumi([
          ...words.slice(1, 3),
          ...(words.includes("--secret") ? ["--secret"] : []),
          key,
          "--",
          values[key](value),
        ]);
      } else {
        const out = await pulumi(words.slice(1));
        if (words[1] === "up") {
          upDone = true;
          const vms = await vmsInFolder(sim, "/DC0/vm/web");
          assert.deepEqual(
            vms.map((v) => [v.name, v.cpu, v.memoryMB, v.powerState]),
            [0, 1, 2].map((i) => [`web-${i}`, 2, 2048, "poweredOn"]),
          );
          const outputs = JSON.parse(await pulumi(["stack", "output", "--json"]));
          assert.deepEqual(outputs.vms, ["web-0 poweredOn", "web-1 poweredOn", "web-2 poweredOn"]);
        }
        if (words[1] === "preview") assert.match(out, /\+ 2 to create/);
      }
    }
    assert.ok(upDone, "README's block runs `pulumi up`");
    assert.deepEqual(await inventory(sim), pristine, "README's `pulumi destroy` leaves vcsim as it was");
  });
});
