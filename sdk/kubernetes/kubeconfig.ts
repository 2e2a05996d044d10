// Checks that a kubeconfig can be used before anything is handed to the Kubernetes provider: pulumi-kubernetes
// records a kubeconfig that does not parse in its provider state, and every later diff then fails on that old value.
// Messages never quote the text: a kubeconfig holds client keys and tokens.
import { parseDocument } from "yaml";

/**
 * Problems with a kubeconfig's text (an empty list when it is usable): YAML that does not parse (with the line),
 * no `clusters`/`contexts`/`users` lists, no `current-context`, or a current context whose cluster has no `server`.
 * The shape is the one `kubectl config view` prints (client-go's clientcmd v1.Config).
 */
export function kubeconfigProblems(text: string): string[] {
  const doc = parseDocument(text, { prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const line = text.slice(0, err.pos[0]).split("\n").length;
    return [
      `does not parse as YAML${line ? ` (line ${line})` : ""}: ${err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
    ];
  }
  const cfg: unknown = doc.toJS();
  if (!cfg || typeof cfg !== "object" || Array.isArray(cfg))
    return ["is not a kubeconfig (a YAML mapping with clusters, contexts and users)"];
  const c = cfg as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of ["clusters", "contexts", "users"]) if (!Array.isArray(c[k])) problems.push(`has no \`${k}\` list`);
  if (problems.length) return problems;
  const named = (k: string, name: unknown) =>
    (c[k] as { name?: unknown }[]).find((e) => e && e.name === name) as Record<string, any> | undefined;
  const current = c["current-context"];
  if (typeof current !== "string" || !current) return ["has no `current-context`"];
  const context = named("contexts", current);
  if (!context) return [`current-context "${current}" is not in \`contexts\``];
  const cluster = named("clusters", context.context?.cluster);
  if (!cluster)
    return [`context "${current}" names cluster "${String(context.context?.cluster)}", which is not in \`clusters\``];
  if (typeof cluster.cluster?.server !== "string" || !cluster.cluster.server)
    problems.push(`cluster "${String(cluster.name)}" has no \`server\``);
  return problems;
}
