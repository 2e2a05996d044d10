import { strict as assert } from "assert";
import * as crypto from "crypto";
import * as dnsPacket from "dns-packet";
import { nameToWire, signRequest, splitTsig, TsigError, TsigResponseVerifier } from "../../sdk/vcenter/dns/tsig";
import { signResponse, verifyRequest } from "../helpers/tsig-server";
import { diffVCenters, discoverStatic, vcenterHosts } from "../../sdk/vcenter/discovery";
import type { DnsRecord } from "../../sdk/vcenter/dns/axfr";

const key = { name: "tsig-key", secret: Buffer.alloc(32, 7).toString("base64") };
const T = 1_700_000_000;
const ZONE = "cc.qa-de-1.cloud.sap";

function query(id = 0x1234): Buffer {
  return dnsPacket.encode({ type: "query", id, flags: 0, questions: [{ type: "AXFR", name: ZONE, class: "IN" }] });
}
function response(id: number, answers: dnsPacket.Answer[]): Buffer {
  return dnsPacket.encode({
    type: "response",
    id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: [{ type: "AXFR", name: ZONE, class: "IN" }],
    answers,
  });
}
const soa: dnsPacket.Answer = {
  type: "SOA",
  name: ZONE,
  ttl: 60,
  data: { mname: "ns1." + ZONE, rname: "hostmaster." + ZONE, serial: 7, refresh: 1, retry: 1, expire: 1, minimum: 1 },
};
const a = (name: string): dnsPacket.Answer => ({ type: "A", name: `${name}.${ZONE}`, ttl: 60, data: "10.0.0.1" });
const expectCode = (code: string) => (e: unknown) => e instanceof TsigError && e.code === code;

