// Request-body parsing as vCD's validating (JAXB + schema) parser does it: namespaces resolved, children checked
// against each type's schema sequence, so a body with elements out of order is refused with 400 before any
// handler logic runs. The shared compact parser loses sibling order, so this module keeps its own ordered tree.
import { xml2js, Element as XmlJsElement } from "xml-js";
import { OVF_NS, VCLOUD_NS, XSI_NS } from "../../sdk/vcd/wire";
import { SimError } from "./errors";

export interface El {
  ns: string;
  local: string;
  /** Unprefixed attributes by name; prefixed ones by `xsi:`/`ovf:` + local name when their namespace is known. */
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

const PREFIX_FOR_NS: Record<string, string> = { [XSI_NS]: "xsi", [OVF_NS]: "ovf", [VCLOUD_NS]: "" };

const bad = (msg: string) => new SimError(400, "BAD_REQUEST", `Bad request: ${msg}`);

export function parseBody(xml: string): El {
  let doc: XmlJsElement;
  try {
    doc = xml2js(xml, {
      compact: false,
      ignoreComment: true,
      ignoreInstruction: true,
      ignoreDeclaration: true,
    }) as XmlJsElement;
  } catch (e) {
    throw bad(`the request body is not well-formed XML (${(e as Error).message.split("\n")[0]})`);
  }
  const root = (doc.elements ?? []).find((e) => e.type === "element");
  if (!root) throw bad("the request body is empty or not well-formed XML");
  return convert(root, {});
}

function convert(e: XmlJsElement, scope: Record<string, string>): El {
  const ns = { ...scope };
  const rawAttrs = (e.attributes ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === "xmlns") ns[""] = String(v);
    else if (k.startsWith("xmlns:")) ns[k.slice(6)] = String(v);
  }
  const [prefix, local] = split(e.name!);
  // An unprefixed element outside any default namespace is in no namespace (and will not match the schema).
  const uri = prefix === "" ? (ns[""] ?? "") : ns[prefix];
  if (uri === undefined) throw bad(`The prefix "${prefix}" for element "${e.name}" is not bound.`);
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === "xmlns" || k.startsWith("xmlns:")) continue;
    const [p, l] = split(k);
    if (!p) attrs[l] = String(v);
    else {
      const auri = ns[p];
      if (auri === undefined) throw bad(`The prefix "${p}" for attribute "${k}" is not bound.`);
      attrs[`${PREFIX_FOR_NS[auri] ?? p}:${l}`] = String(v);
    }
  }
  const children: El[] = [];
  let text = "";
  for (const c of e.elements ?? []) {
    if (c.type === "element") children.push(convert(c, ns));
    else if (c.type === "text" || c.type === "cdata") text += String(c.text ?? c.cdata ?? "");
  }
  return { ns: uri, local, attrs, children, text: text.trim() };
}

function split(name: string): [string, string] {
  const i = name.indexOf(":");
  return i < 0 ? ["", name] : [name.slice(0, i), name.slice(i + 1)];
}

// Schema sequences per type, from the vCloud API schema. A token is `[ovf:]Name` with `*` (repeats) and `!` (required);
// `Section*` stands for the ovf:Section substitution group (any element named *Section). Types not listed here are
// not checked below their own level.
const SEQUENCES: Record<string, string[]> = {
  ComposeVAppParams: ["Description", "VAppParent", "InstantiationParams", "SourcedItem*", "AllEULAsAccepted"],
  // RecomposeVAppParamsType extends ComposeVAppParamsType (its own items follow; govcd puts DeleteItem last).
  RecomposeVAppParams: [
    "Description",
    "VAppParent",
    "InstantiationParams",
    "SourcedItem*",
    "CreateItem*",
    "AllEULAsAccepted",
    "DeleteItem*",
    "ReconfigureItem*",
  ],
  InstantiateVAppTemplateParams: [
    "Description",
    "VAppParent",
    "InstantiationParams",
    "Source!",
    "IsSourceDelete",
    "SourcedItem*",
    "AllEULAsAccepted",
  ],
  InstantiationParams: ["Section*"],
  NetworkConfigSection: ["ovf:Info!", "Link*", "NetworkConfig*"],
  NetworkConfig: ["Description", "Configuration!", "IsDeployed"],
  Configuration: [
    "IpScopes",
    "ParentNetwork",
    "FenceMode!",
    "RetainNetInfoAcrossDeployments",
    "Features",
    "SyslogServerSettings",
    "RouterInfo",
  ],
  VApp: [
    "Link*",
    "Description",
    "Tasks",
    "Files",
    "VAppParent",
    "Section*",
    "DateCreated",
    "Owner",
    "InMaintenanceMode",
    "Children",
  ],
  LeaseSettingsSection: [
    "ovf:Info!",
    "Link*",
    "DeploymentLeaseInSeconds",
    "StorageLeaseInSeconds",
    "DeploymentLeaseExpiration",
    "StorageLeaseExpiration",
  ],
  Owner: ["Link*", "User!"],
  DeployVAppParams: [],
  UndeployVAppParams: ["UndeployPowerAction"],
  Metadata: ["Link*", "MetadataEntry*"],
  MetadataEntry: ["Link*", "Domain", "Key!", "Value", "TypedValue"],
  MetadataValue: ["Link*", "Domain", "Value", "TypedValue"],
  TypedValue: ["Value!"],
};

