// `npm run demo`: the demo program (examples/demo) on the `local` stack, against the embedded simulators.
// It starts the simulators, runs `pulumi up`, prints what was made, shows `preview --diff` of a change, and
// destroys it all again. `npm run demo -- --keep` leaves the stack up and the simulators running for you to
// try commands yourself (`npm run local -- <pulumi args>` in another terminal).
import * as fs from "fs";
import * as path from "path";
import { LOCAL_DIR, pulumi, pulumiCapture, REPO, selectLocalStack, sh, startLocalSimulators } from "./local-env";

const keep = process.argv.includes("--keep");
const step = (s: string) => console.log(`\n=== ${s}`);

async function main() {
  step("toolchain (pulumi CLI, language host, vcsim; cached after the first run)");
  await sh("bash", ["scripts/toolchain.sh"]);
  await sh("npm", ["run", "--silent", "build"]);

  step("starting the simulators on 127.0.0.1");
  const sims = await startLocalSimulators();
  console.log(`vcsim: ${sims.vcsim.url}\nvCD simulator: ${sims.vcd.url}`);
  let stopped = false;
  const stop = async () => {
    if (!stopped) await sims.stop();
    stopped = true;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop().then(() => process.exit(130)));

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
      for (const line of Array.isArray(value) ? value : [value]) console.log(`  ${typeof line === "string" ? line : JSON.stringify(line)}`);
    }

    step("pulumi preview --diff of a change (replicas 3 -> 5), from a scratch copy of the stack config");
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
        ].join("\n"),
      );
      await new Promise(() => undefined);
    }

    step("pulumi destroy");
    await pulumi(["destroy", "--yes", "--skip-preview", "--non-interactive"]);
    console.log(
      [
        "",
        "Done. To try it yourself: `npm run demo -- --keep` keeps the simulators and the stack up; then, in another",
        "terminal, `npm run local -- preview --diff` after `npm run local -- config set replicas 5`, and",
        "`npm run local -- destroy --yes` to remove it all.",
      ].join("\n"),
    );
  } finally {
    if (!keep) await stop();
  }
}

main().catch((err) => {
  console.error(`\ndemo failed: ${err.message}`);
  process.exit(1);
});
