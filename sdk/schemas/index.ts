export * from "./common";
export * from "./crd";
export * from "./vmgroup";
export * from "./vcentertemplate";
export * from "./vcdvapp";
export * from "./crd-seeds";
export * from "./manifestsweeper";