interface Token {
  ns: string;
  local: string;
  many: boolean;
  required: boolean;
  section: boolean;
}

function tokens(seq: string[]): Token[] {
  return seq.map((t) => {
    const many = t.includes("*");
    const required = t.includes("!");
    const name = t.replace(/[*!]/g, "");
    const ovf = name.startsWith("ovf:");
    const local = ovf ? name.slice(4) : name;
    return { ns: ovf ? OVF_NS : VCLOUD_NS, local, many, required, section: local === "Section" };
  });
}

function matches(t: Token, e: El): boolean {
  if (t.section) return e.local.endsWith("Section") && (e.ns === OVF_NS || e.ns === VCLOUD_NS);
  return t.local === e.local && t.ns === e.ns;
}

const show = (t: Token) => `"${t.ns}":${t.section ? "Section" : t.local}`;

/** Expected tokens from position i: optional ones up to and including the first required one. */
function expected(ts: Token[], i: number): string {
  const out: string[] = [];
  for (let k = i; k < ts.length; k++) {
    out.push(show(ts[k]));
    if (ts[k].required) break;
  }
  return out.join(", ");
}

/** Checks the element tree against SEQUENCES; throws 400 BAD_REQUEST naming the first offending element. */
export function validate(e: El) {
  const seq = SEQUENCES[e.local];
  if (!seq) return;
  const ts = tokens(seq);
  let i = 0;
  for (const c of e.children) {
    let j = i;
    while (j < ts.length && !matches(ts[j], c)) {
      if (ts[j].required)
        j = ts.length; // a required element was skipped: nothing later may match
      else j++;
    }
    if (j >= ts.length) {
      const exp = expected(ts, i);
      throw bad(
        exp
          ? `cvc-complex-type.2.4.a: Invalid content was found starting with element '${c.local}'. One of '{${exp}}' is expected.`
          : `cvc-complex-type.2.4.d: Invalid content was found starting with element '${c.local}'. No child element is expected at this point.`,
      );
    }
    i = ts[j].many ? j : j + 1;
    validate(c);
  }
  // Required tokens are never repeatable, so one that matched has moved i past itself.
  if (ts.slice(i).some((t) => t.required)) {
    throw bad(
      `cvc-complex-type.2.4.b: The content of element '${e.local}' is not complete. One of '{${expected(ts, i)}}' is expected.`,
    );
  }
}

/** Parses and validates a body whose root must be `root` in the vCloud namespace. */
export function readBody(xml: string, root: string): El {
  const e = parseBody(xml);
  if (e.local !== root || e.ns !== VCLOUD_NS) {
    throw bad(`cvc-elt.1.a: Cannot find the declaration of element '${e.local}' (expected {${VCLOUD_NS}}${root}).`);
  }
  validate(e);
  return e;
}

export const kid = (e: El | undefined, local: string) => e?.children.find((c) => c.local === local);
export const kids = (e: El | undefined, local: string) => e?.children.filter((c) => c.local === local) ?? [];
export const kidText = (e: El | undefined, local: string) => kid(e, local)?.text;
