// TSIG-signed SOA query and AXFR over TCP (dns-packet for the codec and framing, our TSIG for signing).
import * as crypto from "crypto";
import * as net from "net";
import * as dnsPacket from "dns-packet";
import { rcodeName, signRequest, TsigError, TsigKey, TsigResponseVerifier } from "./tsig";
import { u16 } from "./wire";

export interface DnsEndpoint {
  host: string;
  port: number;
}

export interface TransferOptions {
  server: DnsEndpoint;
  zone: string;
  /** TSIG key; sapcc's is named "tsig-key" with algorithm hmac-sha256. */
  key: TsigKey;
  /** Whole-exchange timeout, default 15 s. */
  timeoutMs?: number;
}

export class DnsTransferError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "DnsTransferError";
  }
}

export type DnsRecord = dnsPacket.Answer;

function buildQuery(zone: string, type: "SOA" | "AXFR"): Buffer {
  return dnsPacket.encode({
    type: "query",
    id: crypto.randomInt(0, 0x10000),
    flags: 0,
    questions: [{ type, name: zone.replace(/\.$/, ""), class: "IN" }],
  });
}

/**
 * Sends one signed query over TCP and hands each verified, decoded response message to `onMessage` until it
 * returns true. The verifier sees exact wire bytes; dns-packet only decodes what already verified.
 */
async function exchange(
  opts: TransferOptions,
  type: "SOA" | "AXFR",
  onMessage: (packet: dnsPacket.Packet) => boolean,
): Promise<void> {
  const query = buildQuery(opts.zone, type);
  const { message, mac } = signRequest(query, opts.key);
  const verifier = new TsigResponseVerifier(opts.key, mac);
  const id = query.readUInt16BE(0);
  const where = `${type} ${opts.zone} from ${opts.server.host}:${opts.server.port}`;

  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: opts.server.host, port: opts.server.port });
    let buf = Buffer.alloc(0);
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(
      () =>
        finish(new DnsTransferError(`${where}: no complete answer within ${opts.timeoutMs ?? 15000} ms`, "TIMEOUT")),
      opts.timeoutMs ?? 15000,
    );
    socket.on("connect", () => socket.write(Buffer.concat([u16(message.length), message])));
    socket.on("error", (e: NodeJS.ErrnoException) =>
      finish(new DnsTransferError(`${where}: ${SOCKET_ERRORS[e.code ?? ""] ?? e.code ?? e.message}`, e.code)),
    );
    socket.on("close", () =>
      finish(
        new DnsTransferError(`${where}: the server closed the connection before the answer was complete`, "CLOSED"),
      ),
    );
    socket.on("data", (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      try {
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const raw = buf.subarray(2, 2 + buf.readUInt16BE(0));
          buf = buf.subarray(2 + raw.length);
          if (raw.length < 12 || raw.readUInt16BE(0) !== id)
            throw new DnsTransferError(`${where}: answer with a foreign message ID`, "FORMERR");
          const plain = verifier.verify(raw);
          const packet = dnsPacket.decode(plain);
          if (rcodeName(raw) !== "NOERROR") {
            throw new DnsTransferError(`${where}: the server answered ${rcodeName(raw)}`, rcodeName(raw));
          }
          if (onMessage(packet)) {
            verifier.finish();
            return finish();
          }
        }
      } catch (e) {
        if (e instanceof TsigError) return finish(new DnsTransferError(`${where}: ${e.message}`, e.code));
        finish(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

/** Plain words for the socket errors a DNS server (or the network) gives most often. */
const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused (ECONNREFUSED): is the server listening on TCP at this address?",
  ECONNRESET: "the connection was reset (ECONNRESET) before the answer was complete",
  ETIMEDOUT: "the connection timed out (ETIMEDOUT)",
  EHOSTUNREACH: "host unreachable (EHOSTUNREACH)",
};

/** The zone's SOA serial from a TSIG-signed SOA query over TCP (sapcc: xfr(rdtype=SOA)). */
export async function querySoaSerial(opts: TransferOptions): Promise<number> {
  let serial: number | undefined;
  await exchange(opts, "SOA", (p) => {
    const soa = (p.answers ?? []).find((a) => a.type === "SOA");
    if (!soa || soa.type !== "SOA")
      throw new DnsTransferError(`SOA ${opts.zone}: the answer holds no SOA record (not authoritative?)`, "NOSOA");
    serial = soa.data.serial;
    return true;
  });
  return serial!;
}

export interface ZoneTransfer {
  /** Opening and closing SOA included. */
  records: DnsRecord[];
  /** Number of DNS messages the server used. */
  messages: number;
}

/** All records of the zone via AXFR, reading messages until the closing SOA. */
export async function transferZone(opts: TransferOptions): Promise<DnsRecord[]> {
  return (await axfr(opts)).records;
}

export async function axfr(opts: TransferOptions): Promise<ZoneTransfer> {
  const records: DnsRecord[] = [];
  let messages = 0;
  await exchange(opts, "AXFR", (p) => {
    messages++;
    for (const a of p.answers ?? []) {
      if (records.length === 0 && a.type !== "SOA")
        throw new DnsTransferError(`AXFR ${opts.zone}: the transfer does not start with the SOA`, "FORMERR");
      records.push(a);
      if (records.length > 1 && a.type === "SOA") return true;
    }
    return false;
  });
  return { records, messages };
}
