// API version negotiation and login. The version is chosen from GET /api/versions; login goes to the URL the
// chosen VersionInfo advertises (cloudapi from 36.0 on), falling back to the legacy /api/sessions when the server
// has no cloudapi. The password is only ever placed in the Basic header of the login request.
import { redact } from "../util/redact";
import { NotAuthenticatedError, parseErrorResponse, VcdError, VersionError } from "./errors";
import { parseVersions, rootElement, VersionInfo } from "./xml";
import { attr } from "../xml";

/** API versions this client speaks: 10.3 (36.0) to 10.6 (39.x). */
export const CLIENT_API_VERSIONS = ["36.0", "37.0", "37.1", "37.2", "37.3", "38.0", "38.1", "39.0", "39.0.1", "39.1"];

export type LoginMode = "auto" | "cloudapi" | "legacy";

export interface RawResponse {
  status: number;
  data: string;
  headers: Record<string, unknown>;
}
export type RawRequest = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
) => Promise<RawResponse>;

const vkey = (v: string) => v.split(".").map(Number);
export function compareVersions(a: string, b: string): number {
  const x = vkey(a);
  const y = vkey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * The highest non-deprecated version both sides support, or the pinned one if the server offers it (deprecated
 * or not: pinning is the caller's explicit choice).
 */
export function chooseVersion(
  server: VersionInfo[],
  pinned?: string,
  clientVersions = CLIENT_API_VERSIONS,
): VersionInfo {
  const offered = server.map((v) => v.version).join(", ");
  if (pinned) {
    const hit = server.find((v) => v.version === pinned);
    if (!hit) throw new VersionError(`vCD does not support API version ${pinned}; it offers: ${offered}`);
    return hit;
  }
  const common = server
    .filter((v) => !v.deprecated && clientVersions.includes(v.version))
    .sort((a, b) => compareVersions(b.version, a.version));
  if (!common.length) {
    throw new VersionError(
      `no API version in common: vCD offers ${offered || "none"} (non-deprecated), this client supports ${clientVersions.join(", ")}; pin one with apiVersion`,
    );
  }
  return common[0];
}

export async function fetchVersions(raw: RawRequest, baseUrl: string): Promise<VersionInfo[]> {
  const r = await raw("GET", `${baseUrl}/api/versions`, { Accept: "application/*+xml" });
  if (r.status !== 200) throw parseErrorResponse(r.status, r.data, r.headers, { method: "GET", path: "/api/versions" });
  return parseVersions(r.data);
}

export interface Credentials {
  org: string;
  username: string;
  password: string;
}

export interface Session {
  kind: "cloudapi" | "legacy";
  /** Headers that authenticate later requests. */
  authHeaders: Record<string, string>;
  user: string;
  org: string;
  userId?: string;
}

const basic = (c: Credentials) => `Basic ${Buffer.from(`${c.username}@${c.org}:${c.password}`).toString("base64")}`;
const header = (h: Record<string, unknown>, name: string) => {
  const v = h[name.toLowerCase()];
  return typeof v === "string" ? v : Array.isArray(v) ? String(v[0]) : undefined;
};

function loginError(r: RawResponse, path: string, c: Credentials, hint = ""): VcdError {
  const e = parseErrorResponse(r.status, redact(r.data, [c.password]), r.headers, { method: "POST", path });
  if (!(e instanceof NotAuthenticatedError) || !hint) return e;
  return new NotAuthenticatedError({
    status: e.status,
    majorErrorCode: e.majorErrorCode,
    minorErrorCode: e.minorErrorCode,
    vcdMessage: `${e.vcdMessage}${hint}`,
    requestId: e.requestId,
    method: e.method,
    path: e.path,
  });
}

async function cloudapiLogin(
  raw: RawRequest,
  url: string,
  version: string,
  c: Credentials,
): Promise<Session | "absent"> {
  const path = new URL(url).pathname;
  const r = await raw("POST", url, { Accept: `application/json;version=${version}`, Authorization: basic(c) });
  if (r.status === 404) return "absent";
  if (r.status !== 200)
    throw loginError(
      r,
      path,
      c,
      ` (user "${c.username}" in org "${c.org}"; check the credentials, and that provider users log in with org System)`,
    );
  const token = header(r.headers, "x-vmware-vcloud-access-token");
  if (!token) throw new Error(`vCD login at ${path} returned no X-VMWARE-VCLOUD-ACCESS-TOKEN header`);
  let body: { user?: { name?: string; id?: string }; org?: { name?: string } } = {};
  try {
    body = JSON.parse(r.data);
  } catch {
    // the token is what matters; the body is informational
  }
  return {
    kind: "cloudapi",
    authHeaders: { Authorization: `Bearer ${token}`, "X-VMWARE-VCLOUD-TOKEN-TYPE": "Bearer" },
    user: body.user?.name ?? c.username,
    org: body.org?.name ?? c.org,
    userId: body.user?.id,
  };
}

async function legacyLogin(raw: RawRequest, baseUrl: string, version: string, c: Credentials): Promise<Session> {
  const r = await raw("POST", `${baseUrl}/api/sessions`, {
    Accept: `application/*+xml;version=${version}`,
    Authorization: basic(c),
  });
  if (r.status !== 200) {
    const hint =
      compareVersions(version, "38.0") >= 0
        ? ` (vCD refuses /api/sessions for API ${version}: 38.0 and later need the cloudapi login)`
        : "";
    throw loginError(r, "/api/sessions", c, hint);
  }
  const token = header(r.headers, "x-vcloud-authorization");
  if (!token) throw new Error("vCD login at /api/sessions returned no X-Vcloud-Authorization header");
  const s = rootElement(r.data, "Session");
  return {
    kind: "legacy",
    authHeaders: { "x-vcloud-authorization": token },
    user: attr(s, "user") ?? c.username,
    org: attr(s, "org") ?? c.org,
    userId: attr(s, "userId"),
  };
}

export async function login(
  raw: RawRequest,
  baseUrl: string,
  info: VersionInfo,
  c: Credentials,
  mode: LoginMode,
): Promise<Session> {
  const provider = c.org.toLowerCase() === "system";
  const advertised = provider ? (info.providerLoginUrl ?? info.loginUrl) : info.loginUrl;
  const cloudUrl = `${baseUrl}/cloudapi/1.0.0/sessions${provider ? "/provider" : ""}`;
  if (mode === "legacy") return legacyLogin(raw, baseUrl, info.version, c);
  // The advertised URL may carry the server's public host; only its path decides the kind of login.
  const advertisesCloudapi = !advertised || advertised.includes("/cloudapi/");
  if (mode === "cloudapi" || advertisesCloudapi) {
    const s = await cloudapiLogin(raw, cloudUrl, info.version, c);
    if (s !== "absent") return s;
    if (mode === "cloudapi") throw new Error(`vCD has no cloudapi login (${cloudUrl} answered 404)`);
  }
  return legacyLogin(raw, baseUrl, info.version, c);
}
