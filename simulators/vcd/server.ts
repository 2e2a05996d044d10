// The HTTP front: request ids, version negotiation (406), authentication (401), fault injection, routing, and
// error rendering (<Error> for /api, JSON for /cloudapi).
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import { randomUUID } from "crypto";
import { cloudapiLogin, getSession, legacyLogin, logout, resolveSession } from "./auth";
import { assertOrgAccess, Reply, Req, Sim, xmlReply } from "./context";
import { errorJson, errorXml, forbidden, notAuthenticated, SimError } from "./errors";
import { Faults } from "./faults";
import { query } from "./query";
import { defaultSeed, VcdSimulatorConfig } from "./seed";
import { SimState } from "./state";
import { TaskEngine } from "./tasks";
import * as vapps from "./vapps";
import { MEDIA } from "../../sdk/vcd/wire";
import { Renderer } from "./xml";

type Handler = (sim: Sim, req: Req) => Reply;
interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  auth: boolean;
}

const ID = "([^/]+)";
const VAPP = `/api/vApp/vapp-${ID}`;

function lookup<T extends { orgId: string }>(map: Map<string, T>, req: Req, kind: string): T {
  const id = req.params[0];
  const e = map.get(id);
  if (!e) throw forbidden(`com.vmware.vcloud.entity.${kind}:${id}`);
  assertOrgAccess(req, e.orgId, `com.vmware.vcloud.entity.${kind}:${id}`);
  return e;
}

/** The org named in the path, if this session may see it (403 otherwise, as for any unknown entity). */
function visibleOrg(sim: Sim, req: Req) {
  const org = sim.state.orgs.get(req.params[0]);
  if (!org) throw forbidden(`com.vmware.vcloud.entity.org:${req.params[0]}`);
  assertOrgAccess(req, org.id, `com.vmware.vcloud.entity.org:${org.id}`);
  return org;
}

const browse = {
  orgList: (sim: Sim, req: Req) => {
    const s = req.session!;
    const orgs = [...sim.state.orgs.values()].filter((o) => s.provider || o.id === s.orgId);
    return xmlReply(200, MEDIA.orgList, req.render.orgList(orgs));
  },
  org: (sim: Sim, req: Req) => xmlReply(200, MEDIA.org, req.render.org(visibleOrg(sim, req))),
  vdc: (sim: Sim, req: Req) => xmlReply(200, MEDIA.vdc, req.render.vdc(lookup(sim.state.vdcs, req, "vdc"))),
  catalog: (sim: Sim, req: Req) =>
    xmlReply(200, MEDIA.catalog, req.render.catalog(lookup(sim.state.catalogs, req, "catalog"))),
  catalogItem: (sim: Sim, req: Req) => {
    const item = sim.state.catalogItems.get(req.params[0]);
    const cat = item && sim.state.catalogs.get(item.catalogId);
    if (!item || !cat) throw forbidden(`com.vmware.vcloud.entity.catalogitem:${req.params[0]}`);
    assertOrgAccess(req, cat.orgId, `com.vmware.vcloud.entity.catalogitem:${item.id}`);
    return xmlReply(200, MEDIA.catalogItem, req.render.catalogItem(item));
  },
  template: (sim: Sim, req: Req) =>
    xmlReply(200, MEDIA.vAppTemplate, req.render.template(lookup(sim.state.templates, req, "vapptemplate"))),
  user: (sim: Sim, req: Req) => xmlReply(200, MEDIA.user, req.render.user(lookup(sim.state.users, req, "user"))),
  adminOrg: (sim: Sim, req: Req) => xmlReply(200, MEDIA.adminOrg, req.render.adminOrg(visibleOrg(sim, req))),
  task: (sim: Sim, req: Req) => xmlReply(200, MEDIA.task, req.render.task(lookup(sim.tasks.tasks, req, "task"))),
  cancelTask: (sim: Sim, req: Req): Reply => {
    sim.tasks.cancel(lookup(sim.tasks.tasks, req, "task"));
    return { status: 204 };
  },
};

const route = (method: string, path: string, handler: Handler, auth = true): Route => ({
  method,
  pattern: new RegExp(`^${path}$`),
  handler,
  auth,
});

