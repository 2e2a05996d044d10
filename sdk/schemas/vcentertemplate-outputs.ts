// VCenterTemplate's outputs (plain shapes, documented next to the inputs in vcentertemplate.ts). No zod here: the
// resource's public types import this module, and zod's declarations need settings older tsconfigs lack.

export interface VCenterInventoryCluster {
  name: string;
  datastores: string[];
  networks: string[];
  /** What the conventions derive for a production cluster (bbN, datastore_regex, bridge...); absent otherwise. */
  conventions?: Record<string, unknown>;
}
export interface VCenterInventoryDatacenter {
  name: string;
  availabilityZone: string;
  clusters: VCenterInventoryCluster[];
}
export interface VCenterInventory {
  host: string;
  name: string;
  url: string;
  datacenters: VCenterInventoryDatacenter[];
}
export interface DiscoveredVCenters {
  /** SOA serial of the zone content the hosts came from (DNS discovery only). */
  serial?: number;
  hosts: string[];
}
