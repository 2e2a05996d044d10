// `npm run demo`: the demo program (examples/demo) on the `local` stack, against the embedded simulators and a
// local Kubernetes API server. It starts them, runs `pulumi up`, prints what was made (reading the API server
// directly for the Kubernetes side), shows `preview --diff` of a change that touches both VMware and Kubernetes
// objects, and destroys it all again. `npm run demo -- --keep` leaves the stack up and everything running for you to
// try commands yourself (`npm run local -- <pulumi args>` in another terminal).
import * as fs from "fs";
import * as path from "path";
import type { Kube } from "../simulators/kube";
import { TEMPLATE_ANNOTATION } from "../sdk/vcenter/annotation";
import { LOCAL, LOCAL_DIR, pulumi, pulumiCapture, REPO, selectLocalStack, sh, startLocalSimulators } from "./local-env";

const keep = process.argv.includes("--keep");
const started = Date.now();
const step = (s: string) => console.log(`\n=== ${s}`);

async function main() {
  step(
    "toolchain (pulumi CLI, language host, vcsim, pulumi-resource-kubernetes, kube-apiserver; cached after the first run)",
  );
  await sh("bash", ["scripts/toolchain.sh"]);
  await sh("npm", ["run", "--silent", "build"]);

  step("starting the simulators and a Kubernetes API server on 127.0.0.1");
  const sims = await startLocalSimulators();
  console.log(
    `vcsim: ${sims.vcsim.url}\nvCD simulator: ${sims.vcd.url}\nkube-apiserver: ${sims.kube.server} (kubeconfig: ${LOCAL.kubeconfigFile})`,
  );
  let stopped = false;
  const stop = async () => {
    if (!stopped) await sims.stop();
    stopped = true;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void stop().then(() => process.exit(130)));

  try {
    await selectLocalStack();
    // The simulators start empty on every run: forget anything a previous run left in the local state.
    await pulumi(["refresh", "--yes", "--skip-preview", "--non-interactive"]);

    step("pulumi up");
    await pulumi(["up", "--yes", "--non-interactive"]);

    step("what it created");
    const outputs = JSON.parse(await pulumiCapture(["stack", "output", "--json"]));
    for (const [name, value] of Object.entries(outputs)) {
      console.log(`${name}:`);
      for (const line of Array.isArray(value) ? value : [value])
        console.log(`  ${typeof line === "string" ? line : JSON.stringify(line)}`);
    }
    console.log(`\nin the Kubernetes API server (read directly), namespace ${outputs.kubernetesNamespace}:`);
    for (const line of await kubernetesObjects(sims.kube, outputs.kubernetesNamespace)) console.log(`  ${line}`);

    step(
      "pulumi preview --diff of a change (replicas 3 -> 5: the VM group, the vApp's metadata and the web-vms ConfigMap), from a scratch copy of the stack config",
    );
    const changed = path.join(LOCAL_DIR, "Pulumi.local.changed.yaml");
    fs.copyFileSync(path.join(REPO, "Pulumi.local.yaml"), changed);
    await pulumi(["config", "set", "replicas", "5", "--config-file", changed]);
    await pulumi(["preview", "--diff", "--non-interactive", "--config-file", changed]);

    if (keep) {
      step("the stack is up and the simulators keep running (Ctrl-C to stop them)");
      console.log(
        [
          "In another terminal:",
          "  npm run local -- config set replicas 5   # change the group",
          "  npm run local -- preview --diff          # see the plan",
          "  npm run local -- up --yes                # apply it",
          "  npm run local -- destroy --yes           # remove everything",
          `  KUBECONFIG=${path.relative(process.cwd(), LOCAL.kubeconfigFile)} kubectl get all,cm,secrets -n ${outputs.kubernetesNamespace}   # with a kubectl of your own`,
        ].join("\n"),
      );
      await new Promise(() => undefined);
    }

    step("pulumi destroy");
    await pulumi(["destroy", "--yes", "--skip-preview", "--non-interactive"]);
    const ns = await sims.kube.request("GET", `/api/v1/namespaces/${outputs.kubernetesNamespace}`);
    console.log(
      `namespace ${outputs.kubernetesNamespace}: ${ns.status === 404 ? "gone" : `still there (${ns.status})`}`,
    );
    console.log(
      [
        "",
        "Done. To try it yourself: `npm run demo -- --keep` keeps the simulators and the stack up; then, in another",
        "terminal, `npm run local -- preview --diff` after `npm run local -- config set replicas 5`, and",
        "`npm run local -- destroy --yes` to remove it all.",
      ].join("\n"),
    );
    console.log(`\ndemo wall time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    if (!keep) await stop();
  }
}

/** `Kind name` of what the namespace holds, as the API server reports it (not through Pulumi). */
async function kubernetesObjects(kube: Kube, namespace: string): Promise<string[]> {
  const out: string[] = [];
  for (const [kind, collection] of [
    ["Secret", `/api/v1/namespaces/${namespace}/secrets`],
    ["ConfigMap", `/api/v1/namespaces/${namespace}/configmaps`],
    ["Deployment", `/apis/apps/v1/namespaces/${namespace}/deployments`],
    ["Service", `/api/v1/namespaces/${namespace}/services`],
  ]) {
    const r = await kube.request("GET", collection);
    if (r.status !== 200) throw new Error(`GET ${collection}: ${r.status}`);
    for (const o of r.body.items) {
      if (o.metadata.name === "kube-root-ca.crt") continue; // the API server's own, in every namespace
      const template = o.metadata.annotations?.[TEMPLATE_ANNOTATION];
      out.push(`${kind} ${o.metadata.name}${template ? `  (template ${template})` : ""}`);
    }
  }
  return out;
}

main().catch((err) => {
  console.error(`\ndemo failed: ${err.message}`);
  process.exit(1);
});
