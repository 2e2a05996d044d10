// The group's folder, created so that an interruption leaves either no folder or one provably the group's.
import { randomBytes } from "crypto";
import { provesNotSent, TransportError } from "../../http";
import type { VimClient } from "../client";
import { isFault } from "../errors";
import type { MoRef } from "../types";
import { fail, GroupSpec } from "./model";
import { escapeEntityName, folderName, unescapeEntityName } from "./names";

/**
 * Creates the group folder under `parent`, marked with `spec.owner` in custom attribute `ownerKey`.
 * CreateFolder is not a task: a lost answer leaves nothing to find it by, and a folder then found under the
 * group's name could be anyone's (ownership is never inferred from a name). So the folder is made under a name
 * only this call knows (the group's name and a random suffix), a lost answer is resolved by looking up that name,
 * and the folder is marked and only then renamed to the group's name (Rename_Task: a lost answer is found among
 * the folder's recent tasks). Should marking or renaming fail, the temporary folder (ours, empty) is removed.
 */
export async function createOwnedFolder(
  client: VimClient,
  spec: Pick<GroupSpec, "label" | "datacenter" | "folder" | "owner">,
  parent: MoRef,
  ownerKey: number,
): Promise<MoRef> {
  const name = folderName(spec.folder);
  // vCenter names are at most 80 characters; the suffix is what makes the name ours.
  const suffix = `.creating-${randomBytes(6).toString("hex")}`;
  const temp = escapeEntityName(unescapeEntityName(name).slice(0, 80 - suffix.length) + suffix);
  let folder: MoRef;
  try {
    folder = await client.createFolder(parent, unescapeEntityName(temp));
  } catch (err) {
    if (!(err instanceof TransportError) || provesNotSent(err)) throw err;
    const found = await client.findChild(parent, temp);
    if (found?.type !== "Folder") throw err;
    folder = found;
  }
  let renaming = false;
  try {
    await client.setCustomField(folder, ownerKey, spec.owner);
    renaming = true;
    await client.rename(folder, name);
  } catch (err) {
    await client.destroy(folder).catch(() => undefined);
    // Made by someone else between the survey and now (vcsim says InvalidArgument): not ours.
    if (renaming && (isFault(err, "DuplicateName") || isFault(err, "InvalidArgument"))) {
      fail(
        spec.label,
        `folder ${spec.datacenter}/vm/${spec.folder} was created by someone else just now; run preview again`,
        { cause: err },
      );
    }
    throw err;
  }
  return folder;
}
