import * as assert from "assert";
import { defaultSeed, startVcdSimulator, VcdSimulator } from "../../simulators/vcd";
import { NotAuthenticatedError, VcdError, VersionError } from "../../sdk/vcd";
import { ALICE, clientFor, fastSeed, startSim, thrown } from "./vcd-harness";

describe("vcd: versions and login (client against the simulator)", () => {
  let sim: VcdSimulator;
  before(async () => (sim = await startSim()));
  after(() => sim.stop());
  beforeEach(() => sim.faults.reset());

  it("negotiates the highest non-deprecated common version", async () => {
    const c = clientFor(sim);
    await c.connect();
    assert.strictEqual(c.apiVersion, "39.0");
    assert.strictEqual(c.sessionInfo?.kind, "cloudapi");
    assert.strictEqual(sim.faults.count({ method: "POST", path: /^\/cloudapi\/1\.0\.0\/sessions$/ }), 1);
    await c.close();
  });

  it("honours a pinned version, even a deprecated one, and refuses one the server lacks", async () => {
    const c = clientFor(sim, { apiVersion: "37.0" });
    await c.connect();
    assert.strictEqual(c.apiVersion, "37.0");
    const pinnedDeprecated = clientFor(sim, { apiVersion: "35.0" });
    await pinnedDeprecated.connect();
    assert.strictEqual(pinnedDeprecated.sessionInfo?.kind, "legacy", "35.0 advertises /api/sessions as its LoginUrl");
    const e = await thrown(() => clientFor(sim, { apiVersion: "12.0" }).connect());
    assert.ok(e instanceof VersionError && /12\.0/.test(e.message) && /39\.0/.test(e.message), e.message);
  });

  it("answers 406 NOT_ACCEPTABLE for an unsupported Accept version", async () => {
    const c = clientFor(sim);
    await c.connect();
    const r = await fetch(`${sim.url}/api/org/`, { headers: { Accept: "application/*+xml;version=5.5" } });
    assert.strictEqual(r.status, 406);
    const body = await r.text();
    assert.match(body, /minorErrorCode="NOT_ACCEPTABLE"/);
    assert.match(body, /Supported API versions are: \[35\.0, 36\.0, 37\.0, 38\.0, 38\.1, 39\.0\]/);
  });

  it("ignores deprecated and unknown versions when negotiating", async () => {
    const s = await startSim(
      fastSeed({ versions: [{ version: "37.0", deprecated: true }, { version: "38.0" }, { version: "40.0" }] }),
    );
    try {
      const c = clientFor(s);
      await c.connect();
      assert.strictEqual(c.apiVersion, "38.0");
    } finally {
      await s.stop();
    }
    const only = await startSim(fastSeed({ versions: [{ version: "36.0", deprecated: true }] }));
    try {
      assert.ok((await thrown(() => clientFor(only).connect())) instanceof VersionError);
    } finally {
      await only.stop();
    }
  });

  it("logs in a provider user through /sessions/provider", async () => {
    const c = clientFor(sim, { org: "System", username: "administrator", password: "admin-Passw0rd!" });
    await c.connect();
    assert.strictEqual(sim.faults.count({ path: /sessions\/provider$/ }), 1);
    const orgs = await c.query("organization");
    assert.deepStrictEqual(orgs.map((o) => o.attrs.name).sort(), ["System", "acme"]);
  });

  it("refuses bad credentials with NotAuthenticatedError and never echoes the password", async () => {
    const e = await thrown(() => clientFor(sim, { password: "wrong-Secret-42" }).connect());
    assert.ok(e instanceof NotAuthenticatedError, String(e));
    assert.strictEqual((e as NotAuthenticatedError).status, 401);
    assert.ok(!e.message.includes("wrong-Secret-42"));
    assert.ok(!JSON.stringify(e).includes("wrong-Secret-42"));
  });

  it("falls back to /api/sessions when the server has no cloudapi", async () => {
    const s = await startSim(fastSeed({ cloudapi: false, versions: [{ version: "36.0" }, { version: "37.0" }] }));
    try {
      const c = clientFor(s);
      await c.connect();
      assert.strictEqual(c.sessionInfo?.kind, "legacy");
      assert.strictEqual(c.sessionInfo?.org, "acme");
      const recs = await c.query("orgVdc");
      assert.strictEqual(recs[0].attrs.name, "acme-vdc");
      // the LoginUrl pointed at /api/sessions, so cloudapi was not even tried
      assert.strictEqual(s.faults.count({ path: /^\/cloudapi/ }), 0);
    } finally {
      await s.stop();
    }
  });

  it("falls back to /api/sessions when the advertised cloudapi login answers 404", async () => {
    sim.faults.serverError({ status: 404, path: /^\/cloudapi\// });
    const c = clientFor(sim, { apiVersion: "37.0" });
    await c.connect();
    assert.strictEqual(c.sessionInfo?.kind, "legacy");
    assert.deepStrictEqual(
      sim.faults.requestLog.filter((r) => r.method === "POST").map((r) => `${r.path} ${r.status}`),
      ["/cloudapi/1.0.0/sessions 404", "/api/sessions 200"],
    );
  });

  it("refuses the legacy login at API 38.0 and later, and accepts it below", async () => {
    const e = await thrown(() => clientFor(sim, { apiVersion: "38.0", login: "legacy" }).connect());
    assert.ok(e instanceof NotAuthenticatedError, String(e));
    assert.match(e.message, /38\.0 and later need the cloudapi login/);
    const ok = clientFor(sim, { apiVersion: "37.0", login: "legacy" });
    await ok.connect();
    assert.strictEqual(ok.sessionInfo?.kind, "legacy");
    // GET /api/session works with the X-Vcloud-Authorization token
    const xml = await ok.get("/api/session");
    assert.match(xml, /<Session [^>]*user="alice"/);
  });

  it("answers 401 for a missing, unknown or logged-out token", async () => {
    const hdr = { Accept: "application/*+xml;version=39.0" };
    assert.strictEqual((await fetch(`${sim.url}/api/org/`, { headers: hdr })).status, 401);
    const bad = await fetch(`${sim.url}/api/org/`, { headers: { ...hdr, Authorization: "Bearer nope" } });
    assert.strictEqual(bad.status, 401);
    assert.match(await bad.text(), /minorErrorCode="NOT_AUTHENTICATED"/);
    const login = await fetch(`${sim.url}/cloudapi/1.0.0/sessions`, {
      method: "POST",
      headers: {
        Accept: "application/json;version=39.0",
        Authorization: `Basic ${Buffer.from(`${ALICE.username}@acme:${ALICE.password}`).toString("base64")}`,
      },
    });
    const token = login.headers.get("x-vmware-vcloud-access-token")!;
    const body = (await login.json()) as { org: { name: string }; sessionIdleTimeoutMinutes: number };
    assert.strictEqual(body.org.name, "acme");
    assert.strictEqual(typeof body.sessionIdleTimeoutMinutes, "number");
    const auth = { ...hdr, Authorization: `Bearer ${token}` };
    assert.strictEqual((await fetch(`${sim.url}/api/session`, { headers: auth })).status, 200);
    assert.strictEqual((await fetch(`${sim.url}/api/session`, { method: "DELETE", headers: auth })).status, 204);
    assert.strictEqual((await fetch(`${sim.url}/api/session`, { headers: auth })).status, 401);
    const json401 = await fetch(`${sim.url}/cloudapi/1.0.0/sessions`, {
      method: "POST",
      headers: { Accept: "application/json;version=39.0" },
    });
    assert.strictEqual(json401.status, 401);
    assert.deepStrictEqual(Object.keys((await json401.json()) as object).slice(0, 2), ["minorErrorCode", "message"]);
  });

  it("re-logs in once when the token expires", async () => {
    const c = clientFor(sim);
    await c.connect();
    sim.faults.expireSessions();
    const recs = await c.query("orgVdc");
    assert.strictEqual(recs.length, 1);
    assert.strictEqual(sim.faults.count({ method: "POST", path: /sessions$/ }), 2);
    assert.strictEqual(sim.faults.requestLog.filter((r) => r.status === 401).length, 1);
  });

  it("follows hrefs that carry the vCD's public address on the URL it was given (proxy, other name)", async () => {
    const s = await startVcdSimulator(fastSeed(), { port: 0, publicUrl: "https://vcd.public.invalid" });
    const c = clientFor(s);
    try {
      const v = await c.vapps.compose({ vdc: "acme-vdc", name: "behind-proxy" });
      assert.ok(v.href.startsWith("https://vcd.public.invalid/api/vApp/vapp-"), v.href);
      const after = await c.vapps.update(v, { description: "through the proxy" });
      assert.strictEqual(after.description, "through the proxy");
      await c.vapps.setOwner(v, "bob");
      await c.vapps.delete(v);
      // every request (task polls, links, nextPage) went to the simulator itself
      assert.ok(s.faults.requestLog.some((r) => r.path.startsWith("/api/task/")));
    } finally {
      await c.close();
      await s.stop();
    }
  });

  it("keeps seeds independent between simulators", () => {
    assert.notStrictEqual(defaultSeed(), defaultSeed());
    assert.ok(VcdError);
  });
});
