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
  throw new Error(`${name} is not installed: run \`npm run toolchain\` (it builds and caches it in ${toolchainBinDir()})`);
}
