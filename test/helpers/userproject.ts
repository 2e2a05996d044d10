// A user's project, as `pulumi new typescript` lays it out, with the kit installed from an `npm pack` tarball:
// what engine tests and the README quick-start test run in. Packing and `npm install` happen once per test run
// (per mocha process); each project then links that installed node_modules.
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { Combination, combination, nodePath } from "../../simulators/toolchain";

export const REPO = path.resolve(__dirname, "..", "..");
const run = promisify(execFile);

/** package.json, tsconfig.json and Pulumi.yaml of pulumi/templates' `typescript` template (2026-08). */
export const TEMPLATE = {
  packageJson: (name: string, deps: Record<string, string>, devDeps: Record<string, string>) => ({
    name,
    main: "index.ts",
    devDependencies: devDeps,
    dependencies: deps,
  }),
  tsconfig: {
    compilerOptions: {
      strict: true,
      outDir: "bin",
      target: "es2020",
      module: "nodenext",
      moduleResolution: "nodenext",
      sourceMap: true,
      experimentalDecorators: true,
      pretty: true,
      noFallthroughCasesInSwitch: true,
      noImplicitReturns: true,
      forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
  },
  /** The template's tsconfig from April 2024 to March 2026 (Node10 resolution, which ignores `exports`). */
  tsconfig2024: {
    compilerOptions: {
      strict: true,
      outDir: "bin",
      target: "es2020",
      module: "commonjs",
      moduleResolution: "node",
      sourceMap: true,
      experimentalDecorators: true,
      pretty: true,
      noFallthroughCasesInSwitch: true,
      noImplicitReturns: true,
      forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
  },
  pulumiYaml: (name: string, description: string) => `name: ${name}\ndescription: ${description}\nruntime: nodejs\n`,
};

const kit = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));

/** The versions a fresh project gets: the combination's @pulumi/pulumi, the template's TypeScript (^5). */
export function projectDependencies(c: Combination = combination()) {
  return {
    deps: { "@pulumi/pulumi": c.sdk },
    devDeps: { "@types/node": kit.devDependencies["@types/node"], typescript: kit.devDependencies.typescript },
  };
}

/** Runs a command (npm, npx) with the combination's Node.js first on PATH; rejects with its output on failure. */
export async function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const r = await run(cmd, args, { cwd, env: { ...process.env, PATH: nodePath(), ...env }, maxBuffer: 64 << 20 });
    return r.stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`, {
      cause: err,
    });
  }
}

let runDir: string | undefined;
function perRunDir(): string {
  if (!runDir) {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), "pvk-run-"));
    const dir = runDir;
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return runDir;
}

let tarball: Promise<string> | undefined;
/** `npm pack` of the checkout (dist/ must be built: `npm test` builds first), once per run. */
export function kitTarball(): Promise<string> {
  tarball ??= (async () => {
    if (!fs.existsSync(path.join(REPO, "dist", "index.js"))) throw new Error("dist/ is not built: run `npm run build`");
    const dest = path.join(perRunDir(), "pack");
    fs.mkdirSync(dest);
    // --ignore-scripts: `prepare` would rebuild dist/, which the test run just built.
    const out = await sh("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dest], REPO);
    return path.join(dest, out.trim().split("\n").pop()!);
  })();
  return tarball;
}

/** `npm install` into a project directory, quietly and from npm's cache where it can. */
export function npmInstall(dir: string, args: string[]): Promise<string> {
  return sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...args], dir);
}

let installed: Promise<string> | undefined;
/**
 * node_modules of a template project with the kit's tarball installed next to the combination's @pulumi/pulumi
 * and the dev pin of @pulumi/kubernetes (the version of the toolchain's provider plugin), once per run.
 */
export function installedNodeModules(): Promise<string> {
  installed ??= (async () => {
    const dir = path.join(perRunDir(), "install");
    fs.mkdirSync(dir);
    const { deps, devDeps } = projectDependencies();
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify(TEMPLATE.packageJson("engine-tests", deps, devDeps), null, 2),
    );
    await npmInstall(dir, [await kitTarball(), `@pulumi/kubernetes@${kit.devDependencies["@pulumi/kubernetes"]}`]);
    return path.join(dir, "node_modules");
  })();
  return installed;
}

/** Every installed copy of a package under node_modules (to prove there is exactly one @pulumi/pulumi). */
export function copiesOf(nodeModules: string, pkg: string): string[] {
  const found: string[] = [];
  const walk = (nm: string) => {
    if (!fs.existsSync(nm)) return;
    for (const e of fs.readdirSync(nm)) {
      if (e.startsWith(".")) continue;
      const names = e.startsWith("@") ? fs.readdirSync(path.join(nm, e)).map((s) => `${e}/${s}`) : [e];
      for (const name of names) {
        const dir = path.join(nm, name);
        if (name === pkg) found.push(dir);
        walk(path.join(dir, "node_modules"));
      }
    }
  };
  walk(nodeModules);
  return found;
}
