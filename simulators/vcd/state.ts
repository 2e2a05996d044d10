// In-memory inventory. Entities hold plain data; rendering lives in xml.ts and behaviour in the handlers.
import { randomUUID } from "crypto";
import { MetadataDomain, MetadataType, MetadataVisibility, VAppStatus } from "../../sdk/vcd/wire";
import { DEFAULT_TASK_TIMING, DEFAULT_VERSIONS, SeedLeasePolicy, TaskTiming, VcdSimulatorConfig } from "./seed";

export interface Org {
  id: string;
  name: string;
  fullName: string;
  leasePolicy: SeedLeasePolicy;
}
export interface User {
  id: string;
  orgId: string;
  name: string;
  password: string;
  fullName: string;
  role: string;
}
export interface Vdc {
  id: string;
  orgId: string;
  name: string;
  description: string;
}
export interface Network {
  id: string;
  orgId: string;
  vdcId: string;
  name: string;
}
export interface Catalog {
  id: string;
  orgId: string;
  name: string;
  description: string;
}
export interface CatalogItem {
  id: string;
  catalogId: string;
  templateId: string;
  name: string;
}
export interface Template {
  id: string;
  orgId: string;
  vdcId: string;
  catalogId: string;
  name: string;
  description: string;
  eula?: string;
  vmCount: number;
}

export interface MetadataItem {
  key: string;
  domain: MetadataDomain;
  visibility: MetadataVisibility;
  type: MetadataType;
  value: string;
}

export interface VAppNetworkConfig {
  id: string;
  networkName: string;
  parentNetworkId?: string;
  fenceMode: string;
}

export interface VApp {
  id: string;
  orgId: string;
  vdcId: string;
  name: string;
  /** Absent when the vApp was created without a Description element: vCD then writes none (recorded). */
  description?: string;
  status: VAppStatus;
  deployed: boolean;
  ownerId: string;
  created: Date;
  vmCount: number;
  templateId?: string;
  /** Lease values as stored (already clamped to the org policy). */
  deploymentLeaseSeconds: number;
  storageLeaseSeconds: number;
  deploymentExpiration?: Date;
  storageExpiration?: Date;
  networks: VAppNetworkConfig[];
  metadata: MetadataItem[];
}

export interface Session {
  id: string;
  /** Bearer token (JWT-shaped) and the 32-hex X-Vcloud-Authorization token of the same session. */
  token: string;
  legacyToken: string;
  userId: string;
  orgId: string;
  /** "System" sessions are provider sessions. */
  provider: boolean;
  kind: "cloudapi" | "legacy";
  lastUsed: number;
  expired: boolean;
}

/** The sentinel id of the System org (provider sessions). */
export const SYSTEM_ORG_ID = "a93c9db9-7471-3192-8d09-a8f7eeda85f9";

export class SimState {
  readonly orgs = new Map<string, Org>();
  readonly users = new Map<string, User>();
  readonly vdcs = new Map<string, Vdc>();
  readonly networks = new Map<string, Network>();
  readonly catalogs = new Map<string, Catalog>();
  readonly catalogItems = new Map<string, CatalogItem>();
  readonly templates = new Map<string, Template>();
  readonly vapps = new Map<string, VApp>();
  /** Ids of deleted vApps: still answered with 403, like every unknown id. */
  readonly deletedVApps = new Set<string>();
  readonly sessions = new Map<string, Session>();
  readonly versions: Array<{ version: string; deprecated: boolean }>;
  readonly cloudapi: boolean;
  readonly taskTiming: TaskTiming;
  readonly sessionIdleTimeoutMinutes: number;
  readonly originMetadata: boolean;
  /** Added to the wall clock; tests move it forward to expire leases without waiting. */
  clockOffsetMs = 0;

