import * as assert from "assert";
import { VcdSimulator } from "../../simulators/vcd";
import { findLink, ForbiddenError, VcdClient, VcdError } from "../../sdk/vcd";
import { clientFor, fastSeed, startSim, thrown } from "./vcd-harness";

const rels = (links: Array<{ rel: string }>) => links.map((l) => l.rel);

describe("vcd: vApp lifecycle (client against the simulator)", () => {
  let sim: VcdSimulator;
  let c: VcdClient;
  before(async () => {
    sim = await startSim();
    c = clientFor(sim);
  });
  after(async () => {
    await c.close();
    await sim.stop();
  });
  beforeEach(() => sim.faults.reset());

  it("composes an empty vApp that settles at RESOLVED without power links", async () => {
    const v = await c.vapps.compose({
      vdc: "acme-vdc",
      name: "web",
      description: "frontend",
      networks: [{ name: "acme-net" }],
    });
    assert.strictEqual(v.status, 1);
    assert.strictEqual(v.statusText, "RESOLVED");
    assert.match(v.id, /^urn:vcloud:vapp:[0-9a-f-]{36}$/);
    assert.strictEqual(v.description, "frontend");
    assert.strictEqual(v.deployed, false);
    assert.strictEqual(v.owner?.name, "alice");
    assert.deepStrictEqual(
      v.networks.map((n) => [n.name, n.fenceMode, n.parentNetworkName]),
      [["acme-net", "bridged", "acme-net"]],
    );
    assert.deepStrictEqual(v.leases && [v.leases.deploymentSeconds, v.leases.storageSeconds], [604800, 2592000]);
    assert.ok(v.leases?.storageExpiration && !v.leases.deploymentExpiration);
    for (const rel of ["power:powerOn", "power:powerOff", "deploy", "undeploy"])
      assert.ok(!rels(v.links).includes(rel), rel);
    for (const rel of ["up", "edit", "remove"]) assert.ok(rels(v.links).includes(rel), rel);
    // the 201 answer, the task polls and the read-back
    const create = sim.faults.requestLog.find((r) => r.path.endsWith("/action/composeVApp"));
    assert.strictEqual(create?.status, 201);
    const rec = (await c.query("vApp", { filter: { name: "web" } }))[0];
    assert.strictEqual(rec.attrs.status, "RESOLVED");
  });

  it("refuses a duplicate name in the VDC with DUPLICATE_NAME", async () => {
    const e = await thrown(() => c.vapps.compose({ vdc: "acme-vdc", name: "web" }));
    assert.ok(e instanceof VcdError && e.status === 400 && e.minorErrorCode === "DUPLICATE_NAME", String(e));
  });

  it("renames and re-describes by recomposeVApp (202 + Task + Location), as govcd does on 10.x", async () => {
    const v = await c.vapps.find("acme-vdc", "web");
    const after = await c.vapps.update(v!, { name: "web-2", description: "renamed" });
    assert.strictEqual(after.name, "web-2");
    assert.strictEqual(after.description, "renamed");
    assert.strictEqual(after.id, v!.id);
    // the 10.x reference documents PUT /vApp/{id} for VMs only (vm+xml): no PUT of a VApp body
    assert.ok(!sim.faults.requestLog.some((r) => r.method === "PUT"), "no PUT vApp");
    const recompose = sim.faults.requestLog.find(
      (r) => r.method === "POST" && r.path.endsWith("/action/recomposeVApp"),
    );
    assert.strictEqual(recompose?.status, 202);
    assert.strictEqual(await c.vapps.find("acme-vdc", "web"), undefined);
    // an empty description clears it; the name stays
    const cleared = await c.vapps.update(after, { description: "" });
    assert.deepStrictEqual([cleared.name, cleared.description], ["web-2", ""]);
    await c.vapps.update(after, { description: "renamed" });
  });

  it("gets and sets the owner by user name (204, no task)", async () => {
    const v = (await c.vapps.find("acme-vdc", "web-2"))!;
    assert.strictEqual((await c.vapps.getOwner(v))?.name, "alice");
    await c.vapps.setOwner(v, "bob");
    assert.strictEqual((await c.vapps.getOwner(v))?.name, "bob");
    assert.strictEqual((await c.vapps.get(v)).owner?.name, "bob");
    assert.strictEqual(sim.faults.requestLog.find((r) => r.method === "PUT" && r.path.endsWith("/owner"))?.status, 204);
    await assert.rejects(() => c.vapps.setOwner(v, "mallory"), /user "mallory" not found/);
    // the org's user list comes from the AdminOrg, not the `user` query (deprecated in 38.1, own org only)
    assert.ok(sim.faults.requestLog.some((r) => r.method === "GET" && /^\/api\/admin\/org\//.test(r.path)));
    assert.ok(!sim.faults.requestLog.some((r) => /type=user\b/.test(r.path)));
  });

  it("sets the owner to a tenant user from a provider (System) session, whose `user` query lists System users only", async () => {
    const v = (await c.vapps.find("acme-vdc", "web-2"))!;
    const admin = clientFor(sim, { org: "System", username: "administrator", password: "admin-Passw0rd!" });
    try {
      assert.deepStrictEqual(
        (await admin.query("user", { filter: { name: "alice" } })).length,
        0,
        "user query: System org only",
      );
      const set = await admin.vapps.setOwner(v.href, "alice");
      assert.strictEqual(set.name, "alice");
      assert.strictEqual((await c.vapps.getOwner(v))?.name, "alice");
      await assert.rejects(
        () => admin.vapps.setOwner(v.href, "administrator"),
        /user "administrator" not found in org "acme"/,
      );
    } finally {
      await admin.close();
    }
    await c.vapps.setOwner(v, "bob");
  });

  it("sets leases: explicit values, 0 = org default, clamping above the org maximum, invalid values refused", async () => {
    const v = (await c.vapps.find("acme-vdc", "web-2"))!;
    let l = await c.vapps.setLease(v, { deploymentSeconds: 3600, storageSeconds: 7200 });
    assert.deepStrictEqual([l.deploymentSeconds, l.storageSeconds], [3600, 7200]);
    const exp = Date.parse(l.storageExpiration!);
    assert.ok(Math.abs(exp - Date.now() - 7200_000) < 60_000, l.storageExpiration);
    l = await c.vapps.setLease(v, { deploymentSeconds: 0, storageSeconds: 0 });
    assert.deepStrictEqual([l.deploymentSeconds, l.storageSeconds], [604800, 2592000]);
    l = await c.vapps.setLease(v, { deploymentSeconds: 10 ** 9, storageSeconds: 10 ** 9 });
    assert.deepStrictEqual(
      [l.deploymentSeconds, l.storageSeconds],
      [604800, 2592000],
      "silently clamped to the org policy",
    );
    const e = await thrown(() => c.vapps.setLease(v, { deploymentSeconds: 100 }));
    assert.ok(e instanceof VcdError && e.status === 400 && e.minorErrorCode === "BAD_REQUEST", String(e));
    assert.match(e.message, /3600/);
  });

  it("adds, changes and removes typed metadata", async () => {
    const v = (await c.vapps.find("acme-vdc", "web-2"))!;
    const when = new Date("2024-05-01T10:00:00.000Z");
    let md = await c.vapps.mergeMetadata(v, [
      { key: "team", value: "web" },
      { key: "replicas", value: 3 },
      { key: "prod", value: false },
      { key: "since", value: when },
    ]);
    const byKey = Object.fromEntries(md.map((m) => [m.key, m]));
    assert.deepStrictEqual(
      ["team", "replicas", "prod", "since"].map((k) => [byKey[k].type, byKey[k].value]),
      [
        ["MetadataStringValue", "web"],
        ["MetadataNumberValue", 3],
        ["MetadataBooleanValue", false],
        ["MetadataDateTimeValue", when.toISOString()],
      ],
    );
    assert.strictEqual(byKey.team.domain, "GENERAL");
    assert.strictEqual(byKey.team.visibility, "READWRITE");
    md = await c.vapps.mergeMetadata(v, [{ key: "replicas", value: 5 }]);
    assert.strictEqual(md.find((m) => m.key === "replicas")?.value, 5);
    assert.strictEqual(md.length, 4, "merge keeps the other entries");
    await c.vapps.setMetadataValue(v, { key: "prod", value: true });
    await c.vapps.deleteMetadata(v, "team");
    md = (await c.vapps.get(v, { metadata: true })).metadata!;
    assert.deepStrictEqual(md.map((m) => [m.key, m.value]).sort(), [
      ["prod", true],
      ["replicas", 5],
      ["since", when.toISOString()],
    ]);
    // a missing key is "forbidden", like any unknown entity
    assert.ok((await thrown(() => c.vapps.deleteMetadata(v, "nope"))) instanceof ForbiddenError);
    // SYSTEM domain needs a provider session
    assert.ok(
      (await thrown(() =>
        c.vapps.mergeMetadata(v, [{ key: "sys", value: "x", domain: "SYSTEM", visibility: "READONLY" }]),
      )) instanceof ForbiddenError,
    );
    // GENERAL is READWRITE only: vCD answers anything else with a bare 500 "visibility", so the client refuses first
    await assert.rejects(
      () => c.vapps.mergeMetadata(v, [{ key: "ro", value: "x", visibility: "READONLY" }]),
      /READONLY is not allowed in the GENERAL domain/,
    );
    const vis = await thrown(() =>
      c.request("PUT", `${v.href}/metadata/ro`, {
        body: '<MetadataValue xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Domain visibility="READONLY">GENERAL</Domain><TypedValue xsi:type="MetadataStringValue"><Value>x</Value></TypedValue></MetadataValue>',
        contentType: "application/vnd.vmware.vcloud.metadata.value+xml",
      }),
    );
    assert.ok(vis instanceof VcdError && vis.status === 500 && vis.vcdMessage === "visibility", String(vis));
    // a malformed number is refused by the server as well as by the client
    const raw = await thrown(() =>
      c.request("PUT", `${v.href}/metadata/bad`, {
        body: '<MetadataValue xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><TypedValue xsi:type="MetadataNumberValue"><Value>1.5</Value></TypedValue></MetadataValue>',
        contentType: "application/vnd.vmware.vcloud.metadata.value+xml",
      }),
    );
    assert.ok(raw instanceof VcdError && raw.status === 400, String(raw));
    await assert.rejects(
      () => c.vapps.setMetadataValue(v, { key: "n", value: 1.5, type: "MetadataNumberValue" }),
      RangeError,
    );
  });

  it("refuses power operations on an empty vApp", async () => {
    const v = (await c.vapps.find("acme-vdc", "web-2"))!;
    await assert.rejects(() => c.vapps.setPower(v, true), /has no VMs/);
    const e = await thrown(() => c.vapps.powerAction(v, "powerOn"));
    assert.ok(e instanceof VcdError && e.status === 400, String(e));
    const d = await thrown(() => c.vapps.deploy(v));
    assert.ok(d instanceof VcdError && d.status === 400, String(d));
  });

  it("deletes the empty vApp, after which it is 403", async () => {
    const v = (await c.vapps.find("acme-vdc", "web-2"))!;
    await c.vapps.delete(v);
    const e = await thrown(() => c.vapps.get(v.href));
    assert.ok(e instanceof ForbiddenError && e.minorErrorCode === "ACCESS_TO_RESOURCE_IS_FORBIDDEN", String(e));
    assert.match(e.message, /request [0-9a-f-]{36}/);
    assert.strictEqual(await c.vapps.tryGet(v.id), undefined);
    assert.ok(
      (await thrown(() => c.vapps.get("urn:vcloud:vapp:00000000-0000-0000-0000-000000000000"))) instanceof
        ForbiddenError,
    );
  });

  it("instantiates from a template only once its EULA is accepted", async () => {
    const e = await thrown(() =>
      c.vapps.instantiate({ vdc: "acme-vdc", name: "appl", catalog: "base", template: "appliance-eula" }),
    );
    assert.ok(e instanceof VcdError && e.status === 400 && e.minorErrorCode === "EULA_NOT_ACCEPTED", String(e));
    const v = await c.vapps.instantiate({
      vdc: "acme-vdc",
      name: "appl",
      catalog: "base",
      template: "appliance-eula",
      acceptAllEulas: true,
      networks: [{ name: "acme-net", fenceMode: "natRouted" }],
    });
    assert.strictEqual(v.status, 8);
    assert.strictEqual(v.deployed, false);
    assert.deepStrictEqual(v.vmNames, ["appl-vm1"]);
    assert.strictEqual(v.networks[0].fenceMode, "natRouted");
    assert.ok(findLink(v.links, "power:powerOn") && findLink(v.links, "deploy"));
    const md = await c.vapps.getMetadata(v);
    // 10.5.1+ origin entries: SYSTEM domain, READONLY, as a real vCD records them
    assert.deepStrictEqual(
      md
        .filter((m) => m.key.startsWith("vapp.origin"))
        .map((m) => [m.key, m.domain, m.visibility])
        .sort(),
      [
        ["vapp.origin.id", "SYSTEM", "READONLY"],
        ["vapp.origin.name", "SYSTEM", "READONLY"],
        ["vapp.origin.type", "SYSTEM", "READONLY"],
      ],
    );
  });

  it("powers on via deploy and off via undeploy; delete is refused while deployed", async () => {
    const v = await c.vapps.instantiate({
      vdc: "acme-vdc",
      name: "app",
      catalog: "base",
      template: "photon-5",
      powerOn: true,
    });
    assert.strictEqual(v.status, 4);
    assert.strictEqual(v.deployed, true);
    assert.ok(v.leases?.deploymentExpiration, "DeploymentLeaseExpiration while deployed");
    // a running vApp offers no remove link (recorded: kube-nfv/RO vapp_xml_response, status 4)
    assert.ok(findLink(v.links, "power:powerOff") && findLink(v.links, "undeploy") && !findLink(v.links, "remove"));

    const refused = await thrown(() => c.vapps.delete(v, { undeploy: false }));
    assert.ok(refused instanceof VcdError && refused.status === 400, String(refused));
    assert.match(refused.message, /Stop the vApp and try again\./);

    let off = await c.vapps.setPower(v, false);
    assert.deepStrictEqual([off.status, off.deployed, off.leases?.deploymentExpiration], [8, false, undefined]);
    assert.ok(sim.faults.requestLog.some((r) => r.path.endsWith("/action/undeploy") && r.status === 202));

    const on = await c.vapps.setPower(v, true);
    assert.deepStrictEqual([on.status, on.deployed], [4, true]);
    assert.ok(sim.faults.requestLog.some((r) => r.path.endsWith("/action/deploy") && r.status === 202));
    assert.strictEqual((await c.query("vApp", { filter: { name: "app" } }))[0].attrs.status, "POWERED_ON");

    // power/action/powerOff leaves the vApp deployed, so vCD still refuses the delete
    await c.vapps.powerAction(v, "powerOff");
    off = await c.vapps.get(v);
    assert.deepStrictEqual([off.status, off.deployed], [8, true]);
    assert.ok((await thrown(() => c.vapps.delete(v, { undeploy: false }))) instanceof VcdError);
    const again = await thrown(() => c.vapps.powerAction(v, "powerOff"));
    assert.match(again.message, /not powered on/);

    await c.vapps.delete(v); // undeploys first
    assert.strictEqual(await c.vapps.tryGet(v), undefined);
    await c.vapps.delete((await c.vapps.find("acme-vdc", "appl")) as { href: string }, { force: true });
  });

  it("answers 403 for another org's vApp and for unknown ids of every kind", async () => {
    const seed = fastSeed();
    seed.orgs.push({
      name: "other",
      users: [{ name: "eve", password: "eve-Passw0rd!" }],
      vdcs: [{ name: "other-vdc", networks: [] }],
      catalogs: [],
    });
    const s = await startSim(seed);
    try {
      const eve = clientFor(s, { org: "other", username: "eve", password: "eve-Passw0rd!" });
      const alice = clientFor(s);
      const v = await alice.vapps.compose({ vdc: "acme-vdc", name: "private" });
      assert.ok((await thrown(() => eve.vapps.get(v.href))) instanceof ForbiddenError);
      assert.deepStrictEqual((await eve.query("vApp")).length, 0);
      for (const p of ["/api/vdc/x", "/api/org/x", "/api/catalog/x", "/api/task/x", "/api/vApp/vapp-x/metadata"]) {
        const e = await thrown(() => alice.get(p));
        assert.ok(e instanceof ForbiddenError, `${p}: ${e}`);
      }
    } finally {
      await s.stop();
    }
  });

  it("pages query results and follows nextPage links", async () => {
    for (let i = 0; i < 5; i++) await c.vapps.compose({ vdc: "acme-vdc", name: `page-${i}` });
    const before = c.requestCount;
    const recs = await c.query("vApp", { pageSize: 2, sortAsc: "name" });
    assert.deepStrictEqual(
      recs.map((r) => r.attrs.name).filter((n) => n.startsWith("page-")),
      ["page-0", "page-1", "page-2", "page-3", "page-4"],
    );
    assert.strictEqual(c.requestCount - before, 3);
    const p2 = await c.queryPage("vApp", { pageSize: 2, page: 2 });
    assert.deepStrictEqual([p2.page, p2.pageSize, p2.total, p2.records.length], [2, 2, 5, 2]);
    const vdc = await c.vapps.findVdc("acme-vdc");
    const filtered = await c.query("vApp", { filter: { name: "page-3", vdc: vdc.href } });
    assert.deepStrictEqual(
      filtered.map((r) => r.attrs.name),
      ["page-3"],
    );
    const wild = await c.queryPage("vApp", { filter: { name: "page-*" } });
    assert.strictEqual(wild.total, 5);
  });

  it("shows an expired vApp with only up/edit/remove links, and stops vApps whose runtime lease ran out", async () => {
    const s = await startSim(fastSeed());
    try {
      const a = clientFor(s);
      const empty = await a.vapps.compose({ vdc: "acme-vdc", name: "old" });
      const running = await a.vapps.instantiate({
        vdc: "acme-vdc",
        name: "runner",
        catalog: "base",
        template: "photon-5",
        powerOn: true,
      });
      await a.vapps.setLease(running, { deploymentSeconds: 3600, storageSeconds: 0 });
      s.state.advanceClock(2 * 3600_000);
      const stopped = await a.vapps.get(running);
      assert.deepStrictEqual([stopped.status, stopped.deployed], [8, false], "runtime lease expiry undeploys");
      s.state.advanceClock(31 * 86400_000);
      const expired = await a.vapps.get(empty);
      // the client judges expiry on its own clock; the simulator's clock was moved, so compare with that one
      assert.ok(Date.parse(expired.leases!.storageExpiration!) < s.state.now().getTime());
      assert.deepStrictEqual(rels(expired.links).sort(), ["edit", "remove", "up"]);
      assert.strictEqual((await a.query("vApp", { filter: { name: "old" } }))[0].attrs.isExpired, "true");
    } finally {
      await s.stop();
    }
  });
});
