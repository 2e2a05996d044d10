// pulumi-vmware-kit: Pulumi resources for VMware, plus the clients they are built on.
export { VmGroup, VmGroupArgs } from "./providers/vmgroup";
