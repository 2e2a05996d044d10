// The ManifestSweeper dynamic provider: records which objects a VCenterManifests labels as its own, and at delete
// removes those still in the cluster (sdk/kubernetes/sweep). The engine deletes the ConfigGroups and every object
// in the state first (they depend on the sweeper), so what a sweep finds is what the state never recorded: an
// apply that reached the API server but whose answer was lost.
import * as fs from "fs";
import type * as pulumi from "@pulumi/pulumi";
import { manifestSweeperInputsSchema } from "../../sdk/schemas";
import type { KubeClient } from "../../sdk/kubernetes/client";
import { kubeconfigProblems } from "../../sdk/kubernetes/kubeconfig";
import { mergeKinds } from "../../sdk/kubernetes/owner";
import { checkInputs, containsUnknown } from "../common/check";
import { warn } from "../common/log";
import type { Handlers } from "../common/provider";
import { changedInputs, inputsOf, Props, REPLACE_KEYS, State } from "./diff";

export async function check(_olds: Partial<State>, news: Props): Promise<pulumi.dynamic.CheckResult<Props>> {
  const result = checkInputs(manifestSweeperInputsSchema, news);
  const p = result.inputs as Props;
  if (result.failures.length || typeof p.kubeconfig !== "string" || containsUnknown(p.kubeconfig))
    return { inputs: p, failures: result.failures };
  // As kubeconfigFromConfig judges it (providers/kubernetes/kubeconfig.ts); never quoting the text.
  const isText = p.kubeconfig.includes("\n");
  if (!isText && !fs.existsSync(p.kubeconfig))
    return { inputs: p, failures: [{ property: "kubeconfig", reason: `file ${p.kubeconfig} does not exist` }] };
  const problems = kubeconfigProblems(isText ? p.kubeconfig : fs.readFileSync(p.kubeconfig, "utf8"));
  return {
    inputs: p,
    failures: problems.map((reason) => ({ property: "kubeconfig", reason: `the kubeconfig ${reason}` })),
  };
}

export async function diff(_id: string, olds: State, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const changed = changedInputs(olds, news);
  return {
    changes: changed.length > 0,
    replaces: REPLACE_KEYS.filter((k) => changed.includes(k)),
    deleteBeforeReplace: false,
  };
}

/** Loaded on first use: @kubernetes/client-node takes ~0.6 s to load, and check, diff and read do not need it. */
const kubeClient = (kubeconfig?: string): KubeClient =>
  (require("../../sdk/kubernetes/client") as typeof import("../../sdk/kubernetes/client")).KubeClient.fromKubeconfig(
    kubeconfig,
  );

/** The API server the kubeconfig points at: recorded, so a delete never sweeps another cluster. */
const serverOf = (p: Props) => kubeClient(p.kubeconfig).server;

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult<State>> {
  return { id: inputs.owner, outs: { ...inputsOf(inputs), server: serverOf(inputs) } };
}

export async function read(id: string, props: State): Promise<pulumi.dynamic.ReadResult<State>> {
  return { id, props, inputs: inputsOf(props) };
}

export async function update(_id: string, olds: State, news: Props): Promise<pulumi.dynamic.UpdateResult<State>> {
  return {
    outs: { ...inputsOf(news), kinds: mergeKinds(olds.kinds ?? [], news.kinds ?? []), server: serverOf(news) },
  };
}

/** Deletes every object still labelled with this owner, in the recorded collections, on the recorded server. */
export async function remove(_id: string, props: State): Promise<void> {
  const client = kubeClient(props.kubeconfig);
  if (props.server && client.server !== props.server)
    throw new Error(
      `the kubeconfig now points at ${client.server}, but the objects labelled ${props.owner} were applied to ` +
        `${props.server}: nothing was deleted. Point the kubeconfig back at ${props.server}, or (to leave any ` +
        `such objects behind) \`pulumi state delete\` this resource`,
    );
  const { sweep } =
    require("../../sdk/kubernetes/sweep/executor") as typeof import("../../sdk/kubernetes/sweep/executor");
  const deleted = await sweep(client, props.kinds ?? [], props.owner);
  if (deleted.length)
    await warn(
      `deleted ${deleted.length} object(s) whose apply answer was lost (not in the state): ${deleted.join(", ")}`,
    );
}

export const operations: Handlers<Props, State> = { check, diff, create, read, update, remove };
