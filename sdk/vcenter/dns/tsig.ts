// RFC 8945 TSIG with hmac-sha256, written by hand because dns-packet has no TSIG codec and no signing.
// Works on raw wire messages: the MAC covers exact bytes, so nothing here re-encodes a message it verifies.
// The client side: signing requests and verifying responses (a server's side, for tests: test/helpers/tsig-server.ts).
import * as crypto from "crypto";
import { u16, u48 } from "./wire";

export const TSIG_TYPE = 250;
const CLASS_ANY = 255;
export const DEFAULT_FUDGE = 300;
const ALGORITHM = "hmac-sha256";
const MAC_LEN = 32;

export interface TsigKey {
  /** Key name as configured on the server, e.g. "tsig-key". */
  name: string;
  /** The shared secret, base64 as in named.conf / sapcc's `tsig_key`, or raw bytes. */
  secret: string | Buffer;
}

/** RFC 8945 TSIG error codes (in the TSIG RR, with rcode NOTAUTH). */
export const TSIG_ERROR_NAMES: Record<number, string> = {
  0: "NOERROR",
  16: "BADSIG",
  17: "BADKEY",
  18: "BADTIME",
  22: "BADTRUNC",
};

/** A TSIG failure. The message names the key and the error, never the secret. */
export class TsigError extends Error {
  constructor(
    message: string,
    /** BADSIG / BADKEY / BADTIME / FORMERR / UNSIGNED ... */
    readonly code: string,
  ) {
    super(message);
    this.name = "TsigError";
  }
}

export function secretBytes(key: TsigKey): Buffer {
  if (Buffer.isBuffer(key.secret)) return key.secret;
  const b = Buffer.from(key.secret, "base64");
  if (b.length === 0) throw new TsigError(`TSIG key "${key.name}": the secret is not valid base64`, "BADKEY");
  return b;
}

