// The `local` stack's world: the simulators it runs against and the environment the pulumi CLI needs.
// Shared by `npm run demo` and `npm run local -- <pulumi args>`.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startVcsim, Vcsim } from "../simulators/vcsim";
import { toolchainBinDir } from "../simulators/toolchain";

export const REPO = path.resolve(__dirname, "..");
export const LOCAL_DIR = path.join(REPO, ".cache", "local");
/** Must match Pulumi.local.yaml: the passphrase that encrypts its secrets, the simulators' ports and users. */
export const LOCAL = {
  passphrase: "local-demo",
  vcsimPort: Number(process.env.PVK_VCSIM_PORT ?? 18990),
  vcsimUser: "vcsim-admin",
  vcsimPassword: "vcsim-Passw0rd!",
  vcsimCaFile: path.join(LOCAL_DIR, "vcsim-ca.pem"),
};

export function pulumiEnv(): NodeJS.ProcessEnv {
  fs.mkdirSync(path.join(LOCAL_DIR, "state"), { recursive: true });
  return {
    ...process.env,
    PATH: `${toolchainBinDir()}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${path.join(LOCAL_DIR, "state")}`,
    PULUMI_HOME: path.join(LOCAL_DIR, "pulumi-home"),
    PULUMI_CONFIG_PASSPHRASE: LOCAL.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

/** Runs a command with inherited output; throws on failure. */
export function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(cmd, args, { cwd: REPO, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
}

/** `pulumi <args>` on the local stack, output captured (for printing parts of it). */
export function pulumiCapture(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive", "--stack", "local"], { cwd: REPO, env: pulumiEnv() });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`pulumi ${args.join(" ")}: ${err || out}`))));
  });
}

export function pulumi(args: string[]): void {
  sh("pulumi", [...args, "--stack", "local"], pulumiEnv());
}

export interface LocalSimulators {
  vcsim: Vcsim;
  stop(): Promise<void>;
}

export async function startLocalSimulators(): Promise<LocalSimulators> {
  const vcsim = await startVcsim({ port: LOCAL.vcsimPort, username: LOCAL.vcsimUser, password: LOCAL.vcsimPassword });
  fs.mkdirSync(LOCAL_DIR, { recursive: true });
  fs.writeFileSync(LOCAL.vcsimCaFile, vcsim.ca!);
  return {
    vcsim,
    stop: async () => {
      await vcsim.stop();
    },
  };
}

/** Selects (creating on first use) the `local` stack in the repo-local file backend. */
export function selectLocalStack(): void {
  sh("pulumi", ["stack", "select", "--create", "local", "--non-interactive"], pulumiEnv());
}
