// Where a group's clones go: the template, resource pool (and host when DRS is off), datastore and parent folder.
// Every lookup fails with a message that names what was missing and where it was looked for.
import type { VimClient } from "../client";
import type { MoRef } from "../types";
import { fail, GroupSpec, Placement } from "./model";
import { escapeEntityName, folderParentPath, inventoryPath } from "./names";

type PlacementSpec = Pick<
  GroupSpec,
  "label" | "datacenter" | "template" | "folder" | "cluster" | "resourcePool" | "datastore"
>;

/** Finds the template, pool, datastore and parent folder; a GroupError names what was missing and where we looked. */
export async function resolvePlacement(client: VimClient, spec: PlacementSpec): Promise<Placement> {
  const { datacenter, label } = spec;
  const dc = await client.findByInventoryPath(inventoryPath(datacenter));
  if (!dc || dc.type !== "Datacenter") fail(label, `datacenter "${datacenter}" not found (looked for /${datacenter})`);

  const parentPath = folderParentPath(datacenter, spec.folder);
  const parentFolder = await client.findByInventoryPath(parentPath);
  if (!parentFolder) fail(label, `parent folder "${parentPath}" not found; create it or change \`folder\``);

  const template = await findTemplate(client, spec);
  const [tpl] = await client.retrieveProperties({
    propSet: [{ type: "VirtualMachine", pathSet: ["resourcePool", "runtime.host"] }],
    objectSet: [{ obj: template }],
  });
  const templateHost = tpl?.props["runtime.host"] as MoRef | undefined;

  const pool = await findPool(client, spec, tpl?.props["resourcePool"] as MoRef | undefined, templateHost);
  let datastore: MoRef | undefined;
  if (spec.datastore) {
    datastore = await client.findByInventoryPath(inventoryPath(datacenter, "datastore", spec.datastore));
    if (!datastore) fail(label, `datastore "${spec.datastore}" not found (looked in ${datacenter}/datastore)`);
    // A datastore cluster (StoragePod) needs Storage DRS placement, which CloneVM_Task does not do.
    if (datastore.type !== "Datastore")
      fail(label, `datastore "${spec.datastore}" is a ${datastore.type}, not a datastore`);
  }
  const host = await hostForPool(client, label, pool, templateHost);
  return { template, pool, datastore, parentFolder, ...(host ? { host } : {}) };
}

async function findTemplate(client: VimClient, spec: PlacementSpec): Promise<MoRef> {
  const { datacenter, template } = spec;
  const direct = await client.findByInventoryPath(inventoryPath(datacenter, "vm", template));
  if (direct?.type === "VirtualMachine") return direct;
  if (!template.includes("/")) {
    // Not at the top of the VM folder: search the whole tree by name (one property-collector pass).
    const vmFolder = await client.findByInventoryPath(inventoryPath(datacenter, "vm"));
    if (vmFolder) {
      const view = await client.createContainerView(vmFolder, ["VirtualMachine"], true);
      try {
        const all = await client.retrieveProperties({
          propSet: [{ type: "VirtualMachine", pathSet: ["name"] }],
          objectSet: [
            {
              obj: view,
              skip: true,
              selectSet: [{ name: "view", type: "ContainerView", path: "view", skip: false }],
            },
          ],
        });
        // vCenter reports names escaped (see escapeEntityName).
        const hit = all.find((o) => o.props["name"] === escapeEntityName(template));
        if (hit) return hit.obj;
      } finally {
        await client.destroyView(view).catch(() => undefined);
      }
    }
  }
  fail(spec.label, `template "${template}" not found in datacenter "${datacenter}" (looked in ${datacenter}/vm/**)`);
}

