// How the group names things in vCenter: escaped entity names, inventory paths, and `<folder>-<index>` VM names.

/**
 * A name as vCenter stores it: "%" (unless it starts an %xx escape), "/" and "\\" become %25, %2f and %5c. The
 * `name` property, FindChild and FindByInventoryPath segments all use this form, so names are compared in it, and
 * CloneVM_Task expects its `name` escaped so.
 */
export function escapeEntityName(name: string): string {
  return name.replace(/%(?![0-9a-fA-F]{2})|[/\\]/g, (c) => (c === "%" ? "%25" : c === "/" ? "%2f" : "%5c"));
}

/** The inverse, for CreateFolder: the server escapes that name itself (vcsim even re-escapes a "%25"). */
export function unescapeEntityName(name: string): string {
  return name.replace(/%(2f|5c|25)/gi, (e) => ({ "2f": "/", "5c": "\\", "25": "%" })[e.slice(1).toLowerCase()]!);
}

/** An inventory path ("a/b/c") with each segment escaped; "/" stays the separator. */
export const inventoryPath = (...parts: string[]) => parts.join("/").split("/").map(escapeEntityName).join("/");

/** The group folder's own name (the last segment of `folder`), escaped: also the VMs' name prefix. */
export const folderName = (folder: string) => escapeEntityName(folder.split("/").pop()!);

/** Inventory path of the folder that holds the group folder, e.g. "DC0/vm/apps" for folder "apps/web". */
export const folderParentPath = (datacenter: string, folder: string) =>
  inventoryPath(datacenter, "vm", ...folder.split("/").slice(0, -1));

export function vmName(prefix: string, index: number): string {
  return `${prefix}-${index}`;
}

/** The index encoded in a VM name of this group, or undefined for a VM the group does not own. */
export function vmIndex(prefix: string, name: string): number | undefined {
  if (!name.startsWith(prefix + "-")) return undefined;
  const rest = name.slice(prefix.length + 1);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : undefined;
}
