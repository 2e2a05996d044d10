// The server side of TSIG (RFC 8945), for tests: verifies our signed requests and signs responses the way a server
// does, to check the client in sdk/vcenter/dns/tsig.ts against an independent path.
import * as crypto from "crypto";
import {
  appendTsig,
  macPrefix,
  nowSeconds,
  SignOptions,
  signingVariables,
  splitTsig,
  TsigError,
  TsigKey,
  tsigMac,
  variablesOf,
} from "../../sdk/vcenter/dns/tsig";

/** Verifies a signed request the way a server does; returns its MAC (the response is signed over it). */
export function verifyRequest(msg: Buffer, key: TsigKey, now = nowSeconds()): { mac: Buffer; unsigned: Buffer } {
  const { tsig, unsigned } = splitTsig(msg);
  if (!tsig) throw new TsigError("request is not signed", "UNSIGNED");
  if (tsig.keyName.toLowerCase() !== key.name.toLowerCase().replace(/\.$/, ""))
    throw new TsigError(`unknown key "${tsig.keyName}"`, "BADKEY");
  const expected = tsigMac(key, [unsigned], variablesOf(tsig), true);
  if (tsig.mac.length !== expected.length || !crypto.timingSafeEqual(expected, tsig.mac))
    throw new TsigError("request MAC does not verify", "BADSIG");
  if (Math.abs(now - tsig.timeSigned) > tsig.fudge) throw new TsigError("request time outside fudge", "BADTIME");
  return { mac: tsig.mac, unsigned };
}

/** Signs a response (first=true) or a continuation message chained to `prevMac`; returns the message and its MAC. */
export function signResponse(
  msg: Buffer,
  key: TsigKey,
  prevMac: Buffer,
  opts: SignOptions & { first?: boolean; unsignedSince?: Buffer[] } = {},
): { message: Buffer; mac: Buffer } {
  const v = signingVariables(key, opts);
  const mac = tsigMac(key, [macPrefix(prevMac), ...(opts.unsignedSince ?? []), msg], v, opts.first ?? true);
  return { message: appendTsig(msg, v, mac), mac };
}
