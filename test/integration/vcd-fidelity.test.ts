// Fidelity: every interaction recorded from a real vCD (fog-vcloud-director cassettes, vCD 9.0 era; data kept out of
// the repository, read from VCD_RECORDINGS_DIR or a sibling shared/ checkout) is (1) parsed by the client, which must
// read what a user relies on (status, leases and expirations, owner, links, tasks, errors), and (2) replayed against
// the simulator brought to the same state: status code, media type, element names and order, attributes, namespaces
// and the set of links must match. What differs on purpose is listed in DIFFERENCES with its reason; any other
// difference fails, and so does a listed one that no longer occurs.
import * as assert from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { startVcdSimulator, VcdSimulator, VcdSimulatorConfig } from "../../simulators/vcd";
import { bodies, ForbiddenError, parseErrorResponse, parseVersions, VcdClient, VcdError } from "../../sdk/vcd";
import { findLink, parseLinks, parseTask, parseTaskNode, parseVApp, rootElement, VApp } from "../../sdk/vcd/xml";
import { child, children } from "../../sdk/xml";
import { MEDIA, VAppStatus } from "../../sdk/vcd/wire";
import { compareXml, Interaction, loadRecordings, masker, mediaType, parseResolved } from "./vcd-fidelity-compare";

const RECORDED_HOST = "https://VMWARE_CLOUD_HOST";
const quoted = (name: string) => readFileSync(join(__dirname, "../fixtures/vcd/quoted", name), "utf8");
const API = "39.0";
const DAY = 86_400;

/**
 * Deliberate differences between the recorded 9.0 server and the simulator (which models API 36.0-39.0, vCD
 * 10.3-10.6). `where` matches the interaction id, `what` the difference line. Kinds: "version" = the 10.x API differs
 * from the 9.0 recording (source named), "scope" = not modelled by the simulator (see simulators/vcd/README.md), "data"
 * = the recorded inventory or state cannot be reproduced (snapshots, IP scopes, hardware).
 */
const DIFFERENCES: Array<{ where: RegExp; what: RegExp; kind: "version" | "scope" | "data"; why: string }> = [
  // --- every document ---
  {
    where: /./,
    what: /root namespace declarations missing: http:\/\/www\.vmware\.com\/vcloud\/networkservice\//,
    kind: "version",
    why: "10.x roots no longer declare the networkservice namespaces (ns9..ns11); a 10.4 capture declares versions as ns9 (go-vcloud-director test-resources/golden/TestSamlAdfsAuthenticate_RESP_api_sessions.golden)",
  },
  {
    where: /^quoted:create-vapp-response$/,
    what: /^VApp: root namespace declarations extra: /,
    kind: "data",
    why: "the quoted sample (kube-nfv/RO test data) declares only the default namespace; recorded roots declare the full set",
  },
  // --- session ---
  {
    where: /^authentication$/,
    what: /^Session: attributes extra: locationId$/,
    kind: "version",
    why: "10.x sessions carry locationId first (golden TestSamlAdfsAuthenticate_RESP_api_sessions.golden)",
  },
  {
    where: /^authentication$/,
    what: /^Session: link extra: rel=(nsx|openapi) /,
    kind: "version",
    why: "10.x sessions link nsx and openapi (same golden capture)",
  },
  {
    where: /^authentication$/,
    what: /^Session: element extra: AuthorizedLocations$/,
    kind: "version",
    why: "10.x sessions list AuthorizedLocations (same golden capture)",
  },
  // --- VDC ---
  // --- vApp ---
  {
    where: /^get_vapp(-emptyvm)?$/,
    what: /^VApp: link missing: rel=snapshot:(revertToCurrent|removeAll) /,
    kind: "scope",
    why: "these links come with an existing snapshot (the recorded vApp has one); the simulator has no snapshots",
  },
  {
    where: /^get_vapp(-emptyvm)?$/,
    what: /^VApp\/SnapshotSection: element missing: Snapshot$/,
    kind: "scope",
    why: "no snapshots in the simulator",
  },
  {
    where: /^get_vapp/,
    what: /\/NetworkConfig\/Configuration: element missing: (IpScopes|Features|SyslogServerSettings)$/,
    kind: "scope",
    why: "vApp network IP scopes and services are not modelled (the client reads fence mode and parent network only)",
  },
  {
    where: /^get_vapp-emptyvm$/,
    what: /\/NetworkConfig: link missing: rel=syncSyslogSettings /,
    kind: "scope",
    why: "a natRouted vApp network's edge services (syslog) are not modelled",
  },
  // --- VMs ---
  {
    where: /^get_vapp/,
    what: /^VApp\/Children\/Vm: (element missing|link missing|attributes missing): /,
    kind: "scope",
    why: "VMs are placeholders: no sections, links or tasks of their own (VM management is out of the kit's scope)",
  },
  {
    where: /^get_vapp/,
    what: /^VApp\/Children\/Vm@needsCustomization: "false" instead of "true"$/,
    kind: "scope",
    why: "guest customization state of VMs is not modelled",
  },
  {
    where: /^get_vm$|^post_reconfigure_vm-virtual_hardware$/,
    what: /^status 404 instead of 20[02]$/,
    kind: "scope",
    why: "VMs are not resources in the simulator (/api/vApp/vm-… answers 404 RESOURCE_NOT_FOUND)",
  },
  {
    where: /^get_vm$|^post_reconfigure_vm-virtual_hardware$/,
    what: /^content-type "application\/vnd\.vmware\.vcloud\.error\+xml" instead of /,
    kind: "scope",
    why: "follows from the 404 above",
  },
];

