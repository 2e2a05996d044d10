// What the serialized provider (provider.ts) loads at run time for every resource kind: the kind's handlers, plus
// what all kinds share: the stack configuration from configure(), and credentials taken from it for read and delete
// (see credentials.ts). Kept out of provider.ts so the closure in the state stays tiny.
import type * as pulumi from "@pulumi/pulumi";
import { credentialSources, rotationHint, setStackConfig, SOURCES_KEY, withCurrentCredentials } from "./credentials";
import { durationMs, Timeouts } from "../../sdk/schemas/common";
import { Deadline, withDeadline } from "../../sdk/util/deadline";
import { findCause } from "../../sdk/util/errors";
import { NotAuthenticatedError } from "../../sdk/vcd/errors";
import { isFault } from "../../sdk/vsphere/errors";
import { PartialStateError } from "./errors";
import type { Handlers } from "./provider";

export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  setStackConfig(req.config);
}

/** What the state keeps beside the kind's outputs (which hold its inputs, `timeouts` too): where credentials came from. */
const withSources = (outs: Record<string, unknown> | undefined, inputs: Record<string, unknown>) => ({
  ...outs,
  [SOURCES_KEY]: credentialSources(inputs),
});

/** The operation's deadline from the `timeouts` input (sdk/schemas/common.ts timeoutsSchema), if one is set. */
function deadlineOf(props: Record<string, unknown>, op: keyof NonNullable<Timeouts>): Deadline | undefined {
  const limit = (props.timeouts as Timeouts)?.[op];
  return limit ? { at: Date.now() + durationMs(limit), limit: `timeouts.${op} = ${limit}` } : undefined;
}

/** A refused login: vCD's 401 (NotAuthenticatedError) or vim25's InvalidLogin, anywhere in the cause chain. */
function isLoginRefused(e: unknown): boolean {
  return isFault(e, "InvalidLogin") || findCause(e, (x) => x instanceof NotAuthenticatedError) !== undefined;
}

function explainLogin(e: unknown, sources: Record<string, string>): unknown {
  if (!isLoginRefused(e) || !(e instanceof Error)) return e;
  e.message += rotationHint(sources);
  return e;
}

export function handlersFor(kind: string): Handlers {
  const h: Handlers = require(`../${kind}/handlers`).operations;
  const record = async <T extends { outs?: Record<string, unknown> }>(
    inputs: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> => {
    try {
      const r = await run();
      return { ...r, outs: withSources(r.outs, inputs) };
    } catch (e) {
      if (e instanceof PartialStateError)
        throw new PartialStateError(e.message, e.id, withSources(e.properties, inputs), e.reasons, { cause: e.cause });
      throw e;
    }
  };
  return {
    check: h.check,
    diff: h.diff,
    create: (inputs) => record(inputs, () => withDeadline(deadlineOf(inputs, "create"), () => h.create(inputs))),
    update: (id, olds, news) =>
      record(news, () => withDeadline(deadlineOf(news, "update"), () => h.update(id, olds, news))),
    async read(id, props) {
      const { props: current, sources } = withCurrentCredentials(props);
      try {
        const r = await h.read(id, current);
        return r.props ? { ...r, props: { ...r.props, [SOURCES_KEY]: sources } } : r;
      } catch (e) {
        throw explainLogin(e, sources);
      }
    },
    async remove(id, props) {
      const { props: current, sources } = withCurrentCredentials(props);
      try {
        await withDeadline(deadlineOf(props, "delete"), () => h.remove(id, current));
      } catch (e) {
        throw explainLogin(e, sources);
      }
    },
  };
}
