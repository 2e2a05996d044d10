// Logins and sessions: cloudapi (JSON, bearer token) and the legacy /api/sessions (XML, X-Vcloud-Authorization),
// which vCD stopped accepting for API version 38.0 and later.
import { randomBytes, randomUUID } from "crypto";
import { Reply, Req, requireSession, Sim, xmlReply } from "./context";
import { notAuthenticated, SimError } from "./errors";
import { Session, SYSTEM_ORG_ID, User } from "./state";
import { MEDIA } from "../../sdk/vcd/wire";

/** Checks `Authorization: Basic base64(user@org:password)`; the password is compared and never stored elsewhere. */
function basicUser(sim: Sim, req: Req): User {
  const h = String(req.headers.authorization ?? "");
  const m = /^Basic\s+(\S+)$/i.exec(h);
  if (!m) throw notAuthenticated();
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw notAuthenticated();
  const principal = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const at = principal.lastIndexOf("@");
  if (at < 0) throw notAuthenticated();
  const org = sim.state.orgByName(principal.slice(at + 1));
  const user = org && sim.state.userByName(org.id, principal.slice(0, at));
  if (!user || user.password !== password) throw notAuthenticated();
  return user;
}

function openSession(sim: Sim, user: User, kind: Session["kind"]): Session {
  const id = randomUUID();
  // A JWT-shaped token: clients must treat it as opaque, but real ones are JWTs and some log their header.
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const token = `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ sub: user.name, sid: id, iss: "vcd-simulator" })}.${randomBytes(32).toString("base64url")}`;
  const s: Session = {
    id,
    token,
    legacyToken: randomBytes(16).toString("hex"),
    userId: user.id,
    orgId: user.orgId,
    provider: user.orgId === SYSTEM_ORG_ID,
    kind,
    lastUsed: Date.now(),
    expired: false,
  };
  sim.state.sessions.set(id, s);
  return s;
}

export function cloudapiLogin(sim: Sim, req: Req, provider: boolean): Reply {
  const user = basicUser(sim, req);
  // Tenant and provider logins have separate endpoints since 10.3; the wrong one is refused like bad credentials.
  if ((user.orgId === SYSTEM_ORG_ID) !== provider) throw notAuthenticated();
  const s = openSession(sim, user, "cloudapi");
  const org = sim.state.orgs.get(user.orgId)!;
  const body = {
    id: `urn:vcloud:session:${s.id}`,
    site: { name: "vcd-simulator", id: "urn:vcloud:site:00000000-0000-0000-0000-000000000001" },
    user: { name: user.name, id: `urn:vcloud:user:${user.id}` },
    org: { name: org.name, id: `urn:vcloud:org:${org.id}` },
    operatingOrg: { name: org.name, id: `urn:vcloud:org:${org.id}` },
    location: `${org.name}@simulator`,
    roles: [user.role],
    roleRefs: [
      { name: user.role, id: `urn:vcloud:role:${Buffer.from(user.role).toString("hex").padEnd(32, "0").slice(0, 32)}` },
    ],
    sessionIdleTimeoutMinutes: sim.state.sessionIdleTimeoutMinutes,
  };
  return {
    status: 200,
    type: "application/json",
    body: JSON.stringify(body),
    headers: { "X-VMWARE-VCLOUD-ACCESS-TOKEN": s.token, "X-VMWARE-VCLOUD-TOKEN-TYPE": "Bearer" },
  };
}

export function legacyLogin(sim: Sim, req: Req): Reply {
  const major = Number((req.version ?? "0").split(".")[0]);
  if (major >= 38) {
    throw new SimError(
      401,
      "NOT_AUTHENTICATED",
      `Login through /api/sessions is not supported for API version ${req.version}; use /cloudapi/1.0.0/sessions.`,
    );
  }
  const user = basicUser(sim, req);
  const s = openSession(sim, user, "legacy");
  return xmlReply(200, MEDIA.session, req.render.session(s), {
    "X-Vcloud-Authorization": s.legacyToken,
    "X-VMWARE-VCLOUD-ACCESS-TOKEN": s.token,
    "X-VMWARE-VCLOUD-TOKEN-TYPE": "Bearer",
  });
}

export function getSession(_sim: Sim, req: Req): Reply {
  return xmlReply(200, MEDIA.session, req.render.session(requireSession(req)));
}

export function logout(sim: Sim, req: Req): Reply {
  sim.state.sessions.delete(requireSession(req).id);
  return { status: 204 };
}

/** Finds the session for a bearer or x-vcloud-authorization token; expired or unknown tokens find nothing. */
export function resolveSession(sim: Sim, req: Req): Session | undefined {
  const auth = String(req.headers.authorization ?? "");
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const legacy = req.headers["x-vcloud-authorization"];
  const token = bearer ?? (Array.isArray(legacy) ? legacy[0] : legacy);
  if (!token) return undefined;
  const idleMs = sim.state.sessionIdleTimeoutMinutes * 60_000;
  for (const s of sim.state.sessions.values()) {
    if (s.token !== token && s.legacyToken !== token) continue;
    if (s.expired || Date.now() - s.lastUsed > idleMs) {
      sim.state.sessions.delete(s.id);
      return undefined;
    }
    s.lastUsed = Date.now();
    return s;
  }
  return undefined;
}