/** The recorded org, VDC, networks and template, so the simulator can be brought to the recorded states. */
function recordedSeed(): VcdSimulatorConfig {
  return {
    orgs: [
      {
        name: "RedHat",
        users: [{ name: "redhat", password: "redhat-Passw0rd!", role: "Organization Administrator" }],
        vdcs: [
          {
            name: "RedHat VDC 2",
            description: "Secondary VDC",
            networks: ["RedHat Private network 42", "RedHat Private network 43"],
          },
        ],
        catalogs: [
          {
            name: "catalog",
            templates: [
              { name: "Win-dev-201802-vapp", vmCount: 1 },
              { name: "Windows and Linux VAPP TEMPLATE", vmCount: 2 },
            ],
          },
        ],
        leasePolicy: { deploymentLeaseSeconds: 7 * DAY, storageLeaseSeconds: 30 * DAY },
      },
    ],
    tasks: { queuedMs: 5, runningMs: 15 },
  };
}

interface World {
  sim: VcdSimulator;
  client: VcdClient;
  auth: Record<string, string>;
  vdcHref: string;
}

async function world(): Promise<World> {
  const sim = await startVcdSimulator(recordedSeed(), { port: 0 });
  const client = new VcdClient({
    url: sim.url,
    org: "RedHat",
    username: "redhat",
    password: "redhat-Passw0rd!",
    taskPollMs: 5,
    taskMaxPollMs: 20,
    taskTimeoutMs: 10_000,
  });
  const login = await fetch(`${sim.url}/cloudapi/1.0.0/sessions`, {
    method: "POST",
    headers: {
      Accept: `application/json;version=${API}`,
      Authorization: `Basic ${Buffer.from("redhat@RedHat:redhat-Passw0rd!").toString("base64")}`,
    },
  });
  const token = login.headers.get("x-vmware-vcloud-access-token");
  assert.ok(token, "cloudapi login");
  const vdc = await client.vapps.findVdc("RedHat VDC 2");
  return { sim, client, auth: { Authorization: `Bearer ${token}` }, vdcHref: vdc.href };
}

/**
 * Creates a vApp as the recorded one was made: from the template or empty, with the named vApp networks (isolated,
 * or bridged/natRouted to an org VDC network), and without a Description element when the recording has none.
 */
