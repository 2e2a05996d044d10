// The peer, measured on this machine against the same vcsim as bench/up.ts (300 ms CloneVM_Task delay): OpenTofu
// with terraform-provider-vsphere creating 20 VMs at -parallelism=10 (bench/peer/main.tf), then destroying them.
// Built by `bash scripts/peer.sh` (not part of the toolchain). Figures are printed; nothing asserts on time.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startVcsim } from "../simulators/vcsim";
import { median, sampleTree } from "./proc";

const RUNS = Number(process.env.PVK_BENCH_UP_RUNS ?? 3);
const REPLICAS = 20;
const PARALLELISM = 10;
const CLONE_DELAY_MS = 300;

const CACHE =
  process.env.PVK_CACHE_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-vmware-kit");
const PEER = path.join(CACHE, "peer");

interface Run {
  ms: number;
  /** Peak VmHWM in MB: of the tofu process, and of the provider plugin process. */
  tofuMB: number;
  providerMB: number;
}

function tofu(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(path.join(PEER, "bin", "tofu"), args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    const sampler = sampleTree(child.pid!);
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const peaks = [...sampler.stop().values()];
      if (code !== 0) return reject(new Error(`tofu ${args[0]} exited ${code}:\n${out.slice(-3000)}`));
      const mb = (pred: (n: string) => boolean) =>
        Math.round(Math.max(0, ...peaks.filter((p) => pred(p.name)).map((p) => p.hwm)) / 1024);
      resolve({ ms, tofuMB: mb((n) => n === "tofu"), providerMB: mb((n) => n.startsWith("terraform-provi")) });
    });
  });
}

export async function benchPeer(): Promise<Record<string, number>> {
  if (!fs.existsSync(path.join(PEER, "bin", "tofu")))
    throw new Error(`the peer is not built: run \`bash scripts/peer.sh\` (it builds into ${PEER})`);
  const load = os.loadavg()[0];
  const sim = await startVcsim({ methodDelay: { CloneVM_Task: CLONE_DELAY_MS } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pvk-bench-peer-"));
  try {
    fs.copyFileSync(path.join(__dirname, "peer", "main.tf"), path.join(dir, "main.tf"));
    const host = new URL(sim.url).host;
    const env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: path.join(PEER, "tofurc"),
      TF_IN_AUTOMATION: "1",
      TF_VAR_server: host,
      TF_VAR_user: sim.username,
      TF_VAR_password: sim.password,
      TF_VAR_replicas: String(REPLICAS),
    };
    await tofu(dir, ["init", "-input=false"], env);
    const applies: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      applies.push(await tofu(dir, ["apply", "-auto-approve", "-input=false", `-parallelism=${PARALLELISM}`], env));
      await tofu(dir, ["destroy", "-auto-approve", "-input=false", `-parallelism=${PARALLELISM}`], env);
    }
    return {
      "load average (1 min) at start": +load.toFixed(2),
      [`tofu apply, ${REPLICAS} VMs at -parallelism=${PARALLELISM}, median of ${RUNS} (ms)`]: Math.round(
        median(applies.map((a) => a.ms)),
      ),
      "tofu apply: peak RSS of tofu (MB)": Math.max(...applies.map((a) => a.tofuMB)),
      "tofu apply: peak RSS of terraform-provider-vsphere (MB)": Math.max(...applies.map((a) => a.providerMB)),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await sim.stop();
  }
}