/** Canonical (lowercase, uncompressed, root-terminated) wire form of a domain name. */
export function nameToWire(name: string): Buffer {
  const labels = name
    .toLowerCase()
    .replace(/\.$/, "")
    .split(".")
    .filter((l) => l !== "");
  const parts: Buffer[] = [];
  for (const l of labels) {
    const b = Buffer.from(l, "utf8");
    if (b.length > 63) throw new TsigError(`DNS label "${l}" is longer than 63 bytes`, "FORMERR");
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** Reads a possibly compressed name; returns it without the trailing dot and the offset after it. */
export function readName(msg: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let hops = 0; ;) {
    if (pos >= msg.length) throw new TsigError("truncated DNS name", "FORMERR");
    const len = msg[pos];
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (++hops > 64) throw new TsigError("DNS name compression loop", "FORMERR");
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | msg[pos + 1];
      continue;
    }
    if (len > 63 || pos + 1 + len > msg.length) throw new TsigError("malformed DNS name", "FORMERR");
    labels.push(msg.toString("utf8", pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { name: labels.join("."), next };
}

export interface TsigRecord {
  keyName: string;
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  other: Buffer;
}

export interface SplitMessage {
  tsig?: TsigRecord;
  /** The message as the MAC sees it: TSIG RR removed, ARCOUNT decremented, ID = original ID. */
  unsigned: Buffer;
}

/** Finds the TSIG RR (which must be the last additional record) and returns the message without it. */
export function splitTsig(msg: Buffer): SplitMessage {
  if (msg.length < 12) throw new TsigError("DNS message shorter than its header", "FORMERR");
  const counts = [4, 6, 8, 10].map((o) => msg.readUInt16BE(o));
  let pos = 12;
  for (let i = 0; i < counts[0]; i++) pos = readName(msg, pos).next + 4;
  const rrTotal = counts[1] + counts[2] + counts[3];
  let lastStart = -1;
  let lastType = -1;
  for (let i = 0; i < rrTotal; i++) {
    lastStart = pos;
    pos = readName(msg, pos).next;
    if (pos + 10 > msg.length) throw new TsigError("truncated resource record", "FORMERR");
    lastType = msg.readUInt16BE(pos);
    pos += 10 + msg.readUInt16BE(pos + 8);
    if (pos > msg.length) throw new TsigError("truncated resource record", "FORMERR");
    if (lastType === TSIG_TYPE && i !== rrTotal - 1)
      throw new TsigError("TSIG record is not the last record", "FORMERR");
  }
  if (counts[3] === 0 || lastType !== TSIG_TYPE) return { unsigned: msg };

  const owner = readName(msg, lastStart);
  let p = owner.next + 10;
  const alg = readName(msg, p);
  p = alg.next;
  const timeSigned = msg.readUIntBE(p, 6);
  const fudge = msg.readUInt16BE(p + 6);
  const macSize = msg.readUInt16BE(p + 8);
  const mac = msg.subarray(p + 10, p + 10 + macSize);
  p += 10 + macSize;
  const originalId = msg.readUInt16BE(p);
  const error = msg.readUInt16BE(p + 2);
  const otherLen = msg.readUInt16BE(p + 4);
  const other = msg.subarray(p + 6, p + 6 + otherLen);
  if (p + 6 + otherLen !== pos) throw new TsigError("malformed TSIG record", "FORMERR");

  const unsigned = Buffer.from(msg.subarray(0, lastStart));
  unsigned.writeUInt16BE(originalId, 0);
  unsigned.writeUInt16BE(counts[3] - 1, 10);
  return {
    tsig: {
      keyName: owner.name,
      algorithm: alg.name,
      timeSigned,
      fudge,
      mac: Buffer.from(mac),
      originalId,
      error,
      other: Buffer.from(other),
    },
    unsigned,
  };
}

/** The TSIG variables of one message (RFC 8945 §4.3.3), besides the algorithm (always hmac-sha256). */
export interface TsigVariables {
  keyName: string;
  /** Seconds since the epoch. */
  timeSigned: number;
  /** Seconds of clock skew allowed. */
  fudge: number;
  error: number;
  other: Buffer;
}

/** Full TSIG variables (RFC 8945 §4.3.3): first message of a request or response. */
function fullVariables(v: TsigVariables): Buffer {
  return Buffer.concat([
    nameToWire(v.keyName),
    u16(CLASS_ANY),
    Buffer.alloc(4),
    nameToWire(ALGORITHM),
    u48(v.timeSigned),
    u16(v.fudge),
    u16(v.error),
    u16(v.other.length),
    v.other,
  ]);
}

/** Timers only: later messages of a multi-message response (§5.3.1). */
function timerVariables(v: Pick<TsigVariables, "timeSigned" | "fudge">): Buffer {
  return Buffer.concat([u48(v.timeSigned), u16(v.fudge)]);
}

/**
 * The hmac-sha256 MAC over `covered` (for a response: macPrefix(previous MAC), the unsigned messages since then, this
 * message) followed by the full variables (`full`: a request or the first message of a response) or the timers only.
 */
export function tsigMac(key: TsigKey, covered: Buffer[], v: TsigVariables, full: boolean): Buffer {
  const h = crypto.createHmac("sha256", secretBytes(key));
  for (const p of covered) h.update(p);
  h.update(full ? fullVariables(v) : timerVariables(v));
  return h.digest();
}

/** A MAC as a response's MAC covers the previous one: with its 16-bit length first (§4.3.1). */
export function macPrefix(mac: Buffer): Buffer {
  return Buffer.concat([u16(mac.length), mac]);
}

function tsigRR(id: number, v: TsigVariables, mac: Buffer): Buffer {
  const rdata = Buffer.concat([
    nameToWire(ALGORITHM),
    u48(v.timeSigned),
    u16(v.fudge),
    u16(mac.length),
    mac,
    u16(id),
    u16(v.error),
    u16(v.other.length),
    v.other,
  ]);
  return Buffer.concat([
    nameToWire(v.keyName),
    u16(TSIG_TYPE),
    u16(CLASS_ANY),
    Buffer.alloc(4),
    u16(rdata.length),
    rdata,
  ]);
}

/** `msg` with a TSIG RR carrying `mac` appended as its last additional record (ARCOUNT + 1). */
export function appendTsig(msg: Buffer, v: TsigVariables, mac: Buffer): Buffer {
  const out = Buffer.concat([msg, tsigRR(msg.readUInt16BE(0), v, mac)]);
  out.writeUInt16BE(msg.readUInt16BE(10) + 1, 10);
  return out;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export interface SignOptions {
  /** Seconds since the epoch; defaults to now. */
  time?: number;
  /** Seconds; defaults to DEFAULT_FUDGE (300). */
  fudge?: number;
}

/** The variables to sign a message with `key`: no error, no other data. */
export function signingVariables(key: TsigKey, opts: SignOptions = {}): TsigVariables {
  return {
    keyName: key.name,
    timeSigned: opts.time ?? nowSeconds(),
    fudge: opts.fudge ?? DEFAULT_FUDGE,
    error: 0,
    other: Buffer.alloc(0),
  };
}

/** The variables a received TSIG record carries. */
export function variablesOf(tsig: TsigRecord): TsigVariables {
  return {
    keyName: tsig.keyName,
    timeSigned: tsig.timeSigned,
    fudge: tsig.fudge,
    error: tsig.error,
    other: tsig.other,
  };
}

/** Signs a request; keep `mac` to verify the response. */
export function signRequest(msg: Buffer, key: TsigKey, opts: SignOptions = {}): { message: Buffer; mac: Buffer } {
  const v = signingVariables(key, opts);
  const mac = tsigMac(key, [msg], v, true);
  return { message: appendTsig(msg, v, mac), mac };
}

/**
 * Verifies a response and the continuation messages of a zone transfer (RFC 8945 §5.3): the first message must be
 * signed over request MAC + message + full variables; later ones over previous MAC + the unsigned messages since
 * then + this one + timers. At most 99 unsigned messages may follow each other, and `finish()` requires the last
 * message to have been signed.
 */
export class TsigResponseVerifier {
  private prevMac: Buffer;
  private pending: Buffer[] = [];
  private first = true;
  private readonly now: () => number;

  constructor(
    private readonly key: TsigKey,
    requestMac: Buffer,
    opts: { now?: () => number } = {},
  ) {
    this.prevMac = requestMac;
    this.now = opts.now ?? nowSeconds;
  }

  /** Verifies one raw message and returns it without its TSIG record (ready for dns-packet decode). */
  verify(msg: Buffer): Buffer {
    const { tsig, unsigned } = splitTsig(msg);
    if (!tsig) {
      if (this.first)
        throw new TsigError(
          this.rcodeHint(msg, `the response is not TSIG-signed (key "${this.key.name}")`),
          "UNSIGNED",
        );
      if (this.pending.length >= 99)
        throw new TsigError("more than 99 consecutive unsigned messages in a TSIG-signed transfer", "UNSIGNED");
      this.pending.push(unsigned);
      return unsigned;
    }
    if (tsig.keyName.toLowerCase() !== this.key.name.toLowerCase().replace(/\.$/, "")) {
      throw new TsigError(`the response is signed with key "${tsig.keyName}", expected "${this.key.name}"`, "BADKEY");
    }
    if (tsig.algorithm.toLowerCase() !== ALGORITHM) {
      throw new TsigError(`the response uses TSIG algorithm "${tsig.algorithm}", expected ${ALGORITHM}`, "BADKEY");
    }
    if (tsig.error !== 0) {
      const name = TSIG_ERROR_NAMES[tsig.error] ?? `TSIG error ${tsig.error}`;
      throw new TsigError(
        `the server rejected our TSIG signature with key "${this.key.name}": ${rcodeName(msg)}/${name}`,
        name,
      );
    }
    if (tsig.mac.length !== MAC_LEN)
      throw new TsigError(`TSIG MAC of ${tsig.mac.length} bytes, expected ${MAC_LEN}`, "BADTRUNC");
    const expected = tsigMac(
      this.key,
      [macPrefix(this.prevMac), ...this.pending, unsigned],
      variablesOf(tsig),
      this.first,
    );
    if (!crypto.timingSafeEqual(expected, tsig.mac)) {
      throw new TsigError(
        `the response's TSIG MAC does not verify with key "${this.key.name}" (BADSIG): altered in transit or a different key`,
        "BADSIG",
      );
    }
    if (Math.abs(this.now() - tsig.timeSigned) > tsig.fudge) {
      throw new TsigError(
        `the response was signed ${this.now() - tsig.timeSigned}s ago, outside the fudge of ${tsig.fudge}s (BADTIME)`,
        "BADTIME",
      );
    }
    this.prevMac = tsig.mac;
    this.pending = [];
    this.first = false;
    return unsigned;
  }

  /** Call after the last message: RFC 8945 requires it to be signed. */
  finish(): void {
    if (this.first || this.pending.length > 0)
      throw new TsigError("the last message of the transfer is not TSIG-signed", "UNSIGNED");
  }

  private rcodeHint(msg: Buffer, text: string): string {
    const rc = rcodeName(msg);
    return rc === "NOERROR" ? text : `${text}; rcode ${rc}`;
  }
}

const RCODES = [
  "NOERROR",
  "FORMERR",
  "SERVFAIL",
  "NXDOMAIN",
  "NOTIMP",
  "REFUSED",
  "YXDOMAIN",
  "YXRRSET",
  "NXRRSET",
  "NOTAUTH",
  "NOTZONE",
];
export function rcodeName(msg: Buffer): string {
  const rc = msg.length >= 4 ? msg[3] & 0x0f : -1;
  return RCODES[rc] ?? `RCODE${rc}`;
}
