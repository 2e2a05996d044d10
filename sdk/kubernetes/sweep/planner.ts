// Which listed objects a sweep deletes, and in what order. Pure: the executor lists and deletes.
import { OWNER_LABEL } from "../owner";
import type { ListedObject } from "./model";

/** Reverse apply order (providers/vcentertemplate/manifests.ts applies Secrets, ConfigMaps, Deployments, the rest). */
const APPLY_ORDER = ["Secret", "ConfigMap", "Deployment"];
const rank = (kind: string) => {
  const i = APPLY_ORDER.indexOf(kind);
  return i < 0 ? APPLY_ORDER.length : i;
};

/**
 * The objects to delete: those whose OWNER_LABEL is exactly `owner` (the list call selects by it too; the label is
 * checked again here, so an API server or proxy that ignores the selector cannot widen a sweep) and that are not
 * already being deleted. Ordered the reverse of apply: the pods' workloads go before the config they mount.
 */
export function sweepPlan(listed: ListedObject[], owner: string): ListedObject[] {
  return listed
    .filter((o) => o.metadata.labels?.[OWNER_LABEL] === owner && !o.metadata.deletionTimestamp)
    .sort((a, b) => rank(b.kind) - rank(a.kind) || a.metadata.name.localeCompare(b.metadata.name));
}
