// Where the project's toolchain (scripts/toolchain.sh) keeps the binaries it builds: the pulumi CLI, the nodejs
// language host and vcsim. Tests, the demo and the benches all find them here.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export function toolchainCacheDir(): string {
  if (process.env.PVK_CACHE_DIR) return process.env.PVK_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "pulumi-vmware-kit");
}

export function toolchainBinDir(): string {
  return path.join(toolchainCacheDir(), "bin");
}

/** Absolute path of a toolchain binary, falling back to PATH; throws with the command that installs it. */
export function toolchainBinary(name: string): string {
  const cached = path.join(toolchainBinDir(), name);
  if (fs.existsSync(cached)) return cached;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  throw new Error(
    `${name} is not installed: run \`npm run toolchain\` (it builds and caches it in ${toolchainBinDir()})`,
  );
}

/** A Node.js + pulumi CLI + @pulumi/pulumi combination the kit claims (scripts/toolchain/versions.json). */
export interface Combination {
  name: "current" | "oldest";
  node: string;
  pulumi: string;
  sdk: string;
}

function versionsFile(): string {
  // simulators/ under ts-node, dist/simulators/ when built: walk up to the checkout.
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const f = path.join(dir, "scripts", "toolchain", "versions.json");
    if (fs.existsSync(f)) return f;
  }
  throw new Error("scripts/toolchain/versions.json not found above " + __dirname);
}

/** The combination named by PVK_COMBINATION (set by scripts/toolchain-env.sh), else `current`. */
export function combination(name = process.env.PVK_COMBINATION || "current"): Combination {
  if (name !== "current" && name !== "oldest")
    throw new Error(`PVK_COMBINATION must be current or oldest, not ${name}`);
  const v = JSON.parse(fs.readFileSync(versionsFile(), "utf8"));
  return { name, ...v[name] };
}

function installed(dir: string, exe: string): string {
  if (!fs.existsSync(path.join(dir, exe)))
    throw new Error(`${path.join(dir, exe)} is missing: run \`npm run toolchain\``);
  return dir;
}

/** PATH with the Node.js of `c` first (for npm and node, without the pulumi CLI). */
export function nodePath(c: Combination = combination()): string {
  return [installed(path.join(toolchainBinDir(), `node-${c.node}`), "node"), process.env.PATH ?? ""].join(
    path.delimiter,
  );
}

/**
 * PATH for a pulumi CLI run on `c`: its Node.js and pulumi first, then the rest of the toolchain. Throws when the
 * combination is not installed rather than silently running another one.
 */
export function toolchainPath(c: Combination = combination()): string {
  const bin = toolchainBinDir();
  const pulumiDir = installed(path.join(bin, `pulumi-${c.pulumi}`), "pulumi");
  return [installed(path.join(bin, `node-${c.node}`), "node"), pulumiDir, bin, process.env.PATH ?? ""].join(
    path.delimiter,
  );
}
