// The object Pulumi serializes into every VcdVapp's state. It must stay tiny: each method only loads the
// handlers by package name at run time (modules under node_modules are captured by reference, local files would
// be copied by value), and nothing else is captured: no credentials, no clients.
import type * as pulumi from "@pulumi/pulumi";
import type * as Handlers from "./handlers";

function handlers(): typeof Handlers {
  return require("pulumi-vmware-kit/dist/providers/vcdvapp/handlers");
}

export const vcdVappProvider: pulumi.dynamic.ResourceProvider = {
  check: (olds, news) => handlers().check(olds, news),
  diff: (id, olds, news) => handlers().diff(id, olds, news),
  create: (inputs) => handlers().create(inputs),
  read: (id, props) => handlers().read(id, props),
  update: (id, olds, news) => handlers().update(id, olds, news),
  delete: (id, props) => handlers().remove(id, props),
};
