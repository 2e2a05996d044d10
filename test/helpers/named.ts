// Tests that need the real bind9: install it with the project's script when it is missing (needs root), and
// skip the suite, with the script's output as the reason, where that cannot be done.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { NAMED } from "../../simulators/dns";

export function ensureNamed(ctx: Mocha.Context): void {
  if (fs.existsSync(NAMED)) return;
  try {
    execFileSync("bash", [path.join(__dirname, "..", "..", "scripts", "dns-server.sh")], {
      stdio: "inherit",
      timeout: 600000,
    });
  } catch {
    ctx.skip();
  }
}
