// Renders a CustomResourceDefinition from a zod schema, so crds/ never drifts from what check() enforces.
import { z } from "zod";

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description?: string;
}

export interface CrdDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular?: string;
  shortNames?: string[];
  scope?: "Namespaced" | "Cluster";
  /** Schema of `.spec`; or, with `topLevel`, of the object's own top-level fields (sapcc's VCenterTemplate). */
  schema: z.ZodType;
  topLevel?: boolean;
  status?: z.ZodType;
  printerColumns?: PrinterColumn[];
  scale?: { specReplicasPath: string; statusReplicasPath: string };
}

type JsonSchema = Record<string, unknown>;

/** OpenAPI v3 as Kubernetes wants it: structural, no JSON-Schema-only keywords. */
function toStructural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStructural);
  if (!node || typeof node !== "object") return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node as JsonSchema)) {
    if (k === "$schema" || (k === "additionalProperties" && v === false)) continue;
    // zod emits the int64 bounds for .int(); they say nothing to a reader of the CRD.
    if ((k === "maximum" && v === Number.MAX_SAFE_INTEGER) || (k === "minimum" && v === Number.MIN_SAFE_INTEGER))
      continue;
    out[k] = toStructural(v);
  }
  return out;
}

function openApi(schema: z.ZodType): JsonSchema {
  return toStructural(z.toJSONSchema(schema, { target: "openapi-3.0", io: "input" })) as JsonSchema;
}

export function renderCrd(def: CrdDefinition): Record<string, unknown> {
  const body = openApi(def.schema);
  const properties: JsonSchema = def.topLevel ? { ...(body.properties as JsonSchema) } : { spec: body };
  if (def.status) properties.status = openApi(def.status);
  const required = def.topLevel ? (body.required as string[] | undefined) : ["spec"];
  const version: JsonSchema = {
    name: def.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: { type: "object", properties, ...(required?.length ? { required } : {}) } },
  };
  if (def.status || def.scale) {
    version.subresources = {
      ...(def.status ? { status: {} } : {}),
      ...(def.scale ? { scale: def.scale } : {}),
    };
  }
  if (def.printerColumns?.length) version.additionalPrinterColumns = def.printerColumns;
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${def.plural}.${def.group}` },
    spec: {
      group: def.group,
      scope: def.scope ?? "Namespaced",
      names: {
        kind: def.kind,
        plural: def.plural,
        singular: def.singular ?? def.kind.toLowerCase(),
        ...(def.shortNames ? { shortNames: def.shortNames } : {}),
      },
      versions: [version],
    },
  };
}
