// govc (govmomi's CLI) against a running vcsim: an independent view of vCenter's inventory, so tests do not
// only trust our own client.
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Vcsim } from "../../simulators/vcsim";
import { toolchainBinary } from "../../simulators/toolchain";

export function govc(sim: Vcsim, args: string[]): Promise<string> {
  const caFile = path.join(os.tmpdir(), `vcsim-ca-${sim.url.replace(/\W/g, "_")}.pem`);
  if (sim.ca) fs.writeFileSync(caFile, sim.ca);
  return new Promise((resolve, reject) =>
    execFile(
      toolchainBinary("govc"),
      args,
      {
        env: {
          ...process.env,
          GOVC_URL: sim.url,
          GOVC_USERNAME: sim.username,
          GOVC_PASSWORD: sim.password,
          ...(sim.ca ? { GOVC_TLS_CA_CERTS: caFile } : { GOVC_INSECURE: "1" }),
        },
        maxBuffer: 32 * 1024 * 1024,
      },
      (err, stdout, stderr) =>
        err ? reject(new Error(`govc ${args.join(" ")}: ${stderr || err.message}`)) : resolve(String(stdout)),
    ),
  );
}

export interface GovcVm {
  name: string;
  cpu: number;
  memoryMB: number;
  powerState: string;
}

/** VMs directly in an inventory folder, as govc sees them. */
export async function vmsInFolder(sim: Vcsim, folderPath: string): Promise<GovcVm[]> {
  const names = (await govc(sim, ["find", folderPath, "-type", "m", "-maxdepth", "1"])).split("\n").filter(Boolean);
  if (!names.length) return [];
  const info = JSON.parse(await govc(sim, ["vm.info", "-json", ...names]));
  const list = info.virtualMachines ?? info.VirtualMachines ?? [];
  return list
    .map((vm: any) => ({
      name: vm.name ?? vm.Name,
      cpu: (vm.config ?? vm.Config).hardware?.numCPU ?? (vm.config ?? vm.Config).Hardware?.NumCPU,
      memoryMB: (vm.config ?? vm.Config).hardware?.memoryMB ?? (vm.config ?? vm.Config).Hardware?.MemoryMB,
      powerState: (vm.runtime ?? vm.Runtime).powerState ?? (vm.runtime ?? vm.Runtime).PowerState,
    }))
    .sort((a: GovcVm, b: GovcVm) => a.name.localeCompare(b.name));
}

/** Every inventory path under the root, to compare the inventory before and after a test. */
export async function inventory(sim: Vcsim): Promise<string[]> {
  return (await govc(sim, ["find", "/"])).split("\n").filter(Boolean).sort();
}
