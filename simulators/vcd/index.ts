// VMware Cloud Director API simulator: a real HTTP server implementing the vApp lifecycle (see README.md).
export { startVcdSimulator, VcdSimulator, VcdSimulatorOptions } from "./server";
export {
  defaultSeed,
  VcdSimulatorConfig,
  SeedOrg,
  SeedUser,
  SeedTemplate,
  SeedCatalog,
  SeedVdc,
  SeedLeasePolicy,
  TaskTiming,
  DEFAULT_VERSIONS,
} from "./seed";
export { Faults, RequestLogEntry } from "./faults";
export { SimState } from "./state";
