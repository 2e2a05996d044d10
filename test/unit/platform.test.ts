// The claimed combinations (scripts/toolchain/versions.json) agree with package.json: the dev setup is the current
// combination, the peer ranges start at the oldest, and Node.js's engines floor is the oldest Node.js.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { combination } from "../../simulators/toolchain";

const REPO = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
const floor = (range: string) => /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];

describe("supported platforms", () => {
  const current = combination("current");
  const oldest = combination("oldest");

  it("develops on the current combination: the dev pins are its @pulumi/pulumi and the provider plugin's SDK", () => {
    assert.equal(pkg.devDependencies["@pulumi/pulumi"], current.sdk);
    assert.ok(pkg.devDependencies["@pulumi/kubernetes"], "a dev pin of @pulumi/kubernetes");
  });

  it("peers @pulumi/pulumi and @pulumi/kubernetes (no copy of its own) from the oldest tested version on", () => {
    assert.equal(pkg.dependencies["@pulumi/pulumi"], undefined);
    assert.equal(pkg.dependencies["@pulumi/kubernetes"], undefined);
    assert.equal(floor(pkg.peerDependencies["@pulumi/pulumi"]), oldest.sdk);
    assert.equal(floor(pkg.peerDependencies["@pulumi/kubernetes"]), pkg.devDependencies["@pulumi/kubernetes"]);
  });

  it("claims the Node.js the oldest combination runs, and a CLI at least as new as the SDK's floor", () => {
    assert.equal(pkg.engines.node, `>=${oldest.node.replace(/\.0$/, "")}`);
    assert.equal(oldest.pulumi, oldest.sdk);
    assert.ok(Number(current.node.split(".")[0]) >= 24, "the current combination is on Node.js 24 LTS or later");
  });

  it("says in README which combinations CI runs", () => {
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    for (const c of [current, oldest]) {
      assert.match(
        readme,
        new RegExp(
          `Node\\.js ${c.node.replace(/\./g, "\\.")}, pulumi CLI ${c.pulumi.replace(/\./g, "\\.")}, \`@pulumi/pulumi\` ${c.sdk.replace(/\./g, "\\.")}`,
        ),
      );
    }
    const ci = fs.readFileSync(path.join(REPO, ".ci", "run"), "utf8");
    assert.match(ci, /^npm test$/m);
    assert.match(ci, /^npm run test:oldest\b/m);
    assert.match(ci, /^npm run lint$/m);
  });
});
