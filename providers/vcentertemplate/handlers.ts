// The VCenterTemplate dynamic provider: thin glue from Pulumi's check/diff/create/read/update/delete to
// sdk/vcenter/template (discover → log on → inventory → render). Loaded by package name from the serialized provider
// (provider.ts), so it runs from dist/ in the provider process. Nothing here logs: contexts hold passwords.
import type * as pulumi from "@pulumi/pulumi";
import { transportWarnings, vcenterTemplateInputsSchema } from "../../sdk/schemas";
import { syntaxErrorsIsolated } from "../../sdk/vcenter/isolate";
import { observe } from "../../sdk/vcenter/template/observe";
import { labelOf, templateSources } from "../../sdk/vcenter/template/planner";
import { checkInputs } from "../common/check";
import { warn } from "../common/log";
import { changedInputs, inputsOf, outputsOf, Props, reusableDiscovery, State, templateFailures } from "./diff";
import type { Handlers } from "../common/provider";

const idOf = (p: Props): string => `${p.namespace}/${p.resourceName ?? "vcenter-templates"}`;

export async function check(_olds: Partial<State>, news: Props): Promise<pulumi.dynamic.CheckResult<Props>> {
  const result = checkInputs(vcenterTemplateInputsSchema, news);
  const p = result.inputs as Props;
  if (result.failures.length) return { inputs: p, failures: result.failures };
  // Template syntax (with template and line) is judged here too, before any DNS or vCenter call.
  const urls = Object.entries(p.endpoints ?? {}).map(([h, url]) => ({ path: `endpoints.${h}`, url }));
  for (const w of transportWarnings(p, urls)) await warn(`${labelOf(p)}: ${w}`);
  // Unknown (preview) template items have no name or options yet: judged at `up`.
  const known = Array.isArray(p.templates) && p.templates.every((t) => t && t.options && typeof t.name === "string");
  // Compiled in the isolated render process: nunjucks generates and evaluates JavaScript from the template text.
  return {
    inputs: p,
    failures: known ? templateFailures(p, await syntaxErrorsIsolated(templateSources(p))) : [],
  };
}

export async function diff(_id: string, olds: State, news: Props): Promise<pulumi.dynamic.DiffResult> {
  // An input change re-renders in place; there is nothing in vCenter to replace.
  return { changes: changedInputs(olds, news).length > 0, replaces: [], deleteBeforeReplace: false };
}

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult<State>> {
  return { id: idOf(inputs), outs: outputsOf(inputs, await observe(inputs)) };
}

/** Re-discovers, re-collects and re-renders: `pulumi refresh` sees new, removed or changed clusters and vCenters. */
export async function read(id: string, props: State): Promise<pulumi.dynamic.ReadResult<State>> {
  const outs = outputsOf(props, await observe(props, reusableDiscovery(props, props), props.inventory));
  return { id, props: outs, inputs: inputsOf(props) };
}

export async function update(_id: string, olds: State, news: Props): Promise<pulumi.dynamic.UpdateResult<State>> {
  return { outs: outputsOf(news, await observe(news, reusableDiscovery(olds, news), olds.inventory)) };
}

/** Nothing to remove in vCenter; the Kubernetes objects belong to the resources built from `manifests`. */
export async function remove(_id: string, _props: State): Promise<void> {}

/** The operations, checked against what the runtime expects of every kind (providers/common/provider.ts). */
export const operations: Handlers<Props, State> = { check, diff, create, read, update, remove };
