// Shared XML helpers for the SOAP (vSphere) and REST/XML (Cloud Director) clients.
// Parsing is xml-js "compact" mode with namespace prefixes stripped from element names, so callers match on local
// names. Building is string-based on purpose: both APIs validate element order, and explicit templates keep the
// order visible at the call site.
import { xml2js } from "xml-js";

export type XmlNode = {
  _attributes?: Record<string, string>;
  _text?: string | string[];
  [child: string]: unknown;
};

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Escapes text for use in element content or a double-quoted attribute. */
export function escapeXml(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** `<name attr="…">children</name>`; undefined children and attributes are omitted, so optional fields stay optional. */
export function tag(
  name: string,
  attrs: Record<string, string | number | boolean | undefined> | undefined,
  ...children: Array<string | undefined | false>
): string {
  const a = Object.entries(attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v as string)}"`)
    .join("");
  const body = children.filter((c): c is string => typeof c === "string").join("");
  return body === "" ? `<${name}${a}/>` : `<${name}${a}>${body}</${name}>`;
}

/** `<name>escaped value</name>`, or nothing when the value is undefined. */
export function textTag(
  name: string,
  value: string | number | boolean | undefined,
  attrs?: Record<string, string>,
): string | undefined {
  if (value === undefined) return undefined;
  return tag(name, attrs, escapeXml(value));
}

function localName(name: string): string {
  const i = name.indexOf(":");
  return i < 0 ? name : name.slice(i + 1);
}

/**
 * Parses XML into compact nodes. Element names lose their namespace prefix. A prefixed `*:type` attribute
 * (xsi:type, or vcsim's XMLSchema-instance:type) becomes `xsi:type`, kept apart from a plain `type` attribute;
 * other prefixed attributes keep their prefix, and xmlns declarations are dropped.
 * `alwaysArray` names elements that repeat, so a single occurrence still parses as an array.
 */
export function parseXml(text: string, alwaysArray: string[] = []): XmlNode {
  const arrays = new Set(alwaysArray);
  return xml2js(text, {
    compact: true,
    trim: false,
    nativeType: false,
    ignoreDeclaration: true,
    ignoreComment: true,
    ignoreInstruction: true,
    elementNameFn: localName,
    attributesFn: (attrs: Record<string, string>) => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(attrs)) {
        if (k === "xmlns" || k.startsWith("xmlns:")) continue;
        out[k.includes(":") && localName(k) === "type" ? "xsi:type" : k] = v;
      }
      return out;
    },
    alwaysArray: alwaysArray.length ? (name: string) => arrays.has(localName(name)) : false,
  } as unknown as Parameters<typeof xml2js>[1]) as XmlNode;
}

/** The child element(s) called `name`, always as an array. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as XmlNode[];
}

/** The first child element called `name`. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/** Text content of a node (or of its child `name`). */
export function text(node: XmlNode | undefined, name?: string): string | undefined {
  const n = name === undefined ? node : child(node, name);
  if (!n) return undefined;
  const t = n._text;
  if (t === undefined) return n._attributes || Object.keys(n).length ? "" : undefined;
  return Array.isArray(t) ? t.join("") : t;
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  return node?._attributes?.[name];
}

/** Element names of a node's children in document order (compact mode keeps insertion order per name only). */
export function childNames(node: XmlNode): string[] {
  return Object.keys(node).filter((k) => !k.startsWith("_"));
}
