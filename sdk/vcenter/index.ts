// sapcc vcenter-operator's core as a library: discovery, conventions, master password, template rendering.
export * from "./masterpassword";
export * from "./filters";
export * from "./templates";
export * from "./manifests";
export * from "./conventions";
export * from "./discovery";
export * from "./inventory";
export * from "./render";
export * from "./dns/tsig";
export * from "./dns/axfr";
