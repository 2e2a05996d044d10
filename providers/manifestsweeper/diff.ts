// ManifestSweeper's Pulumi semantics: the state, what a diff is, which change replaces it.
import type { ManifestSweeperInputs } from "../../sdk/schemas";
import { coversKinds } from "../../sdk/kubernetes/owner";
import { containsUnknown } from "../common/check";
import { sameInput } from "../common/diff";

export type Props = ManifestSweeperInputs & { __provider?: string; [k: string]: unknown };

/** The state: the inputs, `kinds` grown to every collection ever recorded, and the API server swept. */
export type State = Props & { server?: string };

/** A new owner label is a new set of objects: the old sweeper goes (after the objects moved to the new label). */
export const REPLACE_KEYS = ["owner"] as const;

const INPUT_KEYS = ["owner", "kinds", "kubeconfig", "timeouts"] as const;

export function inputsOf(p: Props): Props {
  return Object.fromEntries(INPUT_KEYS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]])) as Props;
}

/**
 * The properties that changed. `kinds` changes only when a collection is new: the state keeps every collection it
 * has recorded (an object applied under an older render may still be there to sweep).
 */
export function changedInputs(olds: State, news: Props): string[] {
  const changed: string[] = [];
  if (!sameInput(olds.owner, news.owner)) changed.push("owner");
  // Unknown while previewing (the manifests are not rendered yet): it may change.
  if (!Array.isArray(news.kinds) || containsUnknown(news.kinds) || !coversKinds(olds.kinds ?? [], news.kinds))
    changed.push("kinds");
  for (const k of ["kubeconfig", "timeouts"] as const) if (!sameInput(olds[k], news[k])) changed.push(k);
  return changed;
}
