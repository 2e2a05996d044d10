// One real control plane (etcd, kube-apiserver, kube-controller-manager) per test file. The toolchain installs the
// binaries; when they are missing startKube fails with the command that builds them (no silent skip).
import { parse } from "yaml";
import { Kube, startKube } from "../../simulators/kube";

/** Starts the control plane in `before` (cold start takes seconds to a minute on a busy machine), stops it in `after`. */
export function useKube(): () => Kube {
  let kube: Kube | undefined;
  before(async function () {
    this.timeout(300_000);
    kube = await startKube();
  });
  after(async function () {
    this.timeout(60_000);
    await kube?.stop();
  });
  return () => {
    if (!kube) throw new Error("the Kubernetes control plane is not running (startKube failed in before())");
    return kube;
  };
}

/** Polls `fn` until it returns a value other than undefined; fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The admin's TLS options from the kubeconfig (CA, client certificate and key), for `https.request`. */
export function adminTls(kube: Kube): { ca: string; cert: Buffer; key: Buffer } {
  const user = parse(kube.kubeconfig).users[0].user;
  return {
    ca: kube.ca,
    cert: Buffer.from(user["client-certificate-data"], "base64"),
    key: Buffer.from(user["client-key-data"], "base64"),
  };
}

/** The kubeconfig with its `server:` replaced by `server` (e.g. a fault proxy in front of the API server). */
export function kubeconfigVia(kube: Kube, server: string): string {
  const text = kube.kubeconfig.replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: ${server}`);
  if (text === kube.kubeconfig) throw new Error(`no server: ${kube.server} line in the kubeconfig`);
  return text;
}
