// The `local` stack's world: the simulators and the Kubernetes API server it runs against, and the environment the
// pulumi CLI needs. Shared by `npm run demo` and `npm run local -- <pulumi args>`.
import { execFile, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defaultSeed, startVcdSimulator, VcdSimulator } from "../simulators/vcd";
import { Kube, startKube } from "../simulators/kube";
import { startVcsim, Vcsim } from "../simulators/vcsim";
import { toolchainBinary, toolchainPath } from "../simulators/toolchain";

export const REPO = path.resolve(__dirname, "..");
export const LOCAL_DIR = path.join(REPO, ".cache", "local");
/** Must match Pulumi.local.yaml: the passphrase that encrypts its secrets, the simulators' ports and users. */
export const LOCAL = {
  passphrase: "local-demo",
  vcsimPort: Number(process.env.PVK_VCSIM_PORT ?? 18990),
  vcsimUser: "vcsim-admin",
  vcsimPassword: "vcsim-Passw0rd!",
  vcsimCaFile: path.join(LOCAL_DIR, "vcsim-ca.pem"),
  vcdPort: Number(process.env.PVK_VCD_PORT ?? 18443),
  vcdCaFile: path.join(LOCAL_DIR, "vcd-ca.pem"),
  vcdKeyFile: path.join(LOCAL_DIR, "vcd-key.pem"),
  /** Pulumi.local.yaml's `kubeconfig`: rewritten on every start (the API server's port is ephemeral). */
  kubeconfigFile: path.join(LOCAL_DIR, "kubeconfig"),
};

export function pulumiEnv(): NodeJS.ProcessEnv {
  fs.mkdirSync(path.join(LOCAL_DIR, "state"), { recursive: true });
  return {
    ...process.env,
    PATH: toolchainPath(), // the combination scripts/toolchain-env.sh chose (Node.js 24 + newest pulumi by default)
    PULUMI_BACKEND_URL: `file://${path.join(LOCAL_DIR, "state")}`,
    PULUMI_HOME: path.join(LOCAL_DIR, "pulumi-home"),
    PULUMI_CONFIG_PASSPHRASE: LOCAL.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

/**
 * Runs a command with inherited output; rejects on failure. Asynchronous on purpose: the vCD simulator runs in
 * this process and must keep answering while pulumi works.
 */
export function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code ?? signal}`)),
    );
  });
}

/** `pulumi <args>` on the local stack, output captured (for printing parts of it). */
export function pulumiCapture(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive", "--stack", "local"], { cwd: REPO, env: pulumiEnv() });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`pulumi ${args.join(" ")}: ${err || out}`)),
    );
  });
}

export function pulumi(args: string[]): Promise<void> {
  return sh("pulumi", [...args, "--stack", "local"], pulumiEnv());
}

export interface LocalSimulators {
  vcsim: Vcsim;
  vcd: VcdSimulator;
  /** etcd + kube-apiserver + kube-controller-manager on 127.0.0.1 (no nodes: nothing runs pods). */
  kube: Kube;
  stop(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, so the vCD simulator is reached over verified TLS like a real vCD. */
function localCertificate(): { key: string; cert: string } {
  if (!fs.existsSync(LOCAL.vcdCaFile) || !fs.existsSync(LOCAL.vcdKeyFile)) {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "3650",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        LOCAL.vcdKeyFile,
        "-out",
        LOCAL.vcdCaFile,
      ],
      { stdio: "ignore" },
    );
  }
  return { key: fs.readFileSync(LOCAL.vcdKeyFile, "utf8"), cert: fs.readFileSync(LOCAL.vcdCaFile, "utf8") };
}

function govc(vcsim: Vcsim, args: string[]): Promise<void> {
  const env = {
    ...process.env,
    GOVC_URL: vcsim.url,
    GOVC_USERNAME: LOCAL.vcsimUser,
    GOVC_PASSWORD: LOCAL.vcsimPassword,
    GOVC_TLS_CA_CERTS: LOCAL.vcsimCaFile,
  };
  return new Promise((resolve, reject) =>
    execFile(toolchainBinary("govc"), args, { env }, (err, _out, stderr) =>
      err ? reject(new Error(`govc ${args.join(" ")}: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

/**
 * vcsim's default inventory has no cluster that sapcc's conventions render (`productionbbN` with `eph*`
 * datastores): add one to DC0, so the VCenterTemplate has something to render.
 */
async function addProductionCluster(vcsim: Vcsim): Promise<void> {
  const cluster = "/DC0/host/productionbb001";
  await govc(vcsim, ["cluster.create", "-folder", "/DC0/host", "productionbb001"]);
  await govc(vcsim, [
    "cluster.add",
    "-cluster",
    cluster,
    "-hostname",
    "esx-bb001",
    "-username",
    "root",
    "-password",
    "esx",
    "-noverify",
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vcsim-eph001-"));
  await govc(vcsim, ["datastore.create", "-type", "local", "-name", "eph001", "-path", dir, cluster]);
}

export async function startLocalSimulators(): Promise<LocalSimulators> {
  fs.mkdirSync(LOCAL_DIR, { recursive: true });
  const started: { stop(): Promise<void> }[] = [];
  // The API server takes the longest to come up: start it first, beside the simulators.
  const kubeStarting = startKube();
  kubeStarting.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  try {
    const vcsim = await startVcsim({ port: LOCAL.vcsimPort, username: LOCAL.vcsimUser, password: LOCAL.vcsimPassword });
    started.push(vcsim);
    fs.writeFileSync(LOCAL.vcsimCaFile, vcsim.ca!);
    await addProductionCluster(vcsim);
    const vcd = await startVcdSimulator(defaultSeed(), {
      port: LOCAL.vcdPort,
      host: "127.0.0.1",
      tls: localCertificate(),
    });
    started.push(vcd);
    const kube = await kubeStarting;
    fs.writeFileSync(LOCAL.kubeconfigFile, kube.kubeconfig, { mode: 0o600 });
    return {
      vcsim,
      vcd,
      kube,
      stop: async () => {
        await Promise.all([vcsim.stop(), vcd.stop(), kube.stop()]);
        fs.rmSync(LOCAL.kubeconfigFile, { force: true });
      },
    };
  } catch (err) {
    await Promise.all([
      ...started.map((s) => s.stop().catch(() => undefined)),
      kubeStarting.then(
        (k) => k.stop(),
        () => undefined,
      ),
    ]);
    throw err;
  }
}

/** Selects (creating on first use) the `local` stack in the repo-local file backend. */
export function selectLocalStack(): Promise<void> {
  return sh("pulumi", ["stack", "select", "--create", "local", "--non-interactive"], pulumiEnv());
}
