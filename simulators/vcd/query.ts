// The typed query service (GET /api/query): records scoped to the caller's org, FIQL-style filters, sorting and
// paging with next/previous links. vApp records carry status as a NAME (POWERED_ON), unlike the VApp entity.
import { Reply, Req, requireSession, Sim, xmlReply } from "./context";
import { badRequest, forbidden } from "./errors";
import { SYSTEM_ORG_ID } from "./state";
import { MEDIA, QUERY_RECORDS, QueryType, vappStatusName } from "../../sdk/vcd/wire";
import { ts } from "./xml";

type Rec = Record<string, string | number | boolean | undefined>;

const MAX_PAGE_SIZE = 128;
const DEFAULT_PAGE_SIZE = 25;

function records(sim: Sim, req: Req, type: QueryType): Rec[] {
  const s = requireSession(req);
  const { state } = sim;
  const r = req.render;
  const visible = (orgId: string) => s.provider || orgId === s.orgId;
  switch (type) {
    case "organization":
      return [...state.orgs.values()]
        .filter((o) => visible(o.id) && (o.id !== SYSTEM_ORG_ID || s.provider))
        .map((o) => ({ name: o.name, displayName: o.fullName, isEnabled: true, href: r.orgHref(o) }));
    case "orgVdc":
      return [...state.vdcs.values()]
        .filter((v) => visible(v.orgId))
        .map((v) => {
          const org = state.orgs.get(v.orgId)!;
          return {
            name: v.name,
            orgName: org.name,
            org: r.orgHref(org),
            isEnabled: true,
            allocationModel: "AllocationVApp",
            numberOfVApps: [...state.vapps.values()].filter((a) => a.vdcId === v.id).length,
            href: r.vdcHref(v),
          };
        });
    case "vApp":
      return [...state.vapps.values()]
        .filter((v) => visible(v.orgId))
        .map((v) => {
          const vdc = state.vdcs.get(v.vdcId)!;
          return {
            name: v.name,
            vdc: r.vdcHref(vdc),
            vdcName: vdc.name,
            creationDate: ts(v.created),
            isBusy: sim.tasks.activeFor(v.id).length > 0,
            isDeployed: v.deployed,
            isEnabled: true,
            isExpired: r.isExpired(v),
            isInMaintenanceMode: false,
            numberOfVMs: v.vmCount,
            ownerName: state.users.get(v.ownerId)?.name,
            status: vappStatusName(v.status),
            href: r.vappHref(v),
          };
        });
    case "vAppTemplate":
      return [...state.templates.values()]
        .filter((t) => visible(t.orgId))
        .map((t) => {
          const vdc = state.vdcs.get(t.vdcId)!;
          const cat = state.catalogs.get(t.catalogId)!;
          return {
            name: t.name,
            catalogName: cat.name,
            vdc: r.vdcHref(vdc),
            vdcName: vdc.name,
            org: r.orgHref(state.orgs.get(t.orgId)!),
            isExpired: false,
            isPublished: false,
            numberOfVMs: t.vmCount,
            status: "RESOLVED",
            href: r.templateHref(t),
          };
        });
    case "catalog":
      return [...state.catalogs.values()]
        .filter((c) => visible(c.orgId))
        .map((c) => ({
          name: c.name,
          orgName: state.orgs.get(c.orgId)!.name,
          isPublished: false,
          isShared: false,
          numberOfVAppTemplates: [...state.templates.values()].filter((t) => t.catalogId === c.id).length,
          href: r.catalogHref(c),
        }));
    case "catalogItem":
      return [...state.catalogItems.values()]
        .filter((i) => visible(state.catalogs.get(i.catalogId)!.orgId))
        .map((i) => {
          const cat = state.catalogs.get(i.catalogId)!;
          const tpl = state.templates.get(i.templateId)!;
          return {
            name: i.name,
            catalog: r.catalogHref(cat),
            catalogName: cat.name,
            entity: r.templateHref(tpl),
            entityName: tpl.name,
            entityType: "vapptemplate",
            isPublished: false,
            href: r.catalogItemHref(i),
          };
        });
    case "task":
      return [...sim.tasks.tasks.values()]
        .filter((t) => visible(t.orgId))
        .map((t) => ({
          name: t.operationName,
          operationFull: t.operation,
          object: r.vappHref(t.owner),
          objectName: t.owner.name,
          objectType: "vApp",
          status: t.status,
          startDate: ts(t.startTime),
          endDate: t.endTime ? ts(t.endTime) : undefined,
          org: state.orgs.get(t.orgId) ? r.orgHref(state.orgs.get(t.orgId)!) : undefined,
          href: r.taskHref(t),
        }));
    case "user":
      // "Users in your organization" (visible to User, OrgAdmin; deprecated since 38.1): a provider session sees
      // System users only. Users of every org are the sysadmin-only adminUser query.
      return [...state.users.values()]
        .filter((u) => u.orgId === s.orgId)
        .map((u) => ({ name: u.name, fullName: u.fullName, isEnabled: true, isLdapUser: false, href: r.userHref(u) }));
    case "adminUser":
      if (!s.provider) throw forbidden("query type adminUser");
      return [...state.users.values()].map((u) => ({
        name: u.name,
        org: r.orgHref(state.orgs.get(u.orgId)!),
        fullName: u.fullName,
        isEnabled: true,
        isLdapUser: false,
        href: r.userHref(u),
      }));
  }
}

