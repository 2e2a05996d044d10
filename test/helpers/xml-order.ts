// Document order of an XML text, which the compact parser (sdk/xml) does not keep: for tests that check request
// bodies list their children in schema order, and for the fidelity comparison.
import { xml2js, Element as XmlJsElement } from "xml-js";

export interface OrderedElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: OrderedElement[];
}

/** The root element of `xml` in xml-js's ordered form (comments, declaration and instructions dropped). */
export function rootOf(xml: string): XmlJsElement {
  const doc = xml2js(xml, {
    compact: false,
    ignoreComment: true,
    ignoreDeclaration: true,
    ignoreInstruction: true,
  }) as XmlJsElement;
  const root = (doc.elements ?? []).find((e) => e.type === "element");
  if (!root) throw new Error("empty XML document");
  return root;
}

/** The element's own text (text and CDATA children joined), trimmed. */
export const textOf = (e: XmlJsElement): string =>
  (e.elements ?? [])
    .filter((c) => c.type === "text" || c.type === "cdata")
    .map((c) => String(c.text ?? c.cdata ?? ""))
    .join("")
    .trim();

/** Parses keeping document order; element names lose their prefix like the compact parser's. */
export function parseOrdered(xml: string): OrderedElement {
  const conv = (e: XmlJsElement): OrderedElement => ({
    name: (e.name ?? "").replace(/^.*:/, ""),
    attrs: Object.fromEntries(Object.entries(e.attributes ?? {}).map(([k, v]) => [k, String(v)])),
    text: textOf(e),
    children: (e.elements ?? []).filter((c) => c.type === "element").map(conv),
  });
  return conv(rootOf(xml));
}

/** Child element names of the root (or of the element at `path` below it), in document order, repeats collapsed. */
export function elementOrder(xml: string, path: string[] = []): string[] {
  let e: OrderedElement | undefined = parseOrdered(xml);
  for (const p of path) e = e?.children.find((c) => c.name === p);
  if (!e) return [];
  const out: string[] = [];
  for (const c of e.children) if (out[out.length - 1] !== c.name) out.push(c.name);
  return out;
}
