// `npm run local -- <pulumi args>`: the pulumi CLI on the `local` stack, with the toolchain on PATH and the
// local backend and passphrase set. The simulators must be running (`npm run demo -- --keep`).
import { spawnSync } from "child_process";
import { pulumiEnv, REPO } from "./local-env";

const r = spawnSync("pulumi", [...process.argv.slice(2), "--stack", "local"], {
  cwd: REPO,
  env: pulumiEnv(),
  stdio: "inherit",
});
process.exit(r.status ?? 1);
