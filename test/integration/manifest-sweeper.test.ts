// The ManifestSweeper's handlers against a real kube-apiserver: at delete it removes exactly the objects labelled
// with its owner in the collections it recorded, and nothing else: not an object of another owner, not an unlabelled
// object of the same name pattern, not one in a collection it never recorded, not on another cluster.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as h from "../../providers/manifestsweeper/handlers";
import { OWNER_LABEL, ownerId } from "../../sdk/kubernetes/owner";
import { useKube } from "../helpers/kube";

const NS = "sweep";
const OWNER = ownerId("p", "dev", "vcenter-operator");
const OTHER = ownerId("p", "prod", "vcenter-operator");

describe("ManifestSweeper (handlers against a real kube-apiserver)", function () {
  this.timeout(120_000);
  const kube = useKube();

  const configMap = (name: string, labels: Record<string, string> = {}) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: NS, labels },
    data: { k: "v" },
  });
  const names = async (collection: string) =>
    ((await kube().request("GET", collection)).body.items as any[])
      .map((o) => o.metadata.name as string)
      .filter((n) => n !== "kube-root-ca.crt")
      .sort();

  before(async () => {
    assert.equal((await kube().request("POST", "/api/v1/namespaces", { metadata: { name: NS } })).status, 201);
  });

  it("check() refuses a kubeconfig file that does not exist or does not parse, naming the property, never the text", async () => {
    const missing = await h.check({}, { owner: OWNER, kinds: [], kubeconfig: "/nonexistent/kubeconfig" });
    assert.deepEqual(
      missing.failures?.map((f) => f.property),
      ["kubeconfig"],
    );
    const text = "token: s3cr3t-token\n  : [";
    const broken = await h.check({}, { owner: OWNER, kinds: [], kubeconfig: text });
    assert.equal(broken.failures?.[0]?.property, "kubeconfig");
    assert.ok(!broken.failures![0].reason.includes("s3cr3t"), broken.failures![0].reason);
    const bad = await h.check({}, { owner: "Not A Label!", kinds: [] });
    assert.equal(bad.failures?.[0]?.property, "owner");
  });

  it("delete removes the objects labelled with its owner, and leaves another owner's, unlabelled and unrecorded ones", async () => {
    const cms = `/api/v1/namespaces/${NS}/configmaps`;
    const secrets = `/api/v1/namespaces/${NS}/secrets`;
    for (const o of [
      configMap("lost-answer", { [OWNER_LABEL]: OWNER }),
      configMap("other-stack", { [OWNER_LABEL]: OTHER }),
      configMap("hand-made"),
    ])
      assert.equal((await kube().request("POST", cms, o)).status, 201);
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "not-recorded", labels: { [OWNER_LABEL]: OWNER } },
    };
    assert.equal((await kube().request("POST", secrets, secret)).status, 201);

    const inputs = await h.check(
      {},
      {
        owner: OWNER,
        kinds: [
          { apiVersion: "v1", kind: "ConfigMap", namespace: NS },
          // A kind the API server does not serve (a CRD since removed): nothing to list, not an error.
          { apiVersion: "example.com/v1", kind: "Gone", namespace: NS },
        ],
        kubeconfig: kube().kubeconfig,
      },
    );
    assert.deepEqual(inputs.failures, []);
    const created = await h.create(inputs.inputs as h.Props);
    assert.equal(created.outs.server, kube().server, "the state records the API server");
    await h.remove(created.id, created.outs);
    assert.deepEqual(await names(cms), ["hand-made", "other-stack"]);
    assert.deepEqual(await names(secrets), ["not-recorded"], "a collection never recorded is not swept");

    // An update adds a collection and keeps the old ones.
    const grown = await h.update(created.id, created.outs, {
      ...(inputs.inputs as h.Props),
      kinds: [{ apiVersion: "v1", kind: "Secret", namespace: NS }],
    });
    // Sorted by apiVersion, then kind.
    assert.deepEqual(
      grown.outs.kinds.map((k) => k.kind),
      ["Gone", "ConfigMap", "Secret"],
    );
    await h.remove(created.id, grown.outs);
    assert.deepEqual(await names(secrets), []);
  });

  it("delete refuses, touching nothing, when the kubeconfig now points at another API server", async () => {
    const cms = `/api/v1/namespaces/${NS}/configmaps`;
    assert.equal((await kube().request("POST", cms, configMap("elsewhere", { [OWNER_LABEL]: OWNER }))).status, 201);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sweep-")), "kubeconfig");
    fs.writeFileSync(file, kube().kubeconfig, { mode: 0o600 });
    const created = await h.create({
      owner: OWNER,
      kinds: [{ apiVersion: "v1", kind: "ConfigMap", namespace: NS }],
      kubeconfig: file,
    });
    fs.writeFileSync(
      file,
      kube().kubeconfig.replace(/server: https:\/\/127\.0\.0\.1:\d+/, "server: https://127.0.0.1:1"),
    );
    await assert.rejects(
      h.remove(created.id, created.outs),
      /now points at https:\/\/127\.0\.0\.1:1.*nothing was deleted/s,
    );
    assert.ok((await names(cms)).includes("elsewhere"));
    fs.writeFileSync(file, kube().kubeconfig);
    await h.remove(created.id, created.outs);
    assert.ok(!(await names(cms)).includes("elsewhere"));
  });
});
