// Discovery against a real BIND 9 named on 127.0.0.1 serving a zone whose transfers need an hmac-sha256 TSIG key.
import { strict as assert } from "assert";
import * as net from "net";
import { DnsServer, startDnsServer, ZoneRecord } from "../../simulators/dns";
import { axfr, DnsTransferError, querySoaSerial, TransferOptions } from "../../sdk/vcenter/dns/axfr";
import { splitTsig } from "../../sdk/vcenter/dns/tsig";
import { discoverFromDns, vcenterHosts } from "../../sdk/vcenter/discovery";
import { ensureNamed } from "../helpers/named";

const ZONE = "cc.qa-de-1.cloud.sap";
const padding: ZoneRecord[] = Array.from({ length: 1500 }, (_, i) => ({
  name: `pad-${i}`,
  type: "TXT",
  value: "p".repeat(120),
}));
const base: ZoneRecord[] = [
  { name: "vc-a-0", type: "A", value: "10.0.0.10" },
  { name: "vc-b-12", type: "A", value: "10.0.0.11" },
  { name: "vc-c-3", type: "CNAME", value: "vc-a-0" },
  { name: "vc-d-4", type: "AAAA", value: "fd00::4" },
  { name: "vcenter-x-1", type: "A", value: "10.0.0.12" },
  { name: "vc-a-b", type: "A", value: "10.0.0.13" },
  { name: "vc-t-1", type: "TXT", value: "not an address" },
  { name: "foo.vc-a-1", type: "A", value: "10.0.0.14" },
  ...padding,
];
const expected = ["vc-a-0", "vc-b-12", "vc-c-3", "vc-d-4"].map((n) => `${n}.${ZONE}`);

/** Forwards TCP to named; corrupts one byte just before the TSIG RR of the n-th DNS message from the server. */
function tamperingProxy(
  target: number,
  corruptMessage: number | undefined,
): Promise<{ port: number; connections: () => number; close: () => void }> {
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(target, "127.0.0.1");
    client.pipe(upstream);
    let buf = Buffer.alloc(0);
    let index = 0;
    upstream.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const frame = Buffer.from(buf.subarray(0, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(frame.length);
        if (index++ === corruptMessage) {
          const msg = frame.subarray(2);
          const { tsig, unsigned } = splitTsig(msg);
          assert.ok(tsig, "the message to corrupt is signed");
          msg[unsigned.length - 1] ^= 0x01; // last byte of the last record before the TSIG RR
        }
        client.write(frame);
      }
    });
    upstream.on("end", () => client.end());
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        connections: () => connections,
        close: () => server.close(),
      }),
    ),
  );
}

/**
 * Forwards TCP from `listenHost` to named, re-chunking the server's bytes: `split` writes them 7 bytes at a time (a
 * message and its length prefix span many reads), `coalesce` writes 3 whole DNS messages per write.
 */
function rechunkingProxy(
  target: number,
  listenHost: string,
  mode: "split" | "coalesce",
): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    client.pipe(upstream);
    let buf = Buffer.alloc(0);
    let frames: Buffer[] = [];
    upstream.on("data", (chunk) => {
      if (mode === "split") {
        for (let i = 0; i < chunk.length; i += 7) client.write(chunk.subarray(i, i + 7));
        return;
      }
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        frames.push(Buffer.from(buf.subarray(0, 2 + buf.readUInt16BE(0))));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (frames.length === 3) {
          client.write(Buffer.concat(frames));
          frames = [];
        }
      }
      // The closing SOA may sit in a partial group: flush once named has nothing more in flight.
      if (frames.length && buf.length === 0)
        setTimeout(() => frames.length && (client.write(Buffer.concat(frames)), (frames = [])), 50);
    });
    upstream.on("end", () => client.end());
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, listenHost, () =>
      resolve({ port: (server.address() as net.AddressInfo).port, close: () => server.close() }),
    );
  });
}

