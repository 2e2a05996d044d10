// The Kubernetes API as a sweep needs it: list a collection by label, delete an object. @kubernetes/client-node does
// the work (kubeconfig loading with client certificates, tokens and exec plugins; TLS verified unless the
// kubeconfig says insecure-skip-tls-verify; API discovery from kind to resource). Here only: which kubeconfig,
// transient failures retried (list and delete are idempotent), and "not there" told apart from a failure.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ApiException, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { withRetry } from "../http";
import { findCause } from "../util/errors";
import type { ObjectKind } from "./owner";
import type { ListedObject } from "./sweep/model";

/**
 * A call that met a transport error or a 429/502/503/504 answer is tried again with jittered backoff from 0.5 s
 * (sdk/http withRetry), for at most RETRY_MS.
 */
const RETRY_MS = 8_000;
const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);
const TRANSIENT_CODE = /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT)$/;

function transient(err: unknown): boolean {
  if (err instanceof ApiException) return TRANSIENT_STATUS.has(err.code);
  const coded = (e: unknown) => {
    const code = (e as { code?: unknown }).code;
    return typeof code === "string" && TRANSIENT_CODE.test(code);
  };
  return findCause(err, coded) !== undefined;
}

const retried = <T>(what: string, call: () => Promise<T>): Promise<T> =>
  withRetry(what, call, transient, { baseDelayMs: 500, maxDelayMs: 4_000, deadlineMs: RETRY_MS });

const statusOf = (err: unknown) => (err instanceof ApiException ? err.code : undefined);

/** Error of a kind the API server does not serve (any more): client-node's discovery found no such resource. */
const unserved = (err: unknown) =>
  statusOf(err) === 404 || (err instanceof Error && /Unrecognized API version and kind/i.test(err.message));

export class KubeClient {
  private constructor(
    private readonly config: KubeConfig,
    private readonly api: KubernetesObjectApi,
  ) {}

  /**
   * A client for `kubeconfig`: its text (it contains a newline) or a file path; undefined means $KUBECONFIG or
   * ~/.kube/config, as kubectl and the Kubernetes provider choose. Throws when there is none (client-node would
   * otherwise fall back to http://localhost) or when its current context names no cluster.
   */
  static fromKubeconfig(kubeconfig?: string): KubeClient {
    const config = new KubeConfig();
    if (kubeconfig?.includes("\n")) config.loadFromString(kubeconfig);
    else if (kubeconfig) config.loadFromFile(kubeconfig);
    else {
      const fallback = path.join(os.homedir(), ".kube", "config");
      if (!process.env.KUBECONFIG && !fs.existsSync(fallback))
        throw new Error(`no kubeconfig: neither $KUBECONFIG nor ${fallback} is set`);
      config.loadFromDefault();
    }
    if (!config.getCurrentCluster()?.server)
      throw new Error("the kubeconfig's current context names no cluster server");
    return new KubeClient(config, KubernetesObjectApi.makeApiClient(config));
  }

  /** The API server's URL (the current context's cluster). */
  get server(): string {
    return this.config.getCurrentCluster()!.server;
  }

  /** Objects of `kind` (in its namespace, if any) matching `labelSelector`; none when the kind is not served. */
  async list(kind: ObjectKind, labelSelector: string): Promise<ListedObject[]> {
    try {
      const list = await retried(`list ${kind.kind}`, () =>
        this.api.list(
          kind.apiVersion,
          kind.kind,
          kind.namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
        ),
      );
      // A list's items carry no apiVersion/kind of their own.
      return list.items.map((o) => ({ ...o, apiVersion: kind.apiVersion, kind: kind.kind }) as ListedObject);
    } catch (err) {
      if (unserved(err)) return [];
      throw err;
    }
  }

  /** Deletes `o` (dependents in the background, as kubectl); false when it was already gone. */
  async delete(o: ListedObject): Promise<boolean> {
    const spec = {
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
    };
    try {
      await retried(`delete ${o.kind}`, () =>
        this.api.delete(spec, undefined, undefined, undefined, undefined, "Background"),
      );
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }
}
