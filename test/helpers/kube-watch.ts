// Watches objects of a few kinds in a namespace and records the resourceVersion at which each was ADDED: the etcd
// revision of its creation, so tests can assert the order in which objects reached the API server (later status
// updates, e.g. a Deployment's, do not change it).
import * as https from "https";
import type { Kube } from "../../simulators/kube";
import { adminTls } from "./kube";

export interface Added {
  kind: string;
  name: string;
  /** The creation revision. */
  revision: number;
}

export interface Watch {
  added: Added[];
  stop(): void;
}

/**
 * `collections`: API paths of collections, e.g. `/api/v1/namespaces/ns/secrets`. `onAdded` is called as each event
 * arrives (e.g. to inject a fault the moment the first object of a kind exists).
 */
export async function watchAdded(kube: Kube, collections: string[], onAdded?: (added: Added) => void): Promise<Watch> {
  const tls = adminTls(kube);
  const added: Added[] = [];
  const requests: ReturnType<typeof https.request>[] = [];
  for (const collection of collections) {
    // Start from the collection's current revision: only objects created from now on are reported.
    const list = await kube.request("GET", collection);
    if (list.status !== 200) throw new Error(`GET ${collection}: ${list.status} ${JSON.stringify(list.body)}`);
    await new Promise<void>((resolve, reject) => {
      const req = https.request(
        `${kube.server}${collection}?watch=1&resourceVersion=${list.body.metadata.resourceVersion}`,
        { ...tls, headers: { Accept: "application/json" } },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`watch ${collection}: ${res.statusCode}`));
          resolve();
          let buf = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => {
            buf += d;
            for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
              const line = buf.slice(0, i);
              buf = buf.slice(i + 1);
              if (!line.trim()) continue;
              const ev = JSON.parse(line);
              if (ev.type !== "ADDED") continue;
              const a = {
                kind: ev.object.kind,
                name: ev.object.metadata.name,
                revision: Number(ev.object.metadata.resourceVersion),
              };
              added.push(a);
              onAdded?.(a);
            }
          });
          res.on("error", () => undefined);
        },
      );
      req.on("error", reject);
      req.end();
      requests.push(req);
    });
  }
  return { added, stop: () => requests.forEach((r) => r.destroy()) };
}
