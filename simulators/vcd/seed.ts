// The simulator's starting inventory, as plain data so tests and the CLI (--config file.json) share one shape.

export interface SeedUser {
  name: string;
  password: string;
  fullName?: string;
  /** Role name shown in sessions; informational only (every tenant user may manage its org's vApps). */
  role?: string;
}

export interface SeedTemplate {
  name: string;
  description?: string;
  /** EULA text; when set, instantiation needs AllEULAsAccepted=true (EULA_NOT_ACCEPTED otherwise). */
  eula?: string;
  /** Number of VMs in the template; a template always yields a vApp with VMs (power links, status 8/4). */
  vmCount?: number;
}

export interface SeedCatalog {
  name: string;
  description?: string;
  templates: SeedTemplate[];
}

export interface SeedVdc {
  name: string;
  description?: string;
  /** Org VDC networks available to vApps in this VDC. */
  networks: string[];
}

/**
 * Org vApp lease policy (AdminOrg OrgVAppLeaseSettings). The values are both the maximum a vApp may ask for and the
 * value a vApp gets when it asks for 0. A policy value of 0 means "never expires".
 */
export interface SeedLeasePolicy {
  deploymentLeaseSeconds: number;
  storageLeaseSeconds: number;
}

export interface SeedOrg {
  name: string;
  fullName?: string;
  users: SeedUser[];
  vdcs: SeedVdc[];
  catalogs: SeedCatalog[];
  leasePolicy?: SeedLeasePolicy;
}

export interface TaskTiming {
  /** Time a task spends in `queued` before it starts running. */
  queuedMs: number;
  /** Time a task spends in `running` before it succeeds (or fails). */
  runningMs: number;
}

export interface VcdSimulatorConfig {
  orgs: SeedOrg[];
  /** Users of the `System` org; they log in through /cloudapi/1.0.0/sessions/provider. */
  providerUsers?: SeedUser[];
  /** Versions advertised by /api/versions, lowest first. */
  versions?: Array<{ version: string; deprecated?: boolean }>;
  /** false simulates a server without /cloudapi (LoginUrl points to /api/sessions and /cloudapi answers 404). */
  cloudapi?: boolean;
  tasks?: Partial<TaskTiming>;
  /** Session idle timeout (sessionIdleTimeoutMinutes in the cloudapi session body). */
  sessionIdleTimeoutMinutes?: number;
  /**
   * Add the read-only vapp.origin.* metadata entries that vCD 10.5.1+ writes on vApps built from templates. Default:
   * on when the advertised versions reach 38.1 (10.5.1).
   */
  originMetadata?: boolean;
}

export const DEFAULT_VERSIONS: Array<{ version: string; deprecated?: boolean }> = [
  { version: "35.0", deprecated: true },
  { version: "36.0" },
  { version: "37.0" },
  { version: "38.0" },
  { version: "38.1" },
  { version: "39.0" },
];

export const DEFAULT_TASK_TIMING: TaskTiming = { queuedMs: 20, runningMs: 60 };

/** The seed the demo and most tests use: org acme with one VDC, one network, one catalog, two users. */
export function defaultSeed(): VcdSimulatorConfig {
  return {
    orgs: [
      {
        name: "acme",
        fullName: "ACME Corporation",
        users: [
          { name: "alice", password: "alice-Passw0rd!", fullName: "Alice Admin", role: "Organization Administrator" },
          { name: "bob", password: "bob-Passw0rd!", fullName: "Bob Builder", role: "vApp Author" },
        ],
        vdcs: [{ name: "acme-vdc", description: "ACME production VDC", networks: ["acme-net"] }],
        catalogs: [
          {
            name: "base",
            templates: [
              { name: "photon-5", description: "Photon OS 5", vmCount: 1 },
              {
                name: "appliance-eula",
                description: "Vendor appliance",
                vmCount: 1,
                eula: "You agree to the vendor licence terms.",
              },
            ],
          },
        ],
        // 7 days running, 30 days stored: the values real orgs commonly ship with.
        leasePolicy: { deploymentLeaseSeconds: 604800, storageLeaseSeconds: 2592000 },
      },
    ],
    providerUsers: [
      {
        name: "administrator",
        password: "admin-Passw0rd!",
        fullName: "System Administrator",
        role: "System Administrator",
      },
    ],
  };
}
