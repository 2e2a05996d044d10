// What every handler sees: the simulator's parts and the request being served.
import { IncomingHttpHeaders } from "http";
import { forbidden, notAuthenticated, SimError } from "./errors";
import { Faults } from "./faults";
import { Session, SimState, User } from "./state";
import { TaskEngine } from "./tasks";
import { Renderer } from "./xml";

export interface Sim {
  state: SimState;
  tasks: TaskEngine;
  faults: Faults;
}

export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  requestId: string;
  /** API version from the Accept header (already checked against the supported list). */
  version?: string;
  session?: Session;
  render: Renderer;
  /** Path parameters captured by the route. */
  params: string[];
}

export interface Reply {
  status: number;
  body?: string;
  /** Media type without parameters; the server appends ;version=. */
  type?: string;
  headers?: Record<string, string>;
}

export const xmlReply = (status: number, type: string, body: string, headers?: Record<string, string>): Reply => ({
  status,
  type,
  body,
  headers,
});

export function requireSession(req: Req): Session {
  if (!req.session) throw notAuthenticated();
  return req.session;
}

export function sessionUser(sim: Sim, req: Req): User {
  const s = requireSession(req);
  const u = sim.state.users.get(s.userId);
  if (!u) throw notAuthenticated();
  return u;
}

/** Tenants see their own org only; provider sessions see every org. Anything else is "forbidden", never "not found". */
export function assertOrgAccess(req: Req, orgId: string, what: string) {
  const s = requireSession(req);
  if (!s.provider && s.orgId !== orgId) throw forbidden(what);
}

/** Content-Type must name the request's media type (JAX-RS @Consumes); parameters such as version are ignored. */
export function requireContentType(req: Req, mediaType: string) {
  const ct = String(req.headers["content-type"] ?? "")
    .split(";")[0]
    .trim()
    .toLowerCase();
  if (ct !== mediaType.toLowerCase()) {
    throw new SimError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `The request has an unsupported content type "${ct || "(none)"}"; expected "${mediaType}".`,
    );
  }
}
