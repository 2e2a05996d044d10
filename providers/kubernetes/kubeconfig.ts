// The kubeconfig of a stack, from its config: a file or the text itself, checked at `pulumi preview` so a broken one
// never reaches the Kubernetes provider.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { kubeconfigProblems } from "../../sdk/kubernetes/kubeconfig";

/**
 * `<project>:<key>` as a kubeconfig for `new k8s.Provider(..., { kubeconfig })`: a file path (relative to `baseDir`)
 * or the kubeconfig's text (set it with `pulumi config set --secret`). Undefined when the key is not set: the
 * provider then uses $KUBECONFIG or ~/.kube/config, as kubectl does. Throws, naming the key and the problem (never
 * the text), when the file is missing or the kubeconfig is not usable (see kubeconfigProblems).
 * The result is a secret Output (the text may hold client keys).
 */
export function kubeconfigFromConfig(key = "kubeconfig", baseDir = process.cwd()): pulumi.Output<string> | undefined {
  const fullKey = `${pulumi.getProject()}:${key}`;
  // runtime.getConfig: the plain value without Config.get's "this is a secret" warning; it is only checked here.
  const value = pulumi.runtime.getConfig(fullKey);
  if (value === undefined || value === "") return undefined;
  const isText = value.includes("\n");
  const file = isText ? undefined : path.resolve(baseDir, value);
  if (file && !fs.existsSync(file)) throw new Error(`config ${key}: kubeconfig file ${file} does not exist`);
  const problems = kubeconfigProblems(file ? fs.readFileSync(file, "utf8") : value);
  if (problems.length) throw new Error(`config ${key}: the kubeconfig${file ? ` ${file}` : ""} ${problems.join("; ")}`);
  return pulumi.secret(file ?? value);
}