describe("vcenter DNS discovery against BIND 9 (integration)", function () {
  this.timeout(120000);
  let dns: DnsServer;
  let opts: TransferOptions;

  before(async function () {
    ensureNamed(this);
    dns = await startDnsServer({ zone: ZONE, records: base });
    opts = {
      server: { host: dns.host, port: dns.port },
      zone: ZONE,
      key: { name: dns.keyName, secret: dns.tsigKeyBase64 },
      timeoutMs: 10000,
    };
  });
  after(async () => dns && (await dns.stop()));

  it("reads the SOA serial with a TSIG-signed query over TCP", async () => {
    assert.equal(await querySoaSerial(opts), 1);
  });

  it("transfers the zone over several signed messages and keeps only vc-* names", async () => {
    const t = await axfr(opts);
    assert.ok(t.messages > 1, `expected a multi-message AXFR, got ${t.messages}`);
    assert.equal(t.records[0].type, "SOA");
    assert.equal(t.records[t.records.length - 1].type, "SOA");
    assert.equal(t.records.length, base.length + 4); // + SOA, NS, ns1 A, closing SOA
    assert.deepEqual(vcenterHosts(t.records, ZONE), expected);
  });

  it("named refuses a wrong secret with NOTAUTH/BADSIG and an unknown key with NOTAUTH/BADKEY", async () => {
    const wrong = Buffer.alloc(32, 9).toString("base64");
    for (const run of [
      () => querySoaSerial({ ...opts, key: { name: dns.keyName, secret: wrong } }),
      () => axfr({ ...opts, key: { name: dns.keyName, secret: wrong } }),
    ]) {
      await assert.rejects(run, (e: DnsTransferError) => {
        assert.equal(e.code, "BADSIG");
        assert.match(e.message, /NOTAUTH\/BADSIG/);
        assert.ok(!e.message.includes(wrong) && !e.message.includes(dns.tsigKeyBase64));
        return true;
      });
    }
    await assert.rejects(
      axfr({ ...opts, key: { name: "other-key", secret: dns.tsigKeyBase64 } }),
      (e: DnsTransferError) => e.code === "BADKEY" && /NOTAUTH\/BADKEY/.test(e.message),
    );
  });

  it("refuses a response altered in transit (first message, and a later AXFR message)", async () => {
    for (const [what, message] of [
      ["SOA", 0],
      ["AXFR", 0],
      ["AXFR", 2],
    ] as const) {
      const proxy = await tamperingProxy(dns.port, message);
      try {
        const o = { ...opts, server: { host: "127.0.0.1", port: proxy.port } };
        await assert.rejects(
          what === "SOA" ? querySoaSerial(o) : axfr(o),
          (e: DnsTransferError) => e.code === "BADSIG" && /does not verify/.test(e.message),
        );
      } finally {
        proxy.close();
      }
    }
    // The same proxy without corruption passes: the failures above come from the altered byte only.
    const clean = await tamperingProxy(dns.port, undefined);
    try {
      assert.equal(
        (await axfr({ ...opts, server: { host: "127.0.0.1", port: clean.port } })).records.length,
        base.length + 4,
      );
    } finally {
      clean.close();
    }
  });

  it("reassembles messages split across reads and several messages per read, over IPv6 too", async function () {
    for (const [host, mode] of [
      ["127.0.0.1", "split"],
      ["127.0.0.1", "coalesce"],
      ["::1", "split"],
      ["::1", "coalesce"],
    ] as const) {
      let proxy: { port: number; close: () => void };
      try {
        proxy = await rechunkingProxy(dns.port, host, mode);
      } catch {
        if (host === "::1") continue; // no IPv6 loopback here
        throw new Error("cannot listen on 127.0.0.1");
      }
      try {
        const o = { ...opts, server: { host, port: proxy.port } };
        assert.equal(await querySoaSerial(o), dns.serial(), `${host} ${mode}`);
        const t = await axfr(o);
        assert.equal(t.records.length, base.length + 4, `${host} ${mode}`);
        assert.deepEqual(vcenterHosts(t.records, ZONE), expected);
      } finally {
        proxy.close();
      }
    }
  });

  it("skips the transfer while the serial is unchanged, drops a removed vCenter after a serial bump", async () => {
    const proxy = await tamperingProxy(dns.port, undefined);
    try {
      const o = { ...opts, server: { host: "127.0.0.1", port: proxy.port } };
      const first = await discoverFromDns(o);
      assert.deepEqual(first.vcenters, expected);
      assert.deepEqual(first.added, expected);
      assert.equal(first.transferred, true);
      assert.equal(proxy.connections(), 2); // SOA + AXFR

      const again = await discoverFromDns(o, first.state);
      assert.equal(again.transferred, false);
      assert.deepEqual([again.vcenters, again.added, again.removed], [expected, [], []]);
      assert.equal(proxy.connections(), 3); // only the SOA query

      const serial = await dns.setRecords([
        ...base.filter((r) => r.name !== "vc-b-12"),
        { name: "vc-e-7", type: "A", value: "10.0.0.20" },
      ]);
      assert.equal(serial, 2);
      const after = await discoverFromDns(o, again.state);
      assert.equal(after.transferred, true);
      assert.deepEqual(after.removed, [`vc-b-12.${ZONE}`]);
      assert.deepEqual(after.added, [`vc-e-7.${ZONE}`]);
      assert.ok(!after.vcenters.includes(`vc-b-12.${ZONE}`));
      assert.deepEqual(after.state, { serial: 2, vcenters: after.vcenters });
    } finally {
      proxy.close();
    }
  });
});
