// vCenter discovery against BIND 9 through a real fault proxy (Toxiproxy): a held answer, a refused connection,
// SERVFAIL, and an AXFR cut mid-transfer each give a clear error and never a shorter vCenter list (which the
// caller would take as vCenters to remove); split packets and latency change nothing.
import { strict as assert } from "assert";
import { startDnsServer, DnsServer, ZoneRecord } from "../../simulators/dns";
import { FaultProxy, startToxiproxy, ToxiproxyServer } from "../../simulators/toxiproxy";
import { DiscoveryState, discoverFromDns } from "../../sdk/vcenter/discovery";
import { DnsTransferError } from "../../sdk/vcenter/dns/axfr";
import { ensureNamed } from "../helpers/named";
import { FaultLedger } from "./fault-ledger";

const ZONE = "cc.qa-de-1.cloud.sap";
const BROKEN = "broken.qa-de-1.cloud.sap";
// Enough records for a multi-message AXFR (well over 64 kB), so a cut can land in the middle of it.
const padding: ZoneRecord[] = Array.from({ length: 1500 }, (_, i) => ({
  name: `pad-${i}`,
  type: "TXT",
  value: "p".repeat(120),
}));
const vcs: ZoneRecord[] = ["vc-a-0", "vc-b-1", "vc-c-2"].map((name, i) => ({
  name,
  type: "A",
  value: `10.0.0.${i + 1}`,
}));
const expected = ["vc-a-0", "vc-b-1", "vc-c-2"].map((n) => `${n}.${ZONE}`);

describe("vcenter DNS discovery: faults through toxiproxy in front of BIND", function () {
  this.timeout(120_000);
  let dns: DnsServer;
  let toxi: ToxiproxyServer;
  let proxy: FaultProxy;
  let n = 0;
  const ledger = new FaultLedger("VCenterTemplate discovery (DNS)");

  const discover = (previous?: DiscoveryState, zone = ZONE, timeoutMs = 5_000) =>
    discoverFromDns(
      {
        server: { host: "127.0.0.1", port: proxy.port },
        zone,
        key: { name: dns.keyName, secret: dns.tsigKeyBase64 },
        timeoutMs,
      },
      previous,
    );

  /** What a previous successful run left: the state a failure must leave alone. */
  const previous: DiscoveryState = { serial: 0, vcenters: expected };

  async function failure(p: Promise<unknown>): Promise<DnsTransferError> {
    const err = await p.then(
      () => undefined,
      (e) => e,
    );
    assert.ok(err instanceof DnsTransferError, `expected a DnsTransferError, got ${err}`);
    return err;
  }

  before(async function () {
    ensureNamed(this);
    dns = await startDnsServer({ zone: ZONE, records: [...vcs, ...padding], brokenZones: [BROKEN] });
    toxi = await startToxiproxy();
  });
  beforeEach(async () => {
    proxy = await toxi.proxy(`bind-${++n}`, `127.0.0.1:${dns.port}`);
  });
  afterEach(async () => proxy && (await proxy.remove()));
  after(async () => {
    ledger.print();
    await toxi?.stop();
    await dns?.stop();
  });

  it("works through the proxy, split into small segments and delayed", async () => {
    await proxy.toxic("slicer", { average_size: 300, size_variation: 100, delay: 100 });
    await proxy.toxic("latency", { latency: 50, jitter: 20 });
    const r = await discover(previous);
    assert.deepEqual(r.vcenters, expected);
    assert.deepEqual(r.removed, []);
    ledger.record("discovery (SOA + AXFR)", "slicer + latency", "succeeded");
  });

  it("a held answer is a clear timeout error", async () => {
    await proxy.toxic("timeout", { timeout: 0 });
    const err = await failure(discover(previous, ZONE, 500));
    assert.equal(err.code, "TIMEOUT");
    assert.match(err.message, new RegExp(`SOA ${ZONE} from 127\\.0\\.0\\.1:\\d+: no complete answer within 500 ms`));
    ledger.record("discovery (SOA + AXFR)", "timeout (held)", "clear error, nothing pruned");
  });

  it("a refused connection (server down) is a clear error", async () => {
    await proxy.disable();
    const err = await failure(discover(previous));
    assert.equal(err.code, "ECONNREFUSED");
    assert.match(err.message, /connection refused \(ECONNREFUSED\): is the server listening on TCP/);
    ledger.record("discovery (SOA + AXFR)", "upstream down (refused)", "clear error, nothing pruned");
  });

  it("SERVFAIL is a clear error naming the rcode", async () => {
    const err = await failure(discover(undefined, BROKEN));
    assert.equal(err.code, "SERVFAIL");
    assert.match(err.message, new RegExp(`SOA ${BROKEN} from .*: the server answered SERVFAIL`));
    ledger.record("discovery (SOA + AXFR)", "SERVFAIL (zone not loaded)", "clear error, nothing pruned");
  });

  it("an AXFR cut mid-transfer (limit_data) is an error, never a shorter list", async () => {
    // The SOA answer (< 200 bytes) passes; the transfer is cut after 20 kB, several messages in.
    await proxy.toxic("limit_data", { bytes: 20_000 });
    const err = await failure(discover(previous));
    assert.equal(err.code, "CLOSED");
    assert.match(
      err.message,
      new RegExp(`AXFR ${ZONE} from .*: the server closed the connection before the answer was complete`),
    );
    ledger.record("discovery (AXFR)", "limit_data (transfer cut)", "clear error, nothing pruned");
  });

  it("an AXFR reset mid-transfer (reset_peer) is an error, never a shorter list", async () => {
    // Slow the transfer (about 200 kB) to 50 kB/s, and reset the connection once it is under way.
    await proxy.toxic("bandwidth", { rate: 50 });
    const running = failure(discover(previous));
    await new Promise((r) => setTimeout(r, 800));
    await proxy.toxic("reset_peer", { timeout: 0 });
    const err = await running;
    assert.ok(["ECONNRESET", "CLOSED"].includes(err.code ?? ""), `${err.code}: ${err.message}`);
    assert.match(err.message, new RegExp(`AXFR ${ZONE} from `));
    ledger.record("discovery (AXFR)", "reset_peer mid-transfer", "clear error, nothing pruned");
  });

  it("once the fault is gone the same previous state discovers the same vCenters (nothing was dropped)", async () => {
    const r = await discover(previous);
    assert.deepEqual([r.vcenters, r.removed, r.transferred], [expected, [], true]);
  });
});
