// Structural comparison of two vCD XML documents (a recorded response and the simulator's), for the fidelity suite.
// Names are compared as {namespace}local (prefixes are free: ns13 and vcloud are the same), children by name and
// order, attributes by name and order, links as a set of (rel, type, href pattern), root namespace declarations as
// a set, and values after masking what legitimately differs between two servers (host, uuids, timestamps).
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { parse as parseYaml } from "yaml";
import type { Element as XmlJsElement } from "xml-js";
import { rootOf, textOf } from "../helpers/xml-order";
import {
  COMMON_NS,
  OVF_NS,
  OVFENV_NS,
  RASD_NS,
  VCLOUD_NS,
  VERSIONS_NS,
  VMEXT_NS,
  VMW_NS,
  VSSD_NS,
  XSI_NS,
} from "../../sdk/vcd/wire";

// --- recordings ---

export interface Interaction {
  /** file name without .yml, plus #n when a cassette holds several interactions */
  id: string;
  method: string;
  path: string;
  requestContentType?: string;
  status: number;
  contentType: string;
  body: string;
  recordedAt: Date;
}

/** The recorded cassettes beside the repository (../shared/reference/vcd-recordings); never copied into it. */
export const RECORDINGS_DIR =
  process.env.VCD_RECORDINGS_DIR ?? join(__dirname, "../../../shared/reference/vcd-recordings");

/** The parts of a VCR cassette the suite reads. */
interface Cassette {
  http_interactions: Array<{
    request: { method: string; uri: string; headers?: Record<string, string[]> };
    response: { status: { code: number }; headers?: Record<string, string[]>; body: { string: string } };
    recorded_at: string;
  }>;
}

export function loadRecordings(dir = RECORDINGS_DIR): Interaction[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".yml"))
      .sort();
  } catch {
    throw new Error(
      `vCD recordings not found at ${dir}: the fidelity suite reads them from ../shared/reference/vcd-recordings beside the ` +
        "repository (clone the shared reference next to it, or set VCD_RECORDINGS_DIR)",
    );
  }
  const out: Interaction[] = [];
  for (const f of files) {
    const doc = parseYaml(readFileSync(join(dir, f), "utf8")) as Cassette;
    const all = doc.http_interactions;
    all.forEach((i, n) => {
      const header = (h: Record<string, string[]> | undefined, name: string) =>
        Object.entries(h ?? {}).find(([k]) => k.toLowerCase() === name)?.[1]?.[0];
      out.push({
        id: f.replace(/\.yml$/, "") + (all.length > 1 ? `#${n + 1}` : ""),
        method: String(i.request.method).toUpperCase(),
        path: new URL(i.request.uri).pathname,
        requestContentType: header(i.request.headers, "content-type"),
        status: i.response.status.code,
        contentType: header(i.response.headers, "content-type") ?? "",
        body: i.response.body.string,
        recordedAt: new Date(i.recorded_at),
      });
    });
  }
  return out;
}

// --- namespace-resolved tree ---

export interface Node {
  ns: string;
  local: string;
  attrs: Array<{ ns: string; local: string; value: string }>;
  /** xmlns declarations on this element: prefix ("" for the default) → URI */
  decls: Record<string, string>;
  children: Node[];
  text: string;
}

export function parseResolved(xml: string): Node {
  const conv = (e: XmlJsElement, scope: Record<string, string>): Node => {
    const raw = (e.attributes ?? {}) as Record<string, string>;
    const decls: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw))
      if (k === "xmlns" || k.startsWith("xmlns:")) decls[k === "xmlns" ? "" : k.slice(6)] = String(v);
    const ns = { ...scope, ...decls };
    const split = (q: string, dflt: string) => {
      const i = q.indexOf(":");
      return i < 0
        ? { ns: dflt, local: q }
        : { ns: ns[q.slice(0, i)] ?? `unbound:${q.slice(0, i)}`, local: q.slice(i + 1) };
    };
    const name = split(e.name ?? "", ns[""] ?? "");
    return {
      ...name,
      attrs: Object.entries(raw)
        .filter(([k]) => k !== "xmlns" && !k.startsWith("xmlns:"))
        .map(([k, v]) => ({ ...split(k, ""), value: String(v) })),
      decls,
      children: (e.elements ?? []).filter((c) => c.type === "element").map((c) => conv(c, ns)),
      text: textOf(e),
    };
  };
  return conv(rootOf(xml), {});
}