describe("vcenter TSIG (RFC 8945, hmac-sha256)", () => {
  it("writes names in canonical wire form", () => {
    assert.equal(nameToWire("Tsig-Key.").toString("hex"), "087473696" + "72d6b657900");
  });

  it("signs a request: TSIG RR appended last, ARCOUNT+1, MAC over message + full variables", () => {
    const q = query();
    const { message, mac } = signRequest(q, key, { time: T });
    assert.equal(message.readUInt16BE(10), 1);
    const decoded = dnsPacket.decode(message);
    assert.equal(decoded.additionals?.[0].type, "TSIG");
    assert.equal(decoded.additionals?.[0].name, "tsig-key");
    const { tsig, unsigned } = splitTsig(message);
    assert.ok(tsig);
    assert.deepEqual(unsigned, q);
    assert.equal(tsig.algorithm, "hmac-sha256");
    assert.equal(tsig.timeSigned, T);
    assert.equal(tsig.fudge, 300);
    assert.equal(tsig.originalId, 0x1234);
    assert.equal(tsig.error, 0);
    assert.equal(tsig.mac.length, 32);
    // Independently spelled variables: name, class ANY, TTL 0, algorithm, time48, fudge, error, other len.
    const vars = Buffer.from(
      "08747369672d6b657900" +
        "00ff" +
        "00000000" +
        "0b686d61632d73686132353600" +
        T.toString(16).padStart(12, "0") +
        "012c" +
        "0000" +
        "0000",
      "hex",
    );
    const expected = crypto.createHmac("sha256", Buffer.alloc(32, 7)).update(q).update(vars).digest();
    assert.deepEqual(mac, expected);
    assert.deepEqual(tsig.mac, expected);
  });

  it("round-trips request → server verify → signed response → client verify", () => {
    const req = signRequest(query(), key);
    const server = verifyRequest(req.message, key);
    assert.deepEqual(server.mac, req.mac);
    const resp = signResponse(response(0x1234, [soa, a("vc-a-0"), soa]), key, server.mac);
    const plain = new TsigResponseVerifier(key, req.mac).verify(resp.message);
    assert.equal(dnsPacket.decode(plain).answers?.length, 3);
  });

  it("a server rejects a tampered request and a different secret", () => {
    const req = signRequest(query(), key);
    const bad = Buffer.from(req.message);
    bad[14] ^= 1; // a byte of the question name
    assert.throws(() => verifyRequest(bad, key), expectCode("BADSIG"));
    assert.throws(() => verifyRequest(req.message, { ...key, secret: Buffer.alloc(32, 8) }), expectCode("BADSIG"));
    assert.throws(() => verifyRequest(req.message, { ...key, name: "other" }), expectCode("BADKEY"));
  });

  it("refuses a response with any byte of the signed part flipped", () => {
    const req = signRequest(query(), key);
    const resp = signResponse(response(0x1234, [soa, a("vc-a-0"), soa]), key, req.mac).message;
    const tsigStart = resp.length - splitTsig(resp).tsig!.mac.length - 50; // well inside the records, before the TSIG RR
    for (const at of [2, 20, tsigStart]) {
      const bad = Buffer.from(resp);
      bad[at] ^= 0x01;
      assert.throws(
        () => new TsigResponseVerifier(key, req.mac).verify(bad),
        (e: unknown) => e instanceof TsigError,
        `byte ${at}`,
      );
    }
  });

  it("refuses a response signed over another request MAC or with another key", () => {
    const req = signRequest(query(), key);
    const other = signRequest(query(), key, { time: T });
    const resp = signResponse(response(0x1234, [soa]), key, other.mac).message;
    assert.throws(() => new TsigResponseVerifier(key, req.mac).verify(resp), expectCode("BADSIG"));
    const resp2 = signResponse(response(0x1234, [soa]), { ...key, secret: Buffer.alloc(32, 1) }, req.mac).message;
    assert.throws(() => new TsigResponseVerifier(key, req.mac).verify(resp2), expectCode("BADSIG"));
  });

  it("refuses unsigned first responses, stale signatures and reports server TSIG errors", () => {
    const req = signRequest(query(), key);
    assert.throws(() => new TsigResponseVerifier(key, req.mac).verify(response(0x1234, [soa])), expectCode("UNSIGNED"));
    const old = signResponse(response(0x1234, [soa]), key, req.mac, {
      time: Math.floor(Date.now() / 1000) - 301,
    }).message;
    assert.throws(() => new TsigResponseVerifier(key, req.mac).verify(old), expectCode("BADTIME"));
    // What a server sends for an unknown key: NOTAUTH, TSIG error BADKEY, empty MAC.
    const notauth = response(0x1234, []);
    notauth[3] = (notauth[3] & 0xf0) | 9;
    const rr = Buffer.concat([
      nameToWire("tsig-key"),
      Buffer.from("00fa00ff00000000", "hex"),
      Buffer.from([0, 0]),
      nameToWire("hmac-sha256"),
      Buffer.from(T.toString(16).padStart(12, "0") + "012c" + "0000" + "1234" + "0011" + "0000", "hex"),
    ]);
    rr.writeUInt16BE(rr.length - 10 - 10, 18); // rdlength after name(10) + type/class/ttl(8) + rdlength(2)
    const msg = Buffer.concat([notauth, rr]);
    msg.writeUInt16BE(1, 10);
    assert.throws(
      () => new TsigResponseVerifier(key, req.mac).verify(msg),
      (e: unknown) => e instanceof TsigError && e.code === "BADKEY" && /NOTAUTH\/BADKEY/.test(e.message),
    );
  });

  it("verifies AXFR continuations chained by the previous MAC with timers only, unsigned ones in between", () => {
    const req = signRequest(query(), key);
    const m1 = signResponse(response(0x1234, [soa, a("vc-a-0")]), key, req.mac);
    const u2 = response(0x1234, [a("vc-b-1")]);
    const u3 = response(0x1234, [a("vc-c-2")]);
    const m4 = signResponse(response(0x1234, [a("vc-d-3"), soa]), key, m1.mac, {
      first: false,
      unsignedSince: [u2, u3],
    });
    const v = new TsigResponseVerifier(key, req.mac);
    for (const m of [m1.message, u2, u3, m4.message]) v.verify(m);
    v.finish();

    // Signed as if it were a first message (full variables) instead of timers only: refused.
    const wrong = signResponse(response(0x1234, [soa]), key, m1.mac, { first: true });
    const v2 = new TsigResponseVerifier(key, req.mac);
    v2.verify(m1.message);
    assert.throws(() => v2.verify(wrong.message), expectCode("BADSIG"));

    // Dropping an unsigned message in between breaks the chain.
    const v3 = new TsigResponseVerifier(key, req.mac);
    v3.verify(m1.message);
    v3.verify(u2);
    assert.throws(() => v3.verify(m4.message), expectCode("BADSIG"));
  });

  it("allows at most 99 unsigned messages in a row and requires the last one signed", () => {
    const req = signRequest(query(), key);
    const m1 = signResponse(response(0x1234, [soa]), key, req.mac);
    const u = response(0x1234, [a("vc-b-1")]);
    const v = new TsigResponseVerifier(key, req.mac);
    v.verify(m1.message);
    for (let i = 0; i < 99; i++) v.verify(u);
    assert.throws(() => v.finish(), expectCode("UNSIGNED"));
    assert.throws(() => v.verify(u), expectCode("UNSIGNED"));
    const m = signResponse(response(0x1234, [soa]), key, m1.mac, { first: false, unsignedSince: Array(99).fill(u) });
    v.verify(m.message);
    v.finish();
  });
});

