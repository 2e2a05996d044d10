// PropertyCollector support: building PropertyFilterSpec XML and decoding the values that come back.
//
// Decoding is driven by the xsi:type the server puts on each value (vcsim spells it XMLSchema-instance:type;
// sdk/xml normalises both to `xsi:type`):
//   xsd:int/long/short/byte/float/double → number, xsd:boolean → boolean, other xsd:* and enums → string,
//   ManagedObjectReference → MoRef, ArrayOfX → array of X, data objects → plain objects with `_type` set to
//   their xsi:type (so polymorphic values such as faults or devices stay identifiable).
// Nested fields without an xsi:type are decoded structurally: an element with a `type` attribute and only text is a
// MoRef, one with child elements an object, anything else a string.
import { XmlNode, attr, childNames, children, escapeXml, tag, text, textTag } from "../xml";
import type { MoRef, ObjectContent, ObjectSpec, PropertyFilterSpec, PropertySpec, TraversalSpec } from "./types";

export function moRefXml(name: string, ref: MoRef): string {
  return tag(name, { type: ref.type }, escapeXml(ref.value));
}

// ---- building (element order follows the vim25 XSD) ----

export function propertyFilterSpecXml(spec: PropertyFilterSpec, name = "specSet"): string {
  return tag(name, undefined, ...spec.propSet.map(propertySpecXml), ...spec.objectSet.map(objectSpecXml));
}

function propertySpecXml(p: PropertySpec): string {
  return tag(
    "propSet",
    undefined,
    textTag("type", p.type),
    textTag("all", false),
    ...p.pathSet.map((path) => textTag("pathSet", path)),
  );
}

function objectSpecXml(o: ObjectSpec): string {
  return tag(
    "objectSet",
    undefined,
    moRefXml("obj", o.obj),
    textTag("skip", o.skip),
    ...(o.selectSet ?? []).map(selectionXml),
  );
}

/** A name is a SelectionSpec (a reference to a TraversalSpec declared elsewhere in the filter); vim needs xsi:type
 *  on every inline TraversalSpec, or the server reads it as a bare SelectionSpec ("undefined TraversalSpec name"). */
function selectionXml(s: string | TraversalSpec): string {
  if (typeof s === "string") return tag("selectSet", undefined, textTag("name", s));
  return tag(
    "selectSet",
    { "xsi:type": "TraversalSpec" },
    textTag("name", s.name),
    textTag("type", s.type),
    textTag("path", s.path),
    textTag("skip", s.skip ?? false),
    ...(s.selectSet ?? []).map(selectionXml),
  );
}

/** Properties of every `type` object directly or indirectly inside `folder` (sub-folders included). */
export function folderTreeSpec(folder: MoRef, type: string, pathSet: string[]): PropertyFilterSpec {
  return {
    propSet: [{ type, pathSet }],
    objectSet: [
      {
        obj: folder,
        skip: true,
        selectSet: [{ name: "folderChildren", type: "Folder", path: "childEntity", selectSet: ["folderChildren"] }],
      },
    ],
  };
}

/** Properties of every object in a ContainerView (see VimClient.createContainerView). */
export function containerViewSpec(view: MoRef, type: string, pathSet: string[]): PropertyFilterSpec {
  return {
    propSet: [{ type, pathSet }],
    objectSet: [{ obj: view, skip: true, selectSet: [{ name: "viewObjects", type: "ContainerView", path: "view" }] }],
  };
}

// ---- decoding ----

const NUMBER_TYPES = new Set(["int", "long", "short", "byte", "float", "double"]);
const STRING_TYPES = new Set(["string", "dateTime", "anyURI", "base64Binary", "anyType"]);
const XSD_NAMES = new Set([...NUMBER_TYPES, ...STRING_TYPES, "boolean"]);

/** Decodes one value node (a property `val`, a fault field, an array item). */
export function decodeValue(node: XmlNode, impliedType?: string): unknown {
  const type = stripPrefix(attr(node, "xsi:type") ?? impliedType);
  const fields = childNames(node);
  if (type?.startsWith("ArrayOf")) {
    const item = type.slice("ArrayOf".length);
    const itemType = XSD_NAMES.has(lowerFirst(item)) ? lowerFirst(item) : item;
    return fields.flatMap((f) => children(node, f).map((n) => decodeValue(n, itemType)));
  }
  const value = text(node) ?? "";
  if (type && NUMBER_TYPES.has(type)) return Number(value);
  if (type === "boolean") return value === "true" || value === "1";
  if (type && STRING_TYPES.has(type)) return value;
  if (type === "ManagedObjectReference" || (fields.length === 0 && attr(node, "type") !== undefined)) {
    return { type: attr(node, "type") ?? "", value };
  }
  // An enum carries text; a data object carries fields (or none at all, like a bare NotSupported fault).
  if (fields.length === 0 && (value !== "" || !type)) return value;
  const out: Record<string, unknown> = type ? { _type: type } : {};
  for (const f of fields) {
    // A repeated field becomes an array; a single occurrence stays a value (without the XSD we cannot tell better).
    const decoded = children(node, f).map((n) => decodeValue(n));
    out[f] = decoded.length === 1 ? decoded[0] : decoded;
  }
  return out;
}

/** Decodes an `objects` element (ObjectContent) of a RetrievePropertiesEx result. */
export function decodeObjectContent(node: XmlNode): ObjectContent {
  const obj = decodeValue(children(node, "obj")[0] ?? {}, "ManagedObjectReference") as MoRef;
  const props: Record<string, unknown> = {};
  for (const p of children(node, "propSet")) {
    const name = text(p, "name");
    const val = children(p, "val")[0];
    // vim omits unset properties entirely; an empty val element still means "set to empty".
    if (name !== undefined && val !== undefined) props[name] = decodeValue(val);
  }
  const missing = children(node, "missingSet").map((m) => ({
    path: text(m, "path") ?? "",
    fault: stripPrefix(attr(children(children(m, "fault")[0], "fault")[0], "xsi:type")) ?? "RuntimeFault",
  }));
  return missing.length ? { obj, props, missing } : { obj, props };
}

function stripPrefix(type: string | undefined): string | undefined {
  if (type === undefined) return undefined;
  const i = type.indexOf(":");
  return i < 0 ? type : type.slice(i + 1);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
