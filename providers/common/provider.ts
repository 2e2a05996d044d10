// The object Pulumi serializes into every resource's state. It must stay tiny: each method only loads the
// resource's handlers by package name at run time (modules under node_modules are captured by reference, local
// files would be copied by value), and nothing else is captured: no credentials, no clients.
import type * as pulumi from "@pulumi/pulumi";

/**
 * What every providers/<kind>/handlers.ts exports as `operations`: the dynamic-provider operations, typed by the
 * kind's inputs (`I`, as check() returns them) and its state (`O`, inputs plus outputs, as create/update return them).
 */
export interface Handlers<I = Record<string, unknown>, O = I> {
  check(olds: Partial<O>, news: I): Promise<pulumi.dynamic.CheckResult<I>>;
  diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: I): Promise<pulumi.dynamic.CreateResult<O>>;
  read(id: string, props: O): Promise<pulumi.dynamic.ReadResult<Partial<O>>>;
  update(id: string, olds: O, news: I): Promise<pulumi.dynamic.UpdateResult<O>>;
  remove(id: string, props: O): Promise<void>;
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