async function findPool(
  client: VimClient,
  spec: PlacementSpec,
  templatePool: MoRef | undefined,
  templateHost: MoRef | undefined,
): Promise<MoRef> {
  const { datacenter, cluster, resourcePool, label } = spec;
  if (resourcePool) {
    const path = cluster
      ? inventoryPath(datacenter, "host", cluster, "Resources", resourcePool)
      : inventoryPath(datacenter, "host", resourcePool);
    const pool = await client.findByInventoryPath(path);
    if (!pool) fail(label, `resource pool "${resourcePool}" not found (looked for ${path})`);
    if (pool.type !== "ResourcePool" && pool.type !== "VirtualApp")
      fail(label, `"${path}" is a ${pool.type}, not a resource pool`);
    return pool;
  }
  if (cluster) {
    const path = inventoryPath(datacenter, "host", cluster);
    const cr = await client.findByInventoryPath(path);
    if (!cr) fail(label, `cluster "${cluster}" not found (looked for ${path})`);
    if (!/ComputeResource$/.test(cr.type)) fail(label, `"${path}" is a ${cr.type}, not a cluster or host`);
    return rootPool(client, cr);
  }
  if (templatePool) return templatePool;
  // A template has no pool: use the root pool of the compute resource it is registered on, whose hosts see its
  // datastore (an arbitrary cluster of the datacenter may not).
  if (templateHost) {
    const [h] = await client.retrieveProperties({
      propSet: [{ type: "HostSystem", pathSet: ["parent"] }],
      objectSet: [{ obj: templateHost }],
    });
    const owner = h?.props["parent"] as MoRef | undefined;
    if (owner && /ComputeResource$/.test(owner.type)) return rootPool(client, owner);
  }
  const hostFolder = await client.findByInventoryPath(inventoryPath(datacenter, "host"));
  const crs = hostFolder
    ? await client.retrieveProperties({
        propSet: [
          { type: "ComputeResource", pathSet: ["resourcePool"] },
          { type: "ClusterComputeResource", pathSet: ["resourcePool"] },
        ],
        objectSet: [
          {
            obj: hostFolder,
            skip: true,
            selectSet: [
              { name: "children", type: "Folder", path: "childEntity", skip: false, selectSet: ["children"] },
            ],
          },
        ],
      })
    : [];
  const first = crs.find((o) => o.props["resourcePool"]);
  if (!first) fail(label, `no resource pool found in ${datacenter}/host; set \`cluster\` or \`resourcePool\``);
  return first.props["resourcePool"] as MoRef;
}

async function rootPool(client: VimClient, computeResource: MoRef): Promise<MoRef> {
  const [o] = await client.retrieveProperties({
    propSet: [{ type: computeResource.type, pathSet: ["resourcePool"] }],
    objectSet: [{ obj: computeResource }],
  });
  return o.props["resourcePool"] as MoRef;
}

/**
 * A clone into a cluster with DRS off must name a host (InvalidArgument spec.location.host otherwise): the
 * template's own host when it is in that cluster, else the first connected host not in maintenance mode.
 */
async function hostForPool(
  client: VimClient,
  label: string,
  pool: MoRef,
  templateHost: MoRef | undefined,
): Promise<MoRef | undefined> {
  const [p] = await client.retrieveProperties({
    propSet: [{ type: pool.type, pathSet: ["owner"] }],
    objectSet: [{ obj: pool }],
  });
  const owner = p?.props["owner"] as MoRef | undefined;
  if (owner?.type !== "ClusterComputeResource") return undefined;
  const [cl] = await client.retrieveProperties({
    propSet: [{ type: owner.type, pathSet: ["configurationEx", "host"] }],
    objectSet: [{ obj: owner }],
  });
  const drs = ((cl?.props["configurationEx"] ?? {}) as { drsConfig?: { enabled?: unknown } }).drsConfig;
  // Nested fields carry no xsi:type, so the flag decodes as the string "true".
  if (String(drs?.enabled) === "true") return undefined;
  const hosts = (cl?.props["host"] ?? []) as MoRef[];
  if (templateHost && hosts.some((h) => h.value === templateHost.value)) return templateHost;
  const states = hosts.length
    ? await client.retrieveProperties({
        propSet: [{ type: "HostSystem", pathSet: ["runtime.connectionState", "runtime.inMaintenanceMode"] }],
        objectSet: hosts.map((obj) => ({ obj })),
      })
    : [];
  const usable = states.find(
    (h) => h.props["runtime.connectionState"] === "connected" && h.props["runtime.inMaintenanceMode"] !== true,
  );
  if (!usable)
    fail(label, `cluster ${owner.value} has DRS off and no connected host outside maintenance mode to clone onto`);
  return usable.obj;
}