async function recordedVApp(
  w: World,
  name: string,
  from: "template" | "empty",
  networks: Array<{ name: string; parent?: string; fenceMode?: "bridged" | "natRouted" }>,
  description = true,
): Promise<VApp> {
  const vdcXml = await w.client.get(w.vdcHref);
  const nets = children(child(rootElement(vdcXml, "Vdc"), "AvailableNetworks"), "Network").map(
    (n) => n._attributes as Record<string, string>,
  );
  const specs = networks.map((n) =>
    n.parent
      ? { name: n.name, fenceMode: n.fenceMode ?? "bridged", parentHref: nets.find((x) => x.name === n.parent)!.href }
      : { name: n.name, fenceMode: "isolated" as const },
  );
  const strip = (xml: string) => (description ? xml : xml.replace(/<Description(\/>|><\/Description>)/, ""));
  let r;
  if (from === "template") {
    const tpl = await w.client.vapps.findTemplate("catalog", "Windows and Linux VAPP TEMPLATE");
    r = await w.client.request("POST", `${w.vdcHref}/action/instantiateVAppTemplate`, {
      body: strip(
        bodies.instantiateVAppTemplateParams({ name, sourceHref: tpl, networks: specs, deploy: false, powerOn: false }),
      ),
      contentType: MEDIA.instantiate,
      expect: [201],
    });
  } else {
    r = await w.client.request("POST", `${w.vdcHref}/action/composeVApp`, {
      body: strip(bodies.composeVAppParams({ name, networks: specs })),
      contentType: MEDIA.compose,
      expect: [201],
    });
  }
  const v = parseVApp(r.data);
  await w.client.waitForTask(v.tasks[0].href);
  return w.client.vapps.get(v.href);
}

/** What the client makes of a vApp document: the fields a provider acts on. */
function readVApp(xml: string, now: Date) {
  const v = parseVApp(xml, now);
  return {
    status: v.status,
    statusText: v.statusText,
    deployed: v.deployed,
    expired: v.expired,
    description: v.description,
    leases: v.leases && {
      deployment: v.leases.deploymentSeconds,
      storage: v.leases.storageSeconds,
      runs: !!v.leases.deploymentExpiration,
      stored: !!v.leases.storageExpiration,
    },
    owner: !!v.owner?.href,
    networks: v.networks.map((n) => [n.name, n.fenceMode, n.parentNetworkName]),
    vms: v.vmNames.length,
    tasks: v.tasks.length,
    rels: v.links
      .map((l) => l.rel)
      .filter((r) => !r.startsWith("snapshot:re"))
      .sort(),
  };
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

async function call(
  w: World,
  method: string,
  href: string,
  headers: Record<string, string> = {},
  version = API,
): Promise<Answer> {
  const res = await fetch(href, {
    method,
    headers: { Accept: `application/*+xml;version=${version}`, ...w.auth, ...headers },
  });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: await res.text() };
}

/** The recordings, or why they could not be read: that fails each suite with the reason, not the whole mocha run. */
const loaded: { recordings: Interaction[]; error?: Error } = (() => {
  try {
    return { recordings: loadRecordings() };
  } catch (e) {
    return { recordings: [], error: e as Error };
  }
})();

