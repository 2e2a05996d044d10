// Lists each recorded collection by the owner label and deletes what sweepPlan selects.
import type { KubeClient } from "../client";
import { OWNER_LABEL, type ObjectKind } from "../owner";
import { describeObject, type ListedObject } from "./model";
import { sweepPlan } from "./planner";

/**
 * Deletes every object of `kinds` labelled OWNER_LABEL=`owner`. Returns what it deleted (`Kind namespace/name`).
 * An object already gone counts as deleted by someone else and is not listed; the first other failure stops the
 * sweep, naming the object (what is left is deleted by the next destroy).
 */
export async function sweep(client: KubeClient, kinds: ObjectKind[], owner: string): Promise<string[]> {
  const listed: ListedObject[] = [];
  for (const kind of kinds) listed.push(...(await client.list(kind, `${OWNER_LABEL}=${owner}`)));
  const deleted: string[] = [];
  for (const o of sweepPlan(listed, owner)) {
    try {
      if (await client.delete(o)) deleted.push(describeObject(o));
    } catch (err) {
      throw new Error(`deleting ${describeObject(o)}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }
  return deleted;
}
