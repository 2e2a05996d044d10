// One real control plane (etcd, kube-apiserver, kube-controller-manager) per test file. The toolchain installs the
// binaries; when they are missing startKube fails with the command that builds them (no silent skip).
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