describe("vcd: fidelity of the simulator against recorded vCD responses", () => {
  if (loaded.error) {
    it("reads the recorded vCD responses", () => assert.fail(loaded.error!.message));
    return;
  }
  const recordings = loaded.recordings;
  const used = new Set<number>();
  let live: World;
  let aged: World;
  const hrefs: Record<string, string> = {};

  before(async () => {
    live = await world();
    aged = await world();
    const two = [{ name: "Localhost" }, { name: "RedHat Private network 43", parent: "RedHat Private network 43" }];
    const off = await recordedVApp(live, "cfme-vapp", "template", two, false);
    hrefs.poweredOff = off.href;
    // The same vApp a few days later: a natRouted network added in front.
    const natRouted = {
      name: "Local vApp Network",
      parent: "RedHat Private network 42",
      fenceMode: "natRouted" as const,
    };
    hrefs.threeNetworks = (await recordedVApp(live, "cfme-vapp-later", "template", [natRouted, ...two], false)).href;
    hrefs.vm = off.href.replace(/vapp-[0-9a-f-]+$/, `vm-${off.uuid.slice(0, 24)}000000000000`);
    // The expired states: created, then the storage lease (30 days) runs out.
    hrefs.expired = (await recordedVApp(aged, "demo-vapp", "template", two, false)).href;
    hrefs.noVms = (await recordedVApp(aged, "berginc-vapp", "empty", [{ name: "VM Network" }])).href;
    aged.sim.state.advanceClock((30 * DAY + 3600) * 1000);
  });
  after(async () => {
    for (const w of [live, aged]) {
      await w?.client.close();
      await w?.sim.stop();
    }
  });

  /** The same request as the recording, against the simulator in the recorded state. */
  const replay: Record<string, () => Promise<Answer>> = {
    authentication: async () => {
      const res = await fetch(`${live.sim.url}/api/sessions`, {
        method: "POST",
        headers: {
          Accept: "application/*+xml;version=37.0",
          Authorization: `Basic ${Buffer.from("redhat@RedHat:redhat-Passw0rd!").toString("base64")}`,
        },
      });
      return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: await res.text() };
    },
    get_vdc: () => call(live, "GET", live.vdcHref),
    get_vapps: () => call(live, "GET", live.vdcHref),
    "get_vapps-novms#1": () => call(aged, "GET", aged.vdcHref),
    "get_vapps-expired#1": () => call(aged, "GET", aged.vdcHref),
    get_vapp: () => call(live, "GET", hrefs.poweredOff),
    "get_vapp-emptyvm": () => call(live, "GET", hrefs.threeNetworks),
    "get_vapps-expired#2": () => call(aged, "GET", hrefs.expired),
    "get_vapps-novms#2": () => call(aged, "GET", hrefs.noVms),
    get_vm: () => call(live, "GET", hrefs.vm),
    "post_reconfigure_vm-virtual_hardware": () =>
      call(live, "POST", `${hrefs.vm}/action/reconfigureVm`, { "Content-Type": MEDIA.vm }),
  };

  const replayWorld: Record<string, World> = {};
  before(() => {
    for (const id of ["get_vapp", "get_vapp-emptyvm"]) replayWorld[id] = live;
    for (const id of ["get_vapps-expired#2", "get_vapps-novms#2"]) replayWorld[id] = aged;
  });

  for (const rec of recordings) {
    it(`${rec.id}: ${rec.method} ${rec.path.replace(/[0-9a-f-]{36}/g, "{id}")} answers like the recording`, async () => {
      const run = replay[rec.id];
      assert.ok(run, `no replay for recorded interaction ${rec.id}: add one (and its state) to this suite`);
      const sim = await run();
      const found = differences(rec, sim);
      if (rec.status === 200 && /<VApp /.test(rec.body)) {
        // what the client reads from either server must agree
        const w = replayWorld[rec.id];
        assert.deepStrictEqual(
          readVApp(sim.body, w.sim.state.now()),
          readVApp(rec.body, rec.recordedAt),
          `${rec.id}: the client reads the simulator's vApp differently`,
        );
      }
      assert.deepStrictEqual(explain(rec.id, found), [], `${rec.id}: differences not listed in DIFFERENCES`);
    });
  }

  /** The differences DIFFERENCES does not explain (and a note of the entries that explained some). */
  function explain(id: string, found: string[]): string[] {
    return found.filter((d) => {
      const i = DIFFERENCES.findIndex((x) => x.where.test(id) && x.what.test(d));
      if (i >= 0) used.add(i);
      return i < 0;
    });
  }

  function differences(rec: Interaction, sim: Answer): string[] {
    const out: string[] = [];
    if (sim.status !== rec.status) out.push(`status ${sim.status} instead of ${rec.status}`);
    const r = mediaType(rec.contentType);
    const s = mediaType(sim.contentType);
    if (s.type !== r.type) out.push(`content-type "${s.type}" instead of "${r.type}"`);
    if (sim.status === rec.status && rec.body.trim()) {
      const expected = rec.id === "authentication" ? "37.0" : API;
      assert.strictEqual(s.version, expected, "Content-Type carries the requested version");
      out.push(...compareXml(rec.body, sim.body, { mask: masker([RECORDED_HOST, live.sim.url, aged.sim.url]) }));
    }
    return out;
  }

  // --- quoted samples (hand-typed from public sources, test/fixtures/vcd/quoted): what the recordings lack ---

  it("quoted create response: 201, a VApp at status 0 with its queued task, the same links and shape", async () => {
    const real = quoted("create-vapp-response.xml");
    const tpl = await live.client.vapps.findTemplate("catalog", "Windows and Linux VAPP TEMPLATE");
    const res = await live.client.request("POST", `${live.vdcHref}/action/instantiateVAppTemplate`, {
      body: bodies.instantiateVAppTemplateParams({
        name: "Test1_vm",
        description: "Vapp instantiation",
        sourceHref: tpl,
        deploy: false,
        powerOn: false,
      }),
      contentType: MEDIA.instantiate,
      expect: [201],
    });
    assert.strictEqual(res.status, 201);
    const found = compareXml(real, res.data, { mask: masker(["https://localhost", live.sim.url]) });
    assert.deepStrictEqual(explain("quoted:create-vapp-response", found), [], "differences not listed in DIFFERENCES");
    const pick = (xml: string) => {
      const v = parseVApp(xml);
      const t = v.tasks[0];
      return {
        status: v.status,
        deployed: v.deployed,
        description: v.description,
        leases: v.leases,
        owner: !!v.owner,
        tasks: v.tasks.length,
        task: [t.status, t.operationName, t.progress, t.links.length],
      };
    };
    assert.deepStrictEqual(pick(res.data), pick(real));
    await live.client.waitForTask(parseVApp(res.data).tasks[0].href);
  });

  it("quoted powered-on vApp: the link set of kube-nfv/RO vapp_xml_response (status 4, two vApp networks)", async () => {
    // Source: kube-nfv/RO RO-VIM-vmware/osm_rovim_vmware/tests/test_vimconn_vmware_xml_response.py, vapp_xml_response.
    const recorded = [
      "power:powerOff",
      "power:reboot",
      "power:reset",
      "power:shutdown",
      "power:suspend",
      "deploy",
      "undeploy",
      "down",
      "down",
      "down",
      "controlAccess",
      "up",
      "edit",
      "down",
      "down",
      "ovf",
      "down",
      "snapshot:create",
    ];
    const two = [{ name: "Localhost" }, { name: "RedHat Private network 43", parent: "RedHat Private network 43" }];
    const v = await recordedVApp(live, "running", "template", two);
    const on = await live.client.vapps.setPower(v.href, true);
    assert.strictEqual(on.status, VAppStatus.POWERED_ON);
    assert.deepStrictEqual(on.links.map((l) => l.rel).sort(), recorded.sort());
  });

  it("quoted 10.4 /api/versions: same structure and LoginUrl rules", async () => {
    const real = quoted("versions-10.4.xml");
    const simXml = await (await fetch(`${live.sim.url}/api/versions`)).text();
    assert.deepStrictEqual(parseResolved(simXml).decls, parseResolved(real).decls, "root namespace declarations");
    const info = (xml: string, version: string) =>
      parseResolved(xml).children.find((v) => v.children.find((c) => c.local === "Version")?.text === version)!;
    for (const version of ["37.0", "35.0"]) {
      const [a, b] = [info(simXml, version), info(real, version)];
      assert.deepStrictEqual(
        a.children.map((c) => c.local),
        b.children.map((c) => c.local),
        version,
      );
      assert.deepStrictEqual(
        a.attrs.map((x) => x.local),
        b.attrs.map((x) => x.local),
        version,
      );
    }
    const shape = (v: { loginUrl?: string; providerLoginUrl?: string }) => [
      /\/cloudapi\/1\.0\.0\/sessions$/.test(v.loginUrl ?? ""),
      /\/sessions\/provider$/.test(v.providerLoginUrl ?? ""),
    ];
    const [r, s] = [parseVersions(real), parseVersions(simXml)];
    for (const ver of ["37.0", "35.0"])
      assert.deepStrictEqual(shape(s.find((v) => v.version === ver)!), shape(r.find((v) => v.version === ver)!), ver);
  });

  it("quoted 403: same element, attributes and request-id prefix; the id matches the header", async () => {
    const real = quoted("error-403.xml");
    const res = await fetch(`${live.sim.url}/api/vApp/vapp-75b5b162-0000-0000-0000-000000000000`, {
      headers: { Accept: `application/*+xml;version=${API}`, ...live.auth },
    });
    const simXml = await res.text();
    assert.strictEqual(res.status, 403);
    assert.strictEqual(
      mediaType(res.headers.get("content-type") ?? "").type,
      "application/vnd.vmware.vcloud.error+xml",
    );
    assert.deepStrictEqual(explain("quoted:error-403", compareXml(real, simXml, { mask: masker([]) })), []);
    const r = parseErrorResponse(403, real, {});
    const s = parseErrorResponse(403, simXml, Object.fromEntries(res.headers));
    for (const e of [r, s]) {
      assert.ok(e instanceof ForbiddenError);
      assert.deepStrictEqual([e.minorErrorCode, e.majorErrorCode], ["ACCESS_TO_RESOURCE_IS_FORBIDDEN", "403"]);
      assert.match(e.vcdMessage, /^Either you need some or all of the following rights \[Base\]/);
    }
    assert.strictEqual(s.requestId, res.headers.get("x-vmware-vcloud-request-id"));
  });

  it("quoted 406: same codes; the simulator adds the request-id prefix the old quote lacks", async () => {
    const real = parseErrorResponse(406, quoted("error-406.xml"), {});
    const res = await fetch(`${live.sim.url}/api/org/`, { headers: { Accept: "application/*+xml;version=5.5" } });
    const s = parseErrorResponse(res.status, await res.text(), Object.fromEntries(res.headers));
    assert.deepStrictEqual(
      [s.status, s.minorErrorCode, s.majorErrorCode],
      [real.status, real.minorErrorCode, real.majorErrorCode],
    );
    for (const e of [s, real])
      assert.match(e.vcdMessage, /^The request has invalid accept header\. Supported API versions are: \[/);
    assert.ok(s.requestId);
  });

  it("quoted cloudapi 401: same JSON keys and codes", async () => {
    const real = JSON.parse(quoted("cloudapi-401.json"));
    const res = await fetch(`${live.sim.url}/cloudapi/1.0.0/sessions`, {
      method: "POST",
      headers: { Accept: `application/json;version=${API}`, Authorization: "Basic eDp5" },
    });
    const body = (await res.json()) as Record<string, unknown>;
    assert.strictEqual(res.status, 401);
    assert.deepStrictEqual(Object.keys(body), Object.keys(real));
    const [s, r] = [
      parseErrorResponse(401, JSON.stringify(body), {}),
      parseErrorResponse(401, JSON.stringify(real), {}),
    ];
    assert.deepStrictEqual([s.minorErrorCode, s.vcdMessage], [r.minorErrorCode, r.vcdMessage]);
    assert.ok(s instanceof VcdError);
  });

  it("lists no difference that no longer occurs", function () {
    if (this.test?.parent?.tests.some((t) => t.state === "failed")) this.skip();
    const stale = DIFFERENCES.filter((_, i) => !used.has(i)).map((d) => `${d.where} ${d.what}: ${d.why}`);
    assert.deepStrictEqual(stale, []);
  });
});

