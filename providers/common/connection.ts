// Which changes of a connection move a resource to another system. A resource lives on one vCenter or vCD (its id
// is a moref or an href there), so a new endpoint cannot be reached by updating in place: the old object would be
// orphaned on the old endpoint and `pulumi refresh` would then forget it. Such a change replaces the resource.

/** scheme://host:port/path of an endpoint URL, lowercase host, no trailing "/" (nor "/api" for vCD); undefined if unparsable. */
export function endpointOf(url: unknown, stripSuffix?: RegExp): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    const u = new URL(url);
    let path = u.pathname.replace(/\/+$/, "");
    if (stripSuffix) path = path.replace(stripSuffix, "");
    return `${u.protocol}//${u.host.toLowerCase()}${path}`;
  } catch {
    return undefined;
  }
}

type Conn = Record<string, unknown> | undefined;

/**
 * The connection fields that moved (e.g. ["url", "org"]), comparing the endpoint URL by what it points at and the
 * other fields case-insensitively (vCD org names are). Credentials and TLS settings never count: they change in place.
 */
export function movedConnectionFields(
  olds: Conn,
  news: Conn,
  opts: { fields?: string[]; stripSuffix?: RegExp } = {},
): string[] {
  if (!olds || !news || typeof olds !== "object" || typeof news !== "object") return [];
  const moved: string[] = [];
  const a = endpointOf(olds.url, opts.stripSuffix);
  const b = endpointOf(news.url, opts.stripSuffix);
  if (a !== undefined && b !== undefined && a !== b) moved.push("url");
  for (const f of opts.fields ?? []) {
    const x = olds[f];
    const y = news[f];
    if (typeof x === "string" && typeof y === "string" && x.toLowerCase() !== y.toLowerCase()) moved.push(f);
  }
  return moved;
}

/**
 * A non-secret input naming where a resource lives, e.g. "vcd.example.com:8443 (org acme)": the whole connection is
 * secret, so without it `preview --diff` could only show `[secret] => [secret]` for a move. Host, port and path
 * only: no scheme's userinfo, query or credentials.
 */
export function endpointLabel(url: unknown, org?: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    const u = new URL(url);
    const path = u.pathname.replace(/\/+$/, "");
    return `${u.host.toLowerCase()}${path}${typeof org === "string" ? ` (org ${org})` : ""}`;
  } catch {
    return undefined;
  }
}