describe("vcenter discovery (pure parts)", () => {
  const rec = (name: string, type: string): DnsRecord => ({ name, type, ttl: 60, data: "x" }) as unknown as DnsRecord;

  it("keeps A/AAAA/CNAME owners whose first label is vc-<letters>-<digits>", () => {
    const hosts = vcenterHosts(
      [
        rec(ZONE, "SOA"),
        rec(`vc-a-0.${ZONE}`, "A"),
        rec(`vc-b-12.${ZONE}`, "AAAA"),
        rec(`vc-c-3.${ZONE}`, "CNAME"),
        rec(`vc-a-0.${ZONE}`, "AAAA"),
        rec(`vc-t-1.${ZONE}`, "TXT"),
        rec(`vcenter-a-0.${ZONE}`, "A"),
        rec(`vc-a-b.${ZONE}`, "A"),
        rec(`vc-1-1.${ZONE}`, "A"),
        rec(`foo.vc-a-1.${ZONE}`, "A"),
        rec(`vc-d-4.sub.${ZONE}`, "A"),
        rec(`vc-e-5.other.zone`, "A"),
        rec(`VC-F-6.${ZONE.toUpperCase()}.`, "A"),
      ],
      ZONE + ".",
    );
    assert.deepEqual(hosts, [
      `vc-a-0.${ZONE}`,
      `vc-b-12.${ZONE}`,
      `vc-c-3.${ZONE}`,
      `vc-d-4.sub.${ZONE}`,
      `vc-f-6.${ZONE}`,
    ]);
  });

  it("reports added and removed vCenters", () => {
    assert.deepEqual(diffVCenters(["a", "b"], ["b", "c"]), { added: ["c"], removed: ["a"] });
  });

  it("supports a static list, with state in and out", () => {
    const r1 = discoverStatic(["vc-b-0.x.", "VC-A-0.x", "vc-b-0.x"]);
    assert.deepEqual(r1.vcenters, ["vc-a-0.x", "vc-b-0.x"]);
    assert.deepEqual(r1.added, ["vc-a-0.x", "vc-b-0.x"]);
    const r2 = discoverStatic(["vc-a-0.x"], r1.state);
    assert.deepEqual([r2.added, r2.removed], [[], ["vc-b-0.x"]]);
  });
});
