// The VCenterTemplate dynamic provider: thin glue from Pulumi's check/diff/create/read/update/delete to
// observe() (discover → log on → inventory → render). Loaded by package name from the serialized provider
// (provider.ts), so it runs from dist/ in the provider process. Nothing here logs: contexts hold passwords.
import type * as pulumi from "@pulumi/pulumi";
import { checkInputs, transportWarnings, vcenterTemplateInputsSchema } from "../../sdk/schemas";
import type { VCenterInventory } from "../../sdk/schemas/vcentertemplate";
import { warn } from "../common/log";
import { observe } from "./observe";
import { syntaxErrorsIsolated } from "../../sdk/vcenter/isolate";
import {
  changedInputs,
  inputsOf,
  outputsOf,
  Props,
  reusableDiscovery,
  templateFailures,
  templateSources,
} from "./plan";

const idOf = (p: Props): string => `${p.namespace}/${p.resourceName ?? "vcenter-templates"}`;

export async function check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const result = checkInputs(vcenterTemplateInputsSchema, news);
  if (result.failures.length) return result;
  // Template syntax (with template and line) is judged here too, before any DNS or vCenter call.
  const p = result.inputs as Props;
  const urls = Object.entries(p.endpoints ?? {}).map(([h, url]) => ({ path: `endpoints.${h}`, url }));
  for (const w of transportWarnings(p, urls)) await warn(`VCenterTemplate "${p.resourceName ?? p.namespace}": ${w}`);
  const known = Array.isArray(p.templates) && p.templates.every((t) => t && t.options && typeof t.name === "string");
  // Compiled in the isolated render process: nunjucks generates and evaluates JavaScript from the template text.
  return {
    inputs: result.inputs,
    failures: known ? templateFailures(p, await syntaxErrorsIsolated(templateSources(p))) : [],
  };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  // An input change re-renders in place; there is nothing in vCenter to replace.
  return { changes: changedInputs(olds, news).length > 0, replaces: [], deleteBeforeReplace: false };
}

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  return { id: idOf(inputs), outs: outputsOf(inputs, await observe(inputs)) };
}

/** Re-discovers, re-collects and re-renders: `pulumi refresh` sees new, removed or changed clusters and vCenters. */
export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  const outs = outputsOf(
    props,
    await observe(props, reusableDiscovery(props, props), props.inventory as VCenterInventory[] | undefined),
  );
  return { id, props: outs, inputs: inputsOf(props) };
}

export async function update(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  return {
    outs: outputsOf(
      news,
      await observe(news, reusableDiscovery(olds, news), olds.inventory as VCenterInventory[] | undefined),
    ),
  };
}

/** Nothing to remove in vCenter; the Kubernetes objects belong to the resources built from `manifests`. */
export async function remove(_id: string, _props: Props): Promise<void> {}
