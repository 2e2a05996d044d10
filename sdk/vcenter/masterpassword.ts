// Master Password (Billemont), Authentication purpose, as sapcc/masterpassword implements it: name and site
// lengths are Python `len(str)` = code-point counts (the v3 spec uses UTF-8 byte lengths; both agree on ASCII).
import * as crypto from "crypto";

const SCOPE = Buffer.from("com.lyndir.masterpassword", "utf8");
// scrypt N=32768, r=8 needs 128*N*r = 32 MiB; Node's default maxmem (32 MiB) is just too small.
const SCRYPT = { N: 32768, r: 8, p: 2, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LEN = 64;

export const TEMPLATES = {
  long: [
    "CvcvnoCvcvCvcv",
    "CvcvCvcvnoCvcv",
    "CvcvCvcvCvcvno",
    "CvccnoCvcvCvcv",
    "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno",
    "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv",
    "CvcvCvccCvcvno",
    "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc",
    "CvcvCvcvCvccno",
    "CvccnoCvccCvcv",
    "CvccCvccnoCvcv",
    "CvccCvccCvcvno",
    "CvcvnoCvccCvcc",
    "CvcvCvccnoCvcc",
    "CvcvCvccCvccno",
    "CvccnoCvcvCvcc",
    "CvccCvcvnoCvcc",
    "CvccCvcvCvccno",
  ],
  maximum: ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
  medium: ["CvcnoCvc", "CvcCvcno"],
  basic: ["aaanaaan", "aannaaan", "aaannaaa"],
  short: ["Cvcn"],
  pin: ["nnnn"],
} as const;
export type TemplateName = keyof typeof TEMPLATES;

const CLASSES: Record<string, string> = {
  V: "AEIOU",
  C: "BCDFGHJKLMNPQRSTVWXYZ",
  v: "aeiou",
  c: "bcdfghjklmnpqrstvwxyz",
  A: "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
  a: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
  n: "0123456789",
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
};

function uint32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** Python len(): code points, not UTF-16 units. */
function codePoints(s: string): number {
  return [...s].length;
}

// Keys are cached per (user, master password) under a SHA-256 of both, so the map never holds the password.
const keyCache = new Map<string, Buffer>();
const MAX_CACHED_KEYS = 64;

function cacheId(fullName: string, masterPassword: string): string {
  return crypto
    .createHash("sha256")
    .update(uint32be(Buffer.byteLength(fullName)))
    .update(fullName, "utf8")
    .update(masterPassword, "utf8")
    .digest("hex");
}

// The pair used last, compared directly: templates derive many passwords for one user in a row, and hashing
// the cache id on every call was a third of the render time. Unlike the map, this keeps the last master password
// itself in memory, as the render context that passes it in already does.
let last: { fullName: string; masterPassword: string; key: Buffer } | undefined;

/** The 64-byte scrypt master key (cached). */
export function masterKey(fullName: string, masterPassword: string): Buffer {
  if (last && last.fullName === fullName && last.masterPassword === masterPassword) return last.key;
  const key = cachedMasterKey(fullName, masterPassword);
  last = { fullName, masterPassword, key };
  return key;
}

function cachedMasterKey(fullName: string, masterPassword: string): Buffer {
  const id = cacheId(fullName, masterPassword);
  const hit = keyCache.get(id);
  if (hit) return hit;
  const salt = Buffer.concat([SCOPE, uint32be(codePoints(fullName)), Buffer.from(fullName, "utf8")]);
  const key = crypto.scryptSync(Buffer.from(masterPassword, "utf8"), salt, KEY_LEN, SCRYPT);
  if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(id, key);
  return key;
}

/** Drops cached master keys (e.g. after the master password was rotated). */
export function clearMasterKeyCache(): void {
  last = undefined;
  for (const k of keyCache.values()) k.fill(0);
  keyCache.clear();
}

/** Upper-case hex SHA-256 of the master key, as the reference implementation's keyID. */
export function keyId(fullName: string, masterPassword: string): string {
  return crypto.createHash("sha256").update(masterKey(fullName, masterPassword)).digest("hex").toUpperCase();
}

/** Derives the site password; sapcc calls it as derive('long', site=<vCenter FQDN>) with counter 1. */
export function derivePassword(
  fullName: string,
  masterPassword: string,
  site: string,
  opts: { template?: TemplateName; counter?: number } = {},
): string {
  const counter = opts.counter ?? 1;
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) {
    throw new RangeError("master password counter must be an integer in [0, 2^32-1]");
  }
  const templates = TEMPLATES[opts.template ?? "long"];
  if (!templates) throw new RangeError(`unknown master password template "${String(opts.template)}"`);
  const seed = crypto
    .createHmac("sha256", masterKey(fullName, masterPassword))
    .update(Buffer.concat([SCOPE, uint32be(codePoints(site)), Buffer.from(site, "utf8"), uint32be(counter)]))
    .digest();
  const tpl = templates[seed[0] % templates.length];
  let out = "";
  for (let i = 0; i < tpl.length; i++) {
    const cls = CLASSES[tpl[i]];
    out += cls[seed[i + 1] % cls.length];
  }
  return out;
}

/** sapcc's `MasterPassword(name, password)` object. */
export class MasterPassword {
  constructor(
    readonly name: string,
    private readonly password: string,
  ) {}

  derive(template: TemplateName, site: string, counter = 1): string {
    return derivePassword(this.name, this.password, site, { template, counter });
  }

  /** Keeps the password out of JSON.stringify / util.inspect output. */
  toJSON(): { name: string } {
    return { name: this.name };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `MasterPassword { name: ${JSON.stringify(this.name)} }`;
  }
}
