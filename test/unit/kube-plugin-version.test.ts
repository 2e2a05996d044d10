// The engine asks for the Kubernetes plugin version that @pulumi/kubernetes declares; the toolchain builds one
// version of pulumi-resource-kubernetes. They must be the same, or the engine would want another plugin (and, with
// automatic plugin acquisition off, fail).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..");

describe("pulumi-resource-kubernetes version", () => {
  it("is the same in package.json, the installed @pulumi/kubernetes and scripts/toolchain/kubernetes.sh", () => {
    const pinned = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).dependencies[
      "@pulumi/kubernetes"
    ];
    const installed = JSON.parse(
      fs.readFileSync(path.join(REPO, "node_modules", "@pulumi", "kubernetes", "package.json"), "utf8"),
    );
    const built = /^K8S_PROVIDER_VERSION=(\S+)$/m.exec(
      fs.readFileSync(path.join(REPO, "scripts", "toolchain", "kubernetes.sh"), "utf8"),
    )?.[1];
    assert.match(pinned, /^\d+\.\d+\.\d+$/, "pinned exactly");
    assert.equal(installed.version, pinned);
    assert.deepEqual(
      installed.pulumi,
      { resource: true, name: "kubernetes", version: pinned },
      "the plugin the engine will ask for",
    );
    assert.equal(built, pinned, "the plugin the toolchain builds");
  });
});
