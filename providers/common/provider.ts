// The object Pulumi serializes into every resource's state. It must stay tiny: each method only loads the
// resource's handlers by package name at run time (modules under node_modules are captured by reference, local
// files would be copied by value), and nothing else is captured: no credentials, no clients.
import type * as pulumi from "@pulumi/pulumi";

/** What every providers/<kind>/handlers.ts exports. */
export interface Handlers {
  check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: any): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: any): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult>;
  remove(id: string, props: any): Promise<void>;
}

/**
 * A dynamic provider that delegates to `pulumi-vmware-kit/dist/providers/<kind>/handlers` through
 * providers/common/runtime (stack configuration from configure(), current credentials for read and delete).
 */
export function handlersProvider(kind: string): pulumi.dynamic.ResourceProvider {
  const runtime = () => require("pulumi-vmware-kit/dist/providers/common/runtime");
  const handlers = (): Handlers => runtime().handlersFor(kind);
  return {
    configure: (req) => runtime().configure(req),
    // Failures reach the engine as sentences that show the rejected value (providers/common/check.ts).
    check: async (olds, news) =>
      require("pulumi-vmware-kit/dist/providers/common/check").forEngine(await handlers().check(olds, news), news),
    diff: (id, olds, news) => handlers().diff(id, olds, news),
    create: (inputs) => handlers().create(inputs),
    read: (id, props) => handlers().read(id, props),
    update: (id, olds, news) => handlers().update(id, olds, news),
    delete: (id, props) => handlers().remove(id, props),
  };
}