  constructor(config: VcdSimulatorConfig) {
    this.versions = (config.versions ?? DEFAULT_VERSIONS).map((v) => ({
      version: v.version,
      deprecated: !!v.deprecated,
    }));
    this.cloudapi = config.cloudapi ?? true;
    this.taskTiming = { ...DEFAULT_TASK_TIMING, ...config.tasks };
    this.sessionIdleTimeoutMinutes = config.sessionIdleTimeoutMinutes ?? 30;
    // vCD writes vapp.origin.* from 10.5.1 (API 38.1) on; a seed without 38.1 models an older server.
    const [major, minor] = this.versions
      .map((v) => v.version.split(".").map(Number))
      .reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a), [0, 0]);
    this.originMetadata = config.originMetadata ?? (major > 38 || (major === 38 && minor >= 1));
    this.orgs.set(SYSTEM_ORG_ID, {
      id: SYSTEM_ORG_ID,
      name: "System",
      fullName: "System",
      leasePolicy: { deploymentLeaseSeconds: 0, storageLeaseSeconds: 0 },
    });
    for (const u of config.providerUsers ?? [])
      this.addUser(SYSTEM_ORG_ID, u.name, u.password, u.fullName, u.role ?? "System Administrator");
    for (const o of config.orgs) {
      const org: Org = {
        id: randomUUID(),
        name: o.name,
        fullName: o.fullName ?? o.name,
        leasePolicy: o.leasePolicy ?? { deploymentLeaseSeconds: 604800, storageLeaseSeconds: 2592000 },
      };
      this.orgs.set(org.id, org);
      for (const u of o.users)
        this.addUser(org.id, u.name, u.password, u.fullName, u.role ?? "Organization Administrator");
      let firstVdc: Vdc | undefined;
      for (const v of o.vdcs) {
        const vdc: Vdc = { id: randomUUID(), orgId: org.id, name: v.name, description: v.description ?? "" };
        firstVdc ??= vdc;
        this.vdcs.set(vdc.id, vdc);
        for (const n of v.networks) {
          const net: Network = { id: randomUUID(), orgId: org.id, vdcId: vdc.id, name: n };
          this.networks.set(net.id, net);
        }
      }
      for (const c of o.catalogs) {
        const cat: Catalog = { id: randomUUID(), orgId: org.id, name: c.name, description: c.description ?? "" };
        this.catalogs.set(cat.id, cat);
        for (const t of c.templates) {
          if (!firstVdc) throw new Error(`seed: org ${o.name} has catalog templates but no VDC to store them in`);
          const tpl: Template = {
            id: randomUUID(),
            orgId: org.id,
            vdcId: firstVdc.id,
            catalogId: cat.id,
            name: t.name,
            description: t.description ?? "",
            eula: t.eula,
            vmCount: t.vmCount ?? 1,
          };
          this.templates.set(tpl.id, tpl);
          const item: CatalogItem = { id: randomUUID(), catalogId: cat.id, templateId: tpl.id, name: t.name };
          this.catalogItems.set(item.id, item);
        }
      }
    }
  }

  private addUser(orgId: string, name: string, password: string, fullName: string | undefined, role: string) {
    const u: User = { id: randomUUID(), orgId, name, password, fullName: fullName ?? name, role };
    this.users.set(u.id, u);
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /** Moves the simulated clock forward (lease expiry); tasks keep running on wall-clock time. */
  advanceClock(ms: number) {
    this.clockOffsetMs += ms;
  }

  orgByName(name: string): Org | undefined {
    return [...this.orgs.values()].find((o) => o.name.toLowerCase() === name.toLowerCase());
  }

  userByName(orgId: string, name: string): User | undefined {
    return [...this.users.values()].find((u) => u.orgId === orgId && u.name === name);
  }

  vappByName(vdcId: string, name: string): VApp | undefined {
    return [...this.vapps.values()].find((v) => v.vdcId === vdcId && v.name === name);
  }

  /** A summary of the inventory for tests, benches and the demo. */
  inventory() {
    return [...this.vapps.values()].map((v) => ({
      id: v.id,
      name: v.name,
      vdc: this.vdcs.get(v.vdcId)?.name,
      status: v.status,
      deployed: v.deployed,
      owner: this.users.get(v.ownerId)?.name,
      description: v.description,
      metadata: Object.fromEntries(v.metadata.map((m) => [m.key, m.value])),
    }));
  }
}
