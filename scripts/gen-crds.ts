// Regenerates crds/ from the zod schemas. `npm test` fails when crds/ is stale (test/unit/crds.test.ts).
import * as fs from "fs";
import * as path from "path";
import { allCrds } from "../sdk/schemas/crds";

const dir = path.join(__dirname, "..", "crds");
for (const [file, text] of Object.entries(allCrds())) {
  fs.writeFileSync(path.join(dir, file), text);
  console.log(`wrote crds/${file}`);
}