const isQueryType = (type: string): type is QueryType => Object.hasOwn(QUERY_RECORDS, type);

/** `a==x;b==y` is AND, `,` is OR (AND binds tighter, as in FIQL); `*` is a wildcard; `!=` negates. */
function compileFilter(filter: string): (r: Rec) => boolean {
  const ors = filter.split(",").map((conj) =>
    conj.split(";").map((cond) => {
      const m = /^([A-Za-z.]+)(==|!=)(.*)$/.exec(cond.trim());
      if (!m) throw badRequest(`Bad request: the query filter "${cond}" is not valid.`);
      const [, attr, op, raw] = m;
      const value = raw;
      const re = new RegExp(
        `^${value
          .split("*")
          .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
        "i",
      );
      return (r: Rec) => {
        const actual = r[attr];
        if (actual === undefined) return op === "!=";
        const s = String(actual);
        // Reference attributes (vdc, catalog, org, ...) match by full href or by the id at its end.
        const hit =
          re.test(s) ||
          (/^https?:\/\//.test(s) &&
            value.length >= 8 &&
            s.toLowerCase().endsWith(value.toLowerCase().replace(/^urn:vcloud:[a-z]+:/, "")));
        return op === "==" ? hit : !hit;
      };
    }),
  );
  return (r) => ors.some((and) => and.every((c) => c(r)));
}

export function query(sim: Sim, req: Req): Reply {
  const type = req.query.get("type");
  if (!type) throw badRequest("Bad request: the query parameter type is required.");
  const format = req.query.get("format") ?? "records";
  if (format !== "records")
    throw badRequest(`Bad request: format=${format} is not implemented by this simulator; use format=records.`);
  const page = Number(req.query.get("page") ?? "1");
  const pageSize = Number(req.query.get("pageSize") ?? String(DEFAULT_PAGE_SIZE));
  if (!Number.isInteger(page) || page < 1) throw badRequest(`Bad request: page must be a positive integer.`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw badRequest(`Bad request: pageSize must be between 1 and ${MAX_PAGE_SIZE}.`);
  if (!isQueryType(type))
    throw badRequest(
      `Bad request: query type "${type}" is not supported (supported: ${Object.keys(QUERY_RECORDS).join(", ")}).`,
    );
  let recs = records(sim, req, type);
  const filter = req.query.get("filter");
  if (filter) recs = recs.filter(compileFilter(filter));
  const sortAsc = req.query.get("sortAsc");
  const sortDesc = req.query.get("sortDesc");
  const sortKey = sortAsc ?? sortDesc;
  if (sortKey) {
    recs.sort((a, b) => String(a[sortKey] ?? "").localeCompare(String(b[sortKey] ?? "")) * (sortDesc ? -1 : 1));
  }
  const total = recs.length;
  const pageRecs = recs.slice((page - 1) * pageSize, page * pageSize);
  const href = (p: number) => {
    const q = new URLSearchParams(req.query);
    q.set("page", String(p));
    q.set("pageSize", String(pageSize));
    q.set("format", "records");
    return `${req.render.base}/api/query?${q.toString()}`;
  };
  return xmlReply(200, MEDIA.records, req.render.queryRecords(type, pageRecs, page, pageSize, total, href));
}
