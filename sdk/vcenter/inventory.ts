// Collects what sapcc's conventions need from one vCenter in a single PropertyCollector pass: a ContainerView over
// datacenters and clusters, traversed to each cluster's datastores and networks (for their names) and up the parent
// chain to its Datacenter. Three round trips (CreateContainerView, RetrievePropertiesEx, DestroyView) plus one
// ContinueRetrievePropertiesEx per extra page, however many clusters there are; sapcc fetched the datastore and
// network names lazily, one call per object.
import type { VimClient } from "../vsphere/client";
import type { MoRef, ObjectContent, PropertyFilterSpec } from "../vsphere/types";
import type { Inventory, InventoryCluster, InventoryDatacenter } from "./conventions";

/** Network and its subtypes: the PropertyCollector matches types exactly on some servers (vcsim), so name each. */
const NETWORK_TYPES = ["Network", "DistributedVirtualPortgroup", "OpaqueNetwork"];

/** The one filter spec: from the view to clusters (and datacenters), then to datastores, networks and parents. */
export function inventorySpec(view: MoRef): PropertyFilterSpec {
  return {
    propSet: [
      { type: "ClusterComputeResource", pathSet: ["name", "parent", "datastore", "network"] },
      { type: "Datacenter", pathSet: ["name"] },
      { type: "Folder", pathSet: ["parent"] },
      { type: "Datastore", pathSet: ["name"] },
      ...NETWORK_TYPES.map((type) => ({ type, pathSet: ["name"] })),
    ],
    objectSet: [
      {
        obj: view,
        skip: true,
        selectSet: [
          {
            name: "viewObjects",
            type: "ContainerView",
            path: "view",
            selectSet: [
              { name: "clusterDatastores", type: "ClusterComputeResource", path: "datastore" },
              { name: "clusterNetworks", type: "ClusterComputeResource", path: "network" },
              {
                name: "clusterParent",
                type: "ClusterComputeResource",
                path: "parent",
                // Host folders may nest; climb folder parents until the Datacenter (not a Folder, so it stops there).
                selectSet: [{ name: "folderParent", type: "Folder", path: "parent", selectSet: ["folderParent"] }],
              },
            ],
          },
        ],
      },
    ],
  };
}

const refKey = (r: MoRef): string => `${r.type}:${r.value}`;

function asRefs(v: unknown): MoRef[] {
  if (Array.isArray(v)) return v.filter(isRef);
  return isRef(v) ? [v] : [];
}

function isRef(v: unknown): v is MoRef {
  return (
    !!v && typeof v === "object" && typeof (v as MoRef).type === "string" && typeof (v as MoRef).value === "string"
  );
}

const MAX_FOLDER_DEPTH = 64;

/**
 * Pure: joins the flat ObjectContent list into the Inventory conventions.ts reads. Datacenters and clusters are
 * sorted by name (stable output, stable diffs); networks keep vSphere's order, since "the first br-*" depends on it.
 */
export function assembleInventory(vcenter: Inventory["vcenter"], objects: ObjectContent[]): Inventory {
  const byRef = new Map(objects.map((o) => [refKey(o.obj), o]));
  const nameOf = (r: MoRef): string | undefined => {
    const n = byRef.get(refKey(r))?.props.name;
    return typeof n === "string" ? n : undefined;
  };
  const datacenterOf = (start: unknown): MoRef | undefined => {
    let cur = isRef(start) ? start : undefined;
    for (let i = 0; cur && i < MAX_FOLDER_DEPTH; i++) {
      if (cur.type === "Datacenter") return cur;
      const parent: unknown = byRef.get(refKey(cur))?.props.parent;
      cur = isRef(parent) ? parent : undefined;
    }
    return undefined;
  };

  const dcs = new Map<string, InventoryDatacenter>();
  const dcFor = (ref: MoRef): InventoryDatacenter => {
    const key = refKey(ref);
    let dc = dcs.get(key);
    if (!dc) dcs.set(key, (dc = { name: nameOf(ref) ?? ref.value, clusters: [] }));
    return dc;
  };
  for (const o of objects) if (o.obj.type === "Datacenter") dcFor(o.obj);
  for (const o of objects) {
    if (o.obj.type !== "ClusterComputeResource") continue;
    const dcRef = datacenterOf(o.props.parent);
    const name = typeof o.props.name === "string" ? o.props.name : o.obj.value;
    if (!dcRef) throw new Error(`vCenter ${vcenter.host}: cluster "${name}" is not below a datacenter`);
    const names = (v: unknown) =>
      asRefs(v)
        .map(nameOf)
        .filter((n): n is string => n !== undefined);
    const cluster: InventoryCluster = { name, datastores: names(o.props.datastore), networks: names(o.props.network) };
    dcFor(dcRef).clusters.push(cluster);
  }
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const datacenters = [...dcs.values()].sort(byName);
  for (const dc of datacenters) dc.clusters.sort(byName);
  return { vcenter, datacenters };
}

/** `vc-a-0.cc.qa-de-1.cloud.sap` → `vc-a-0` (sapcc's vCenter `name`). */
export function vcenterShortName(fqdn: string): string {
  return fqdn.split(".")[0];
}

/** Reads one vCenter's inventory over an open session; the view is always destroyed. */
export async function collectInventory(client: VimClient, host: string): Promise<Inventory> {
  const view = await client.createContainerView(
    client.serviceContent.rootFolder,
    ["Datacenter", "ClusterComputeResource"],
    true,
  );
  let objects: ObjectContent[];
  try {
    objects = await client.retrieveProperties(inventorySpec(view));
  } finally {
    await client.destroyView(view).catch(() => undefined);
  }
  return assembleInventory({ name: vcenterShortName(host), host }, objects);
}
