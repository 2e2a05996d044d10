// `npm run bench`: runs every benchmark and prints its figures.
import { benchVmGroup } from "./vmgroup";
import { benchVcdVapp } from "./vcdvapp";
import { benchVCenter } from "./vcenter";
import { benchSessions } from "./sessions";
import { benchUp } from "./up";
import { benchPeer } from "./peer";

const BENCHES: Record<string, () => Promise<Record<string, number>>> = {
  VmGroup: benchVmGroup,
  VcdVapp: benchVcdVapp,
  VCenterTemplate: benchVCenter,
  Sessions: benchSessions,
  Up: benchUp,
  Peer: benchPeer,
};
/** Run only when named (`npm run bench:peer`): they need what `bash scripts/peer.sh` builds. */
const OPT_IN = ["Peer"];

(async () => {
  const only = process.argv.slice(2);
  for (const [name, run] of Object.entries(BENCHES)) {
    if (only.length ? !only.includes(name) : OPT_IN.includes(name)) continue;
    console.log(`\n${name}`);
    for (const [k, v] of Object.entries(await run())) console.log(`  ${k.padEnd(60)} ${v}`);
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
