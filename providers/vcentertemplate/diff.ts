// Pulumi semantics of VCenterTemplate: which state keys are inputs, the outputs recorded, what a diff is, which
// recorded discovery may be reused, and template syntax errors as check() failures.
import type { DiscoveredVCenters } from "../../sdk/schemas";
import type { CheckFailure } from "../common/check";
import type { DiscoveryState } from "../../sdk/vcenter/discovery";
import { normalizeHost } from "../../sdk/vcenter/hostname";
import type { Observation, TemplateOutputs, TemplateSpec } from "../../sdk/vcenter/template/model";
import { outputsOfObservation, templateSources } from "../../sdk/vcenter/template/planner";
import type { TemplateRenderError } from "../../sdk/vcenter/templates";
import { sameInput } from "../common/diff";

/** The inputs as Pulumi hands them over: `__provider` and whatever else the engine adds ride along. */
export type Props = TemplateSpec & { __provider?: string; [k: string]: unknown };

/** The state: the inputs and, once created, the outputs. */
export type State = Props & Partial<TemplateOutputs>;

/** The inputs, in the order they are recorded; everything else in the state is observed. */
export const INPUT_KEYS = [
  "discovery",
  "credentials",
  "templates",
  "namespace",
  "variables",
  "domain",
  "cells",
  "endpoints",
  "insecure",
  "ca",
  "pruneGuard",
  "allowHttp",
  "timeouts",
  "resourceName",
] as const;

/**
 * Template syntax errors as check() failures on `templates[i].template`, with the line. `errors`: syntaxErrors of
 * templateSources(p), computed in the render process by check() (compiling generates and runs JavaScript).
 */
export function templateFailures(
  p: Pick<Props, "templates" | "namespace">,
  errors: TemplateRenderError[],
): CheckFailure[] {
  const sources = templateSources(p);
  return errors.map((e) => {
    const i = sources.findIndex((s) => e.template === `vcenter_${s.scope}/${s.namespace}/${s.name}.yaml.j2`);
    return { property: i >= 0 ? `templates[${i}].template` : "templates", reason: e.message };
  });
}

/** The recorded inputs of a state (inputs observed for refresh: the resource observes none of them). */
export function inputsOf(p: Props): Props {
  // Every required input is among INPUT_KEYS, so what is left is still Props.
  return Object.fromEntries(INPUT_KEYS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]])) as Props;
}

/** The state to record: the inputs and the outputs of the observation. */
export function outputsOf(p: Props, o: Observation): State {
  return { ...inputsOf(p), ...outputsOfObservation(p, o) };
}

/** The recorded discovery may be reused (serial skip) only when it asked the same server about the same zone. */
export function reusableDiscovery(olds: Partial<State> | undefined, news: Props): DiscoveryState | undefined {
  const a = olds?.discovery?.dns;
  const b = news.discovery.dns;
  const seen: DiscoveredVCenters | undefined = olds?.vcenters;
  if (!a || !b || !seen || seen.serial === undefined) return undefined;
  const same =
    a.server === b.server &&
    a.port === b.port &&
    normalizeHost(a.zone) === normalizeHost(b.zone) &&
    a.tsigKeyName === b.tsigKeyName;
  return same ? { serial: seen.serial, vcenters: [...seen.hosts] } : undefined;
}

/** Changed inputs. Nothing is ever replaced: the resource makes nothing in vCenter, it only reads and renders. */
export function changedInputs(olds: Partial<Props>, news: Partial<Props>): string[] {
  return INPUT_KEYS.filter((k) => k !== "resourceName" && !sameInput(olds[k], news[k]));
}
