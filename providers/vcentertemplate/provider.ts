// The object Pulumi serializes into every VCenterTemplate's state: methods that load the handlers by package name
// at run time, nothing else (no credentials, no clients), so the closure stays tiny. See providers/vmgroup/provider.ts.
import type * as pulumi from "@pulumi/pulumi";
import type * as Handlers from "./handlers";

function handlers(): typeof Handlers {
  return require("pulumi-vmware-kit/dist/providers/vcentertemplate/handlers");
}

export const vcenterTemplateProvider: pulumi.dynamic.ResourceProvider = {
  check: (olds, news) => handlers().check(olds, news),
  diff: (id, olds, news) => handlers().diff(id, olds, news),
  create: (inputs) => handlers().create(inputs),
  read: (id, props) => handlers().read(id, props),
  update: (id, olds, news) => handlers().update(id, olds, news),
  delete: (id, props) => handlers().remove(id, props),
};
