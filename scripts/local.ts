// `npm run local -- <pulumi args>`: the pulumi CLI on the `local` stack, with the toolchain on PATH and the
// local backend and passphrase set. The simulators must be running (`npm run demo -- --keep`).
import { spawnSync } from "child_process";
import { pulumiEnv, REPO } from "./local-env";

// `--stack local` goes before a `--` (after it, pulumi takes everything as positional: `config set k -- -1`).
const args = process.argv.slice(2);
const end = args.includes("--") ? args.indexOf("--") : args.length;
const r = spawnSync("pulumi", [...args.slice(0, end), "--stack", "local", ...args.slice(end)], {
  cwd: REPO,
  env: pulumiEnv(),
  stdio: "inherit",
});
process.exit(r.status ?? 1);
