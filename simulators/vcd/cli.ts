// Runs the vCD simulator as a process: `ts-node simulators/vcd/cli.ts --port 8443 [--config seed.json]`.
// Binds 127.0.0.1 only and prints the URL on stdout (no credentials are printed).
import { readFileSync } from "fs";
import { defaultSeed, startVcdSimulator, VcdSimulatorConfig } from "./index";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const configPath = arg("config");
  const config: VcdSimulatorConfig = configPath ? JSON.parse(readFileSync(configPath, "utf8")) : defaultSeed();
  const sim = await startVcdSimulator(config, { port: Number(arg("port") ?? "8443"), host: "127.0.0.1" });
  process.stdout.write(`${sim.url}\n`);
  const stop = () => void sim.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`vcd simulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
