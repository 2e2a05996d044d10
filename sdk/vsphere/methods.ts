// Request bodies of the vim25 methods the client calls: pure functions, so unit tests can check element order
// (real vCenter validates it against the XSD sequence; vcsim does not) and escaping without a server.
import { tag, textTag } from "../xml";
import { moRefXml, propertyFilterSpecXml } from "./property";
import type { CloneSpec, MoRef, OptionValue, PropertyFilterSpec, VmConfigSpec } from "./types";

/** `<Method xmlns="urn:vim25"><_this …/>…params</Method>`; undefined params are left out. */
export function methodXml(method: string, self: MoRef, ...params: Array<string | undefined>): string {
  return tag(method, { xmlns: "urn:vim25" }, moRefXml("_this", self), ...params);
}

export const SERVICE_INSTANCE: MoRef = { type: "ServiceInstance", value: "ServiceInstance" };

export function loginXml(sessionManager: MoRef, userName: string, password: string): string {
  return methodXml("Login", sessionManager, textTag("userName", userName), textTag("password", password));
}

/** VirtualMachineConfigSpec: numCPUs, memoryMB, then extraConfig in the XSD sequence. */
export function configSpecXml(name: string, spec: VmConfigSpec): string | undefined {
  if (spec.numCPUs === undefined && spec.memoryMB === undefined && !spec.extraConfig?.length) return undefined;
  return tag(
    name,
    undefined,
    textTag("numCPUs", spec.numCPUs),
    textTag("memoryMB", spec.memoryMB),
    ...(spec.extraConfig ?? []).map(optionValueXml("extraConfig")),
  );
}

/** OptionValue.value is xsd:anyType, so it needs its xsi:type. */
export const optionValueXml = (name: string) => (o: OptionValue) =>
  tag(name, undefined, textTag("key", o.key), textTag("value", o.value, { "xsi:type": "xsd:string" }));

/** CloneVM_Task. CloneSpec order: location, template, config, customization, powerOn;
 *  RelocateSpec order: folder, datastore, diskMoveType, pool, host. */
export function cloneVmXml(vm: MoRef, folder: MoRef, name: string, spec: CloneSpec): string {
  const location = tag(
    "location",
    undefined,
    spec.datastore && moRefXml("datastore", spec.datastore),
    spec.pool && moRefXml("pool", spec.pool),
    spec.host && moRefXml("host", spec.host),
  );
  const cloneSpec = tag(
    "spec",
    undefined,
    location,
    textTag("template", spec.template ?? false),
    configSpecXml("config", spec),
    textTag("powerOn", spec.powerOn ?? false),
  );
  return methodXml("CloneVM_Task", vm, moRefXml("folder", folder), textTag("name", name), cloneSpec);
}

export function retrievePropertiesExXml(collector: MoRef, spec: PropertyFilterSpec, maxObjects?: number): string {
  return methodXml(
    "RetrievePropertiesEx",
    collector,
    propertyFilterSpecXml(spec),
    tag("options", undefined, textTag("maxObjects", maxObjects)),
  );
}

export function createContainerViewXml(
  viewManager: MoRef,
  container: MoRef,
  types: string[],
  recursive: boolean,
): string {
  return methodXml(
    "CreateContainerView",
    viewManager,
    moRefXml("container", container),
    ...types.map((t) => textTag("type", t)),
    textTag("recursive", recursive),
  );
}