const ROUTES: Route[] = [
  route("POST", "/api/sessions", (sim, req) => legacyLogin(sim, req), false),
  route("GET", "/api/session/?", getSession),
  route("DELETE", "/api/session/?", logout),
  route("POST", "/cloudapi/1\\.0\\.0/sessions", (sim, req) => cloudapiLogin(sim, req, false), false),
  route("POST", "/cloudapi/1\\.0\\.0/sessions/provider", (sim, req) => cloudapiLogin(sim, req, true), false),
  route("GET", "/api/org/?", browse.orgList),
  route("GET", `/api/org/${ID}`, browse.org),
  route("GET", `/api/vdc/${ID}`, browse.vdc),
  route("GET", `/api/catalog/${ID}`, browse.catalog),
  route("GET", `/api/catalogItem/${ID}`, browse.catalogItem),
  route("GET", `/api/vAppTemplate/vappTemplate-${ID}`, browse.template),
  route("GET", `/api/admin/user/${ID}`, browse.user),
  route("GET", `/api/admin/org/${ID}`, browse.adminOrg),
  route("GET", "/api/query/?", query),
  route("GET", `/api/task/${ID}`, browse.task),
  route("POST", `/api/task/${ID}/action/cancel`, browse.cancelTask),
  route("POST", `/api/vdc/${ID}/action/composeVApp`, vapps.compose),
  route("POST", `/api/vdc/${ID}/action/instantiateVAppTemplate`, vapps.instantiate),
  route("GET", VAPP, vapps.getVApp),
  route("PUT", VAPP, vapps.editVApp),
  route("POST", `${VAPP}/action/recomposeVApp`, vapps.recompose),
  route("DELETE", VAPP, vapps.deleteVApp),
  route("GET", `${VAPP}/owner/?`, vapps.getOwner),
  route("PUT", `${VAPP}/owner/?`, vapps.setOwner),
  route("GET", `${VAPP}/leaseSettingsSection/?`, vapps.getLease),
  route("PUT", `${VAPP}/leaseSettingsSection/?`, vapps.setLease),
  route("POST", `${VAPP}/action/deploy`, vapps.deploy),
  route("POST", `${VAPP}/action/undeploy`, vapps.undeploy),
  route("POST", `${VAPP}/power/action/${ID}`, vapps.power),
  route("GET", `${VAPP}/metadata/?`, vapps.getMetadata),
  route("POST", `${VAPP}/metadata/?`, vapps.mergeMetadata),
  route("GET", `${VAPP}/metadata/(SYSTEM/)?${ID}`, vapps.getMetadataValue),
  route("PUT", `${VAPP}/metadata/(SYSTEM/)?${ID}`, vapps.putMetadataValue),
  route("DELETE", `${VAPP}/metadata/(SYSTEM/)?${ID}`, vapps.deleteMetadataValue),
];

