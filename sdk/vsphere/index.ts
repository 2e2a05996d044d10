// A small typed vim25 (vSphere SOAP) client: sessions, faults, tasks and the PropertyCollector. No Pulumi here.
export * from "./types";
export { VimFault, TaskError, TaskTimeoutError, isFault } from "./errors";
export { VimClient, LostTaskError } from "./client";
export { withVimSession, closeVimSessions, setVimSessionDefaults, vimSessionStats } from "./pool";
export type { VimClientOptions } from "./client";
export {
  folderTreeSpec,
  containerViewSpec,
  decodeValue,
  decodeObjectContent,
  propertyFilterSpecXml,
  moRefXml,
} from "./property";
export { cloneVmXml, configSpecXml, methodXml } from "./methods";
export { envelope, parseResponse, parseFault } from "./soap";
