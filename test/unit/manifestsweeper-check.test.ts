// ManifestSweeper check(): the inputs exactly as the engine hands them over (with `__provider`) pass; a bad owner
// or kubeconfig is refused naming the property, never quoting the kubeconfig.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { check } from "../../providers/manifestsweeper/handlers";
import { ownerId } from "../../sdk/kubernetes/owner";

const kubeconfig = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]",
  "users: [{name: u, user: {token: s3cr3t-token}}]",
  "contexts: [{name: x, context: {cluster: c, user: u}}]",
  "current-context: x",
  "",
].join("\n");

const inputs = (over: Record<string, unknown> = {}) =>
  ({
    owner: ownerId("proj", "dev", "ops"),
    kinds: [{ apiVersion: "v1", kind: "Secret", namespace: "ns" }],
    kubeconfig,
    __provider: "serialized provider text",
    ...over,
  }) as any;

describe("ManifestSweeper check()", () => {
  it("accepts what the engine sends, __provider included, and keeps it", async () => {
    const result = await check({}, inputs());
    assert.deepEqual(result.failures, []);
    assert.equal((result.inputs as any).__provider, "serialized provider text");
  });

  it("refuses an owner that is not a label value", async () => {
    const result = await check({}, inputs({ owner: "has space" }));
    assert.deepEqual(
      result.failures?.map((f) => f.property),
      ["owner"],
    );
  });

  it("refuses a kubeconfig file that does not exist, and one without a server, never quoting its text", async () => {
    const missing = path.join(os.tmpdir(), `no-such-kubeconfig-${process.pid}`);
    const [gone] = (await check({}, inputs({ kubeconfig: missing }))).failures ?? [];
    assert.equal(gone.property, "kubeconfig");
    assert.match(gone.reason, /does not exist/);
    const broken = kubeconfig.replace("server: 'https://127.0.0.1:6443'", "insecure-skip-tls-verify: true");
    const failures = (await check({}, inputs({ kubeconfig: broken }))).failures ?? [];
    assert.ok(failures.length > 0, "a kubeconfig whose cluster has no server is refused");
    for (const f of failures) {
      assert.equal(f.property, "kubeconfig");
      assert.doesNotMatch(f.reason, /s3cr3t-token/);
    }
    assert.ok(!fs.existsSync(missing));
  });
});