const INJECTED_CODES: Record<number, string> = {
  404: "RESOURCE_NOT_FOUND",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

/** The `version=` parameter of the Accept header, if any. */
export function acceptedVersion(accept: string | undefined): string | undefined {
  return /version\s*=\s*"?([0-9][0-9.]*)/i.exec(accept ?? "")?.[1];
}

export interface VcdSimulatorOptions {
  port?: number;
  /** Listen address; 127.0.0.1 unless a test needs otherwise. */
  host?: string;
  /** Serve HTTPS with this key pair instead of plain HTTP. */
  tls?: { key: string; cert: string };
  /**
   * The vCD's configured public address, used in every href and LoginUrl instead of the listen address: a real
   * vCD behind a proxy or reached by another name writes hrefs its clients may not be able to call as such.
   */
  publicUrl?: string;
}

export interface VcdSimulator {
  url: string;
  state: SimState;
  faults: Faults;
  tasks: TaskEngine;
  stop(): Promise<void>;
}

export async function startVcdSimulator(
  config: VcdSimulatorConfig = defaultSeed(),
  opts: VcdSimulatorOptions = {},
): Promise<VcdSimulator> {
  const state = new SimState(config);
  const faults = new Faults(state);
  const tasks = new TaskEngine(
    () => faults.taskTiming(state.taskTiming),
    () => state.now(),
  );
  const sim: Sim = { state, tasks, faults };
  let base = "";

  const listener = (inReq: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    inReq.on("data", (c: Buffer) => chunks.push(c));
    inReq.on("end", () => {
      const url = new URL(inReq.url ?? "/", "http://x");
      if (faults.takeLostReply((inReq.method ?? "GET").toUpperCase(), url.pathname, true) !== undefined) {
        faults.requestLog.push({ method: inReq.method ?? "GET", path: url.pathname + url.search, status: 0 });
        return void res.socket?.resetAndDestroy();
      }
      const reply = serve(sim, base, inReq, Buffer.concat(chunks).toString("utf8"));
      const lost = faults.takeLostReply((inReq.method ?? "GET").toUpperCase(), url.pathname);
      faults.requestLog.push({
        method: inReq.method ?? "GET",
        path: url.pathname + url.search,
        status: lost ?? reply.status,
        minorErrorCode: reply.minor,
      });
      // The request was carried out above; only its answer goes missing.
      if (lost === 0) {
        res.socket?.resetAndDestroy();
      } else if (lost) {
        res.writeHead(lost, { "Content-Type": "text/html" });
        res.end(`<html><body><h1>${lost} Bad Gateway</h1></body></html>`);
      } else {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      }
    });
  };
  const server = opts.tls
    ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, listener)
    : http.createServer(listener);
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${opts.tls ? "https" : "http"}://${host}:${port}`;
  base = opts.publicUrl?.replace(/\/+$/, "") ?? url;
  return {
    url,
    state,
    faults,
    tasks,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

interface Wire {
  status: number;
  headers: Record<string, string>;
  body?: string;
  minor?: string;
}

function serve(sim: Sim, base: string, inReq: http.IncomingMessage, body: string): Wire {
  const requestId = randomUUID();
  const url = new URL(inReq.url ?? "/", "http://x");
  const path = url.pathname;
  const method = (inReq.method ?? "GET").toUpperCase();
  const cloudapi = path.startsWith("/cloudapi/");
  const headers: Record<string, string> = { "X-VMWARE-VCLOUD-REQUEST-ID": requestId };
  const fail = (err: SimError, version?: string): Wire => ({
    status: err.status,
    headers: {
      ...headers,
      "Content-Type": cloudapi
        ? `application/json${version ? `;version=${version}` : ""}`
        : `${MEDIA.error}${version ? `;version=${version}` : ""}`,
    },
    body: cloudapi ? errorJson(err, requestId) : errorXml(err, requestId),
    minor: err.minorErrorCode,
  });

  sim.tasks.settle();
  vapps.settleLeases(sim);
  const render = new Renderer(base, sim.state);
  render.progress = (t) => sim.tasks.progress(t);

  if (method === "GET" && path === "/api/versions") {
    return {
      status: 200,
      headers: { ...headers, "Content-Type": MEDIA.versions },
      body: render.versions(sim.state.cloudapi),
    };
  }
  if (cloudapi && !sim.state.cloudapi) {
    return fail(new SimError(404, "RESOURCE_NOT_FOUND", `The resource ${path} was not found.`));
  }
  if (!path.startsWith("/api/") && !cloudapi)
    return fail(new SimError(404, "RESOURCE_NOT_FOUND", `The resource ${path} was not found.`));

  const version = acceptedVersion(inReq.headers.accept);
  const supported = sim.state.versions.map((v) => v.version);
  if (!version || !supported.includes(version)) {
    return fail(
      new SimError(
        406,
        "NOT_ACCEPTABLE",
        `The request has invalid accept header. Supported API versions are: [${supported.join(", ")}]`,
      ),
    );
  }

  const req: Req = {
    method,
    path,
    query: url.searchParams,
    headers: inReq.headers,
    body,
    requestId,
    version,
    render,
    params: [],
  };
  try {
    const candidates = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m);
    if (!candidates.length) throw new SimError(404, "RESOURCE_NOT_FOUND", `The resource ${path} was not found.`);
    const hit = candidates.find((x) => x.r.method === method);
    if (!hit) throw new SimError(405, "METHOD_NOT_ALLOWED", `The method ${method} is not allowed on ${path}.`);
    if (hit.r.auth) {
      req.session = resolveSession(sim, req);
      if (!req.session) throw notAuthenticated();
    }
    const injected = sim.faults.takeServerError(method, path);
    if (injected)
      throw new SimError(injected, INJECTED_CODES[injected] ?? "INTERNAL_SERVER_ERROR", "Injected server error.");
    req.params = hit.m!.slice(1).map((p) => p ?? "");
    const reply = hit.r.handler(sim, req);
    const out: Wire = { status: reply.status, headers: { ...headers, ...reply.headers } };
    if (reply.body !== undefined) {
      // vCD writes the media type lower-cased in this header (all recorded responses), camel-cased in `type` attributes.
      out.headers["Content-Type"] = `${(reply.type ?? "application/xml").toLowerCase()};version=${version}`;
      out.body = reply.body;
    }
    return out;
  } catch (e) {
    if (e instanceof SimError) return fail(e, version);
    const msg = e instanceof Error ? e.message : String(e);
    return fail(new SimError(500, "INTERNAL_SERVER_ERROR", `Internal error: ${msg}`), version);
  }
}