const PREFIX: Record<string, string> = {
  [VCLOUD_NS]: "",
  [OVF_NS]: "ovf:",
  [XSI_NS]: "xsi:",
  [VERSIONS_NS]: "versions:",
  [VSSD_NS]: "vssd:",
  [RASD_NS]: "rasd:",
  [COMMON_NS]: "common:",
  [VMW_NS]: "vmw:",
  [OVFENV_NS]: "ovfenv:",
  [VMEXT_NS]: "vmext:",
};
/** A readable name: the usual prefix for known namespaces, {uri} otherwise. */
export const show = (n: { ns: string; local: string }) =>
  (n.ns in PREFIX ? PREFIX[n.ns] : n.ns ? `{${n.ns}}` : "") + n.local;
/** Attributes: unprefixed ones are in no namespace, so a vCloud-namespaced one shows as vcloud:name. */
const showAttr = (a: { ns: string; local: string }) => (a.ns === VCLOUD_NS ? `vcloud:${a.local}` : show(a));

// --- comparison ---

export interface CompareOptions {
  /** Masks what two servers legitimately write differently (base URL, uuids, timestamps). */
  mask: (value: string) => string;
}

/** Attributes whose values are names a user chose or free wording: compared by presence only. */
const FREE_ATTRS = new Set([
  "name",
  "ovf:name",
  "ovf:id",
  "networkName",
  "operation",
  "message",
  "org",
  "user",
  "roles",
  "size",
  "created",
  "poweredOn",
]);
/** Leaf elements whose text says something about behaviour (the rest is inventory: capacities, IP scopes, names). */
const COMPARED_TEXT = new Set([
  "ovf:Info",
  "DeploymentLeaseInSeconds",
  "StorageLeaseInSeconds",
  "DeploymentLeaseExpiration",
  "StorageLeaseExpiration",
  "DateCreated",
  "FenceMode",
  "IsDeployed",
  "InMaintenanceMode",
  "RetainNetInfoAcrossDeployments",
  "IsEnabled",
  "Units",
]);

const linkKey = (l: Node, mask: (v: string) => string) => {
  const a = (k: string) => l.attrs.find((x) => x.local === k && x.ns === "")?.value ?? "";
  return `rel=${a("rel")} type=${a("type") || "-"} href=${mask(a("href"))}`;
};

/** Differences between a recorded document and the simulator's, one line each, with the element path in front. */
export function compareXml(real: string, sim: string, opts: CompareOptions): string[] {
  const out: string[] = [];
  const r = parseResolved(real);
  const s = parseResolved(sim);
  const declSet = (n: Node) => Object.values(n.decls).sort();
  const rd = declSet(r);
  const sd = declSet(s);
  const missingNs = rd.filter((u) => !sd.includes(u));
  const extraNs = sd.filter((u) => !rd.includes(u));
  if (missingNs.length) out.push(`${show(r)}: root namespace declarations missing: ${missingNs.join(", ")}`);
  if (extraNs.length) out.push(`${show(r)}: root namespace declarations extra: ${extraNs.join(", ")}`);
  compareNode(r, s, show(r), opts, out);
  return out;
}

