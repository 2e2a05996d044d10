// Runs a program from examples/ with the real pulumi CLI, the way a user's project runs it: a fresh project
// directory laid out as `pulumi new typescript` does (package.json, tsconfig.json, Pulumi.yaml), the kit installed
// from an `npm pack` tarball (packed and installed once per test run, see userproject.ts), a file:// backend and a
// passphrase, on the Node.js and pulumi CLI of the combination under test (scripts/toolchain-env.sh).
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { toolchainPath } from "../../simulators/toolchain";
import { installedNodeModules, kitTarball, projectDependencies, REPO, TEMPLATE } from "./userproject";

export const PASSPHRASE = "engine-test-passphrase";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class PulumiProject {
  private constructor(
    readonly dir: string,
    readonly root: string,
    readonly stack: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A user project running examples/<example>, with a stack initialised on a file backend. */
  static async create(example: string, stack = "test"): Promise<PulumiProject> {
    const [tarball, nodeModules] = [await kitTarball(), await installedNodeModules()];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `pvk-${example}-`));
    const dir = path.join(root, "project");
    fs.mkdirSync(dir);
    const src = path.join(REPO, "examples", example);
    for (const f of fs.readdirSync(src))
      if (/\.(ts|yaml)$/.test(f) && !/^Pulumi\..+\.yaml$/.test(f))
        fs.copyFileSync(path.join(src, f), path.join(dir, f));
    const { deps, devDeps } = projectDependencies();
    const pkg = TEMPLATE.packageJson(`${example}-test`, { ...deps, "pulumi-vmware-kit": `file:${tarball}` }, devDeps);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE.tsconfig, null, 2));
    // What `npm install` made for this package.json, once per run (see userproject.ts).
    fs.symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
    fs.mkdirSync(path.join(root, "state"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: toolchainPath(),
      PULUMI_HOME: path.join(root, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      NO_COLOR: "1",
    };
    const project = new PulumiProject(dir, root, stack, env);
    await project.run(["stack", "init", stack]);
    return project;
  }

  run(args: string[], opts: { allowFailure?: boolean } = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      execFile(
        "pulumi",
        ["--non-interactive", "--color", "never", ...args],
        { cwd: this.dir, env: this.env, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          const result = { code, stdout: String(stdout), stderr: String(stderr) };
          if (code !== 0 && !opts.allowFailure) {
            reject(
              new Error(
                `pulumi ${args.join(" ")} failed (${code}):\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
              ),
            );
          } else resolve(result);
        },
      );
    });
  }

  async config(values: Record<string, string | number | boolean>, opts: { secret?: boolean } = {}): Promise<void> {
    for (const [k, v] of Object.entries(values)) {
      // `--` so negative numbers are values, not flags.
      await this.run(["config", "set", ...(opts.secret ? ["--secret"] : []), k, "--", String(v)]);
    }
  }

  up = (...extra: string[]) => this.run(["up", "--yes", "--skip-preview", ...extra]);
  preview = (...extra: string[]) => this.run(["preview", "--diff", ...extra]);
  refresh = (...extra: string[]) => this.run(["refresh", "--yes", "--skip-preview", "--diff", ...extra]);
  destroy = (...extra: string[]) => this.run(["destroy", "--yes", "--skip-preview", ...extra]);

  async outputs(): Promise<Record<string, any>> {
    return JSON.parse((await this.run(["stack", "output", "--json", "--show-secrets"])).stdout);
  }

  /** The raw checkpoint JSON as stored by the file backend (what `pulumi stack export` prints). */
  async stateText(): Promise<string> {
    return (await this.run(["stack", "export"])).stdout;
  }

  /** All files under the backend directory, concatenated: to prove a secret never lands on disk. */
  backendFilesText(): string {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out.push(fs.readFileSync(p, "latin1"));
      }
    };
    walk(path.join(this.root, "state"));
    return out.join("\n");
  }

  resources(state: any): any[] {
    return state?.deployment?.resources ?? [];
  }

  /** Outputs of the first resource whose type ends with `type`, as recorded in the state. */
  async resourceOutputs(type: string): Promise<Record<string, any>> {
    const state = JSON.parse((await this.run(["stack", "export", "--show-secrets"])).stdout);
    return this.resources(state).find((r) => r.type.endsWith(type))?.outputs;
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * examples/vcenter as the Kubernetes engine tests set it up: one vCenter `fqdn` served by `sim` (its CA trusted
 * through a file), rendering into `namespace`, rollouts not awaited (no kubelet runs here). `extra` is more config.
 */
export async function vcenterProject(
  sim: { url: string; ca?: string },
  o: { fqdn: string; user: string; namespace: string; extra?: Record<string, string | boolean> },
): Promise<PulumiProject> {
  const project = await PulumiProject.create("vcenter");
  const caFile = path.join(project.root, "vcsim-ca.pem");
  fs.writeFileSync(caFile, sim.ca!);
  await project.config({
    vcenters: o.fqdn,
    vcenterUser: o.user,
    namespace: o.namespace,
    vcenterCaFile: caFile,
    endpoints: JSON.stringify({ [o.fqdn]: sim.url }),
    ...o.extra,
    // No kubelet here: Deployments never become available, so don't wait for their rollout.
    skipAwait: true,
  });
  return project;
}
