// kubeconfigProblems: what makes a kubeconfig unusable, named without quoting the text (it holds client keys).
import { strict as assert } from "assert";
import { kubeconfigProblems } from "../../sdk/kubernetes/kubeconfig";

const good = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{name: lab, cluster: {server: 'https://127.0.0.1:6443', certificate-authority-data: QUJD}}]",
  "users: [{name: admin, user: {client-key-data: U0VDUkVULUtFWQ==}}]",
  "contexts: [{name: lab, context: {cluster: lab, user: admin}}]",
  "current-context: lab",
].join("\n");

describe("kubeconfigProblems", () => {
  it("accepts a kubeconfig as kubectl writes it", () => {
    assert.deepEqual(kubeconfigProblems(good), []);
  });

  it("names the YAML line, and never quotes the text", () => {
    const broken = "apiVersion: v1\nusers: [{name: admin, user: {token: SECRET-TOKEN}\nclusters: [";
    const problems = kubeconfigProblems(broken);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^does not parse as YAML \(line \d+\): /);
    assert.doesNotMatch(problems[0], /SECRET-TOKEN/);
  });

  it("names what is missing or does not match", () => {
    assert.deepEqual(kubeconfigProblems("just text"), [
      "is not a kubeconfig (a YAML mapping with clusters, contexts and users)",
    ]);
    assert.deepEqual(kubeconfigProblems("apiVersion: v1\nclusters: []"), [
      "has no `contexts` list",
      "has no `users` list",
    ]);
    assert.deepEqual(kubeconfigProblems(good.replace("current-context: lab", "")), ["has no `current-context`"]);
    assert.deepEqual(kubeconfigProblems(good.replace("current-context: lab", "current-context: prod")), [
      'current-context "prod" is not in `contexts`',
    ]);
    assert.deepEqual(kubeconfigProblems(good.replace("{cluster: lab, user", "{cluster: gone, user")), [
      'context "lab" names cluster "gone", which is not in `clusters`',
    ]);
    assert.deepEqual(kubeconfigProblems(good.replace("server: 'https://127.0.0.1:6443', ", "")), [
      'cluster "lab" has no `server`',
    ]);
  });
});