function compareNode(r: Node, s: Node, path: string, opts: CompareOptions, out: string[]) {
  if (r.ns !== s.ns || r.local !== s.local) {
    out.push(`${path}: element ${show(s)} instead of ${show(r)}`);
    return;
  }
  // attributes: names and order, then values
  const ra = r.attrs.map(showAttr);
  const sa = s.attrs.map(showAttr);
  if (ra.join() !== sa.join()) {
    const missing = ra.filter((a) => !sa.includes(a));
    const extra = sa.filter((a) => !ra.includes(a));
    if (missing.length) out.push(`${path}: attributes missing: ${missing.join(", ")}`);
    if (extra.length) out.push(`${path}: attributes extra: ${extra.join(", ")}`);
    const common = ra.filter((a) => sa.includes(a));
    if (!missing.length && !extra.length && common.join() !== sa.filter((a) => ra.includes(a)).join()) {
      out.push(`${path}: attribute order [${sa.join(", ")}] instead of [${ra.join(", ")}]`);
    }
  }
  for (const a of r.attrs) {
    const name = showAttr(a);
    const b = s.attrs.find((x) => x.ns === a.ns && x.local === a.local);
    if (!b || FREE_ATTRS.has(name)) continue;
    if (opts.mask(a.value) !== opts.mask(b.value))
      out.push(`${path}@${name}: "${opts.mask(b.value)}" instead of "${opts.mask(a.value)}"`);
  }
  // text of behavioural leaves
  if (COMPARED_TEXT.has(show(r)) && opts.mask(r.text) !== opts.mask(s.text))
    out.push(`${path}: text "${opts.mask(s.text)}" instead of "${opts.mask(r.text)}"`);
  // links: a set
  const links = (n: Node) =>
    n.children.filter((c) => c.local === "Link" && c.ns === VCLOUD_NS).map((l) => linkKey(l, opts.mask));
  const rl = links(r);
  const sl = links(s);
  for (const l of rl.filter((x) => !sl.includes(x))) out.push(`${path}: link missing: ${l}`);
  for (const l of sl.filter((x) => !rl.includes(x))) out.push(`${path}: link extra: ${l}`);
  // children: names and order (repeats collapsed), then pairwise by name and index
  const seq = (n: Node) => n.children.map(show).filter((x, i, all) => i === 0 || all[i - 1] !== x);
  const rs = seq(r);
  const ss = seq(s);
  if (rs.join() !== ss.join()) {
    const missing = rs.filter((c) => !ss.includes(c));
    const extra = ss.filter((c) => !rs.includes(c));
    for (const m of missing) out.push(`${path}: element missing: ${m}`);
    for (const e of extra) out.push(`${path}: element extra: ${e}`);
    const common = (a: string[], b: string[]) => a.filter((x) => b.includes(x));
    if (common(rs, ss).join() !== common(ss, rs).join())
      out.push(`${path}: children in order [${ss.join(", ")}] instead of [${rs.join(", ")}]`);
  }
  for (const name of new Set(r.children.map(show))) {
    if (name === "Link") continue;
    const rk = r.children.filter((c) => show(c) === name);
    const sk = s.children.filter((c) => show(c) === name);
    for (let i = 0; i < Math.min(rk.length, sk.length); i++) compareNode(rk[i], sk[i], `${path}/${name}`, opts, out);
  }
}

// --- masking ---

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const DATETIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d/g;

/** Masks both servers' base URLs, uuids and vCD-style timestamps (milliseconds and an offset). */
export function masker(bases: string[]): (v: string) => string {
  return (v) => {
    let out = v;
    for (const b of bases) out = out.split(b).join("{base}");
    return out.replace(UUID, "{uuid}").replace(DATETIME, "{datetime}");
  };
}

// --- HTTP ---

/** The media type of a Content-Type header and its version parameter. */
export function mediaType(header: string): { type: string; version?: string } {
  const [type, ...params] = header.split(";").map((p) => p.trim());
  const version = params.find((p) => p.startsWith("version="))?.slice("version=".length);
  return { type, version };
}