describe("vcd: the client reads recorded vCD responses", () => {
  if (loaded.error) {
    it("reads the recorded vCD responses", () => assert.fail(loaded.error!.message));
    return;
  }
  const recordings = loaded.recordings;
  const rec = (id: string) => recordings.find((r) => r.id === id)!;
  const H = RECORDED_HOST;

  it("a powered-off vApp: status, leases and expirations, owner, networks, VMs and the links a provider follows", () => {
    const r = rec("get_vapp");
    const v = parseVApp(r.body, r.recordedAt);
    assert.strictEqual(v.id, "urn:vcloud:vapp:fe8d013d-dd2f-4ac6-9e8a-3a4a18e0a62e");
    assert.strictEqual(v.uuid, "fe8d013d-dd2f-4ac6-9e8a-3a4a18e0a62e");
    assert.deepStrictEqual(
      [v.status, v.statusText, v.deployed, v.expired],
      [VAppStatus.POWERED_OFF, "POWERED_OFF", false, false],
    );
    assert.deepStrictEqual(v.leases, {
      deploymentSeconds: 604800,
      storageSeconds: 2592000,
      deploymentExpiration: undefined,
      storageExpiration: "2018-06-07T15:42:23.757+02:00",
    });
    assert.deepStrictEqual(v.owner, {
      name: "redhat",
      href: `${H}/api/admin/user/e0d6e74d-efde-49fe-b19f-ace7e55b68dd`,
    });
    assert.deepStrictEqual(
      v.networks.map((n) => [n.name, n.fenceMode, n.parentNetworkName]),
      [
        ["Localhost", "isolated", undefined],
        ["RedHat Private network 43", "bridged", "RedHat Private network 43"],
      ],
    );
    assert.deepStrictEqual(v.vmNames, ["Databasy Machiny", "Web Server VM"]);
    assert.strictEqual(v.vdcHref, `${H}/api/vdc/cf6ea964-a67f-4ba1-b69e-3dd5d6cb0c89`);
    assert.strictEqual(v.dateCreated, "2018-04-16T09:13:17.007+02:00");
    assert.deepStrictEqual(v.tasks, []);
    assert.strictEqual(findLink(v.links, "recompose", MEDIA.recompose)?.href, `${v.href}/action/recomposeVApp`);
    assert.ok(
      findLink(v.links, "power:powerOn") && findLink(v.links, "deploy", MEDIA.deploy) && findLink(v.links, "remove"),
    );
  });

  it("an expired vApp (storage lease in the past): expired, with only up, edit, remove and network links", () => {
    const r = rec("get_vapps-expired#2");
    const v = parseVApp(r.body, r.recordedAt);
    assert.deepStrictEqual(
      [v.status, v.expired, v.leases?.storageExpiration],
      [VAppStatus.POWERED_OFF, true, "2018-04-13T16:45:36.711+02:00"],
    );
    assert.deepStrictEqual(v.links.map((l) => l.rel).sort(), ["down", "down", "edit", "remove", "up"]);
    assert.strictEqual(v.description, "");
  });

  it("a vApp without VMs: RESOLVED, no VMs, an isolated network, an empty description", () => {
    const r = rec("get_vapps-novms#2");
    const v = parseVApp(r.body, r.recordedAt);
    assert.deepStrictEqual([v.status, v.statusText, v.vmNames, v.expired], [VAppStatus.RESOLVED, "RESOLVED", [], true]);
    assert.deepStrictEqual(v.networks, [
      { name: "VM Network", fenceMode: "isolated", parentNetworkHref: undefined, parentNetworkName: undefined },
    ]);
    assert.strictEqual(v.owner?.name, "system");
  });

  it("a task that failed: status, operation, owner, user, org and the error with its request id", () => {
    const vm = children(child(rootElement(rec("get_vapp-emptyvm").body, "VApp"), "Children"), "Vm")[0];
    const t = parseTaskNode(children(child(vm, "Tasks"), "Task")[0]);
    assert.deepStrictEqual(
      [t.status, t.operationName, t.ownerName, t.userName, t.orgName],
      ["error", "vappUpdateVm", "Databasy Machiny", "redhat", "RedHat"],
    );
    assert.deepStrictEqual(t.error, {
      majorErrorCode: "400",
      minorErrorCode: "BAD_REQUEST",
      requestId: "9c3afab2-07d4-440b-98ae-52824014c259",
      message: 'The VCD entity network "RedHat Private network 42 3" does not exist.',
    });
    assert.strictEqual(t.endTime, "2018-05-21T15:31:14.265+02:00");
  });

  it("a queued task (202 to a VM reconfigure): what waitForTask polls", () => {
    const r = rec("post_reconfigure_vm-virtual_hardware");
    const t = parseTask(r.body);
    assert.deepStrictEqual(
      [t.status, t.operationName, t.progress, t.error, t.links],
      ["queued", "vappUpdateVm", undefined, undefined, []],
    );
    assert.strictEqual(t.href, `${H}/api/task/9e0fe5aa-59b3-474a-a89a-72228587cb09`);
    assert.strictEqual(t.id, "urn:vcloud:task:9e0fe5aa-59b3-474a-a89a-72228587cb09");
    assert.strictEqual(t.ownerHref, `${H}/api/vApp/vm-8dc9990c-a55a-418e-8e21-5942a20b93ef`);
  });

  it("a VDC and a session: the links the client follows (org up, compose and instantiate, the org itself)", () => {
    const vdc = parseLinks(rootElement(rec("get_vdc").body, "Vdc"));
    assert.strictEqual(
      vdc.find((l) => l.rel === "up" && (l.type ?? "").endsWith(".org+xml"))?.href,
      `${H}/api/org/8f03aa58-b618-4c32-836b-dc6b612ed3a4`,
    );
    for (const type of [MEDIA.compose, MEDIA.instantiate]) assert.ok(findLink(vdc, "add", type), type);
    const session = parseLinks(rootElement(rec("authentication").body, "Session"));
    assert.strictEqual(findLink(session, "down", MEDIA.org)?.name, "RedHat");
    assert.ok(findLink(session, "down", MEDIA.queryList));
  });
});
