// What a sweep sees and removes: objects as the Kubernetes API lists them (only the fields a sweep reads).

/** An object from a list call. */
export interface ListedObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    /** Set once a delete was accepted and finalizers still hold the object. */
    deletionTimestamp?: string;
  };
}

/** `Kind namespace/name`, as messages name an object. */
export const describeObject = (o: ListedObject): string =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
