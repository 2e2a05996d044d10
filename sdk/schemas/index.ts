export * from "./common";
export * from "./crd";
export * from "./vmgroup";
