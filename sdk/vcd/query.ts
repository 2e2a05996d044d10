// The typed query service with paging. Filters are FIQL (`;` = and, `,` = or); values holding FIQL's reserved
// characters cannot be sent safely, so those conditions are applied on the client instead.
import { parseQueryRecords, QueryPage, QueryRecord } from "./xml";
import type { QueryType } from "./wire";

export interface QueryOptions {
  /** Equality conditions, ANDed: { name: "web", vdc: vdcHref }. */
  filter?: Record<string, string>;
  pageSize?: number;
  sortAsc?: string;
}

interface QuerySource {
  get(href: string): Promise<string>;
  href(path: string): string;
}

const RESERVED = /[;,()=!<>*"'\\]/;

export function buildFilter(conds: Record<string, string> = {}): {
  server?: string;
  local: (r: QueryRecord) => boolean;
} {
  const server: string[] = [];
  const local: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(conds)) {
    if (RESERVED.test(v)) local.push([k, v]);
    else server.push(`${k}==${v}`);
  }
  return {
    server: server.length ? server.join(";") : undefined,
    local: (r) => local.every(([k, v]) => r.attrs[k] === v),
  };
}

function queryHref(client: QuerySource, type: QueryType, opts: QueryOptions, page: number, server?: string): string {
  const q = new URLSearchParams({
    type,
    format: "records",
    page: String(page),
    pageSize: String(opts.pageSize ?? 128),
  });
  if (server) q.set("filter", server);
  if (opts.sortAsc) q.set("sortAsc", opts.sortAsc);
  // URLSearchParams writes a space as "+", which only form decoders read as a space; %20 means a space to any
  // server (pyvcloud quotes the same way), so a name with spaces is matched as written.
  return client.href(`/api/query?${q.toString().replace(/\+/g, "%20")}`);
}

export async function queryPage(
  client: QuerySource,
  type: QueryType,
  opts: QueryOptions & { page?: number } = {},
): Promise<QueryPage> {
  const f = buildFilter(opts.filter);
  const page = parseQueryRecords(await client.get(queryHref(client, type, opts, opts.page ?? 1, f.server)));
  return { ...page, records: page.records.filter(f.local) };
}

export async function queryAll(client: QuerySource, type: QueryType, opts: QueryOptions = {}): Promise<QueryRecord[]> {
  const f = buildFilter(opts.filter);
  const out: QueryRecord[] = [];
  let href: string | undefined = queryHref(client, type, opts, 1, f.server);
  // Bounded by the server's total: a server that keeps sending nextPage links cannot loop us forever.
  for (let guard = 0; href && guard < 10_000; guard++) {
    const page = parseQueryRecords(await client.get(href));
    out.push(...page.records);
    href = page.records.length && out.length < page.total ? page.nextHref : undefined;
  }
  return out.filter(f.local);
}
