// What the serialized provider (provider.ts) loads at run time for every resource kind: the kind's handlers, plus
// what all kinds share: the stack configuration from configure(), and credentials taken from it for read and delete
// (see credentials.ts). Kept out of provider.ts so the closure in the state stays tiny.
import type * as pulumi from "@pulumi/pulumi";
import { credentialSources, rotationHint, setStackConfig, SOURCES_KEY, withCurrentCredentials } from "./credentials";
import { PartialStateError } from "./inputs";
import type { Handlers } from "./provider";

export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  setStackConfig(req.config);
}

const withSources = (outs: Record<string, unknown> | undefined, inputs: Record<string, unknown>) => ({
  ...outs,
  [SOURCES_KEY]: credentialSources(inputs),
});

/** A refused login (401 from vCD, InvalidLogin from vCenter), judged by the error's name or text. */
function isLoginRefused(e: unknown): boolean {
  const err = e as { name?: string; status?: number; message?: string };
  return (
    err?.name === "NotAuthenticatedError" ||
    err?.status === 401 ||
    /InvalidLogin|incorrect user name or password|NOT_AUTHENTICATED/i.test(err?.message ?? "")
  );
}

function explainLogin(e: unknown, sources: Record<string, string>): unknown {
  if (!isLoginRefused(e) || !(e instanceof Error)) return e;
  e.message += rotationHint(sources);
  return e;
}

export function handlersFor(kind: string): Handlers {
  const h: Handlers = require(`../${kind}/handlers`);
  const record = async <T extends { outs?: Record<string, unknown> }>(
    inputs: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> => {
    try {
      const r = await run();
      return { ...r, outs: withSources(r.outs, inputs) };
    } catch (e) {
      if (e instanceof PartialStateError)
        throw new PartialStateError(e.message, e.id, withSources(e.properties, inputs), e.reasons);
      throw e;
    }
  };
  return {
    check: h.check,
    diff: h.diff,
    create: (inputs) => record(inputs, () => h.create(inputs)),
    update: (id, olds, news) => record(news, () => h.update(id, olds, news)),
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
        await h.remove(id, current);
      } catch (e) {
        throw explainLogin(e, sources);
      }
    },
  };
}
