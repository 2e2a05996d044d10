// Runs a real BIND 9 `named` (Debian bind9, installed by scripts/dns-server.sh) in the foreground on 127.0.0.1 with a
// private config and one zone whose transfers need an hmac-sha256 TSIG key, like Designate's mDNS for sapcc.
import { ChildProcess, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as dgram from "dgram";
import * as os from "os";
import * as path from "path";
import * as dnsPacket from "dns-packet";

export const NAMED = "/usr/sbin/named";
export const TSIG_KEY_NAME = "tsig-key";

export interface ZoneRecord {
  /** Relative owner ("vc-a-0"), "@" for the apex, or absolute with a trailing dot. */
  name: string;
  type: "A" | "AAAA" | "CNAME" | "TXT" | "MX" | "NS" | "SRV";
  value: string;
  ttl?: number;
}

export interface DnsServerOptions {
  zone: string;
  records: ZoneRecord[];
  /** hmac-sha256 secret; a random one when omitted (read it back from the result). */
  tsigKeyBase64?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Initial SOA serial, default 1. */
  serial?: number;
  /** Zones declared with no zone file: named cannot load them and answers SERVFAIL for them (fault tests). */
  brokenZones?: string[];
}

export interface DnsServer {
  host: "127.0.0.1";
  port: number;
  zone: string;
  keyName: string;
  tsigKeyBase64: string;
  zoneFile: string;
  serial(): number;
  /** Rewrites the zone with serial+1 and reloads named (SIGHUP); resolves once named serves the new serial. */
  setRecords(records: ZoneRecord[]): Promise<number>;
  stop(): Promise<void>;
}

function zoneText(zone: string, serial: number, records: ZoneRecord[]): string {
  const lines = [
    `$ORIGIN ${zone}.`,
    `$TTL 60`,
    `@ IN SOA ns1.${zone}. hostmaster.${zone}. ( ${serial} 3600 600 86400 60 )`,
    `@ IN NS ns1.${zone}.`,
    `ns1 IN A 127.0.0.1`,
  ];
  for (const r of records) {
    const value = r.type === "TXT" && !r.value.startsWith('"') ? JSON.stringify(r.value) : r.value;
    lines.push(`${r.name} ${r.ttl ?? 60} IN ${r.type} ${value}`);
  }
  return lines.join("\n") + "\n";
}

function namedConf(dir: string, port: number, zone: string, secret: string, broken: string[] = []): string {
  const brokenZones = broken
    .map(
      (z) =>
        `zone "${z.replace(/\.$/, "")}" {\n  type primary;\n  file "${dir}/missing-${z.replace(/\W/g, "_")}.zone";\n  allow-transfer { key "${TSIG_KEY_NAME}"; };\n};\n`,
    )
    .join("");
  return `options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
  allow-query { 127.0.0.1; };
  allow-transfer { none; };
};
key "${TSIG_KEY_NAME}" { algorithm hmac-sha256; secret "${secret}"; };
controls { };
zone "${zone}" {
  type primary;
  file "${dir}/db.zone";
  allow-transfer { key "${TSIG_KEY_NAME}"; };
};
${brokenZones}`;
}

/** A port free for both TCP and UDP on 127.0.0.1 (named binds both). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = dgram.createSocket("udp4");
      u.once("error", () => resolve(false));
      u.bind(port, "127.0.0.1", () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error("no free TCP+UDP port on 127.0.0.1");
}

/** Unsigned SOA serial over UDP (allowed by allow-query), to see what named serves. */
async function servedSerial(port: number, zone: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket("udp4");
    const done = (v: number | undefined): void => {
      clearTimeout(t);
      sock.close();
      resolve(v);
    };
    const t = setTimeout(() => done(undefined), 500);
    sock.on("error", () => done(undefined));
    sock.on("message", (m) => {
      try {
        const soa = dnsPacket.decode(m).answers?.find((a) => a.type === "SOA");
        done(soa && soa.type === "SOA" ? soa.data.serial : undefined);
      } catch {
        done(undefined);
      }
    });
    sock.send(dnsPacket.encode({ type: "query", id: 1, questions: [{ type: "SOA", name: zone }] }), port, "127.0.0.1");
  });
}

async function waitForSerial(
  port: number,
  zone: string,
  serial: number,
  child: ChildProcess,
  log: () => string,
  ms: number,
): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`named exited with ${child.exitCode}: ${log().slice(-1500)}`);
    if ((await servedSerial(port, zone)) === serial) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  if (!fs.existsSync(NAMED)) throw new Error(`${NAMED} not found; run scripts/dns-server.sh (installs Debian bind9)`);
  const zone = opts.zone.replace(/\.$/, "");
  const secret = opts.tsigKeyBase64 ?? crypto.randomBytes(32).toString("base64");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dns-sim-"));
  const zoneFile = path.join(dir, "db.zone");
  const confFile = path.join(dir, "named.conf");
  let serial = opts.serial ?? 1;
  let mtime = Math.floor(Date.now() / 1000);
  // named skips reloading a zone file whose mtime is not newer than its last load; keep mtimes strictly increasing.
  const writeZone = (records: ZoneRecord[]): void => {
    fs.writeFileSync(zoneFile, zoneText(zone, serial, records));
    mtime = Math.max(mtime + 1, Math.floor(Date.now() / 1000));
    fs.utimesSync(zoneFile, mtime, mtime);
  };
  writeZone(opts.records);

  const fixed = opts.port !== undefined && opts.port !== 0;
  for (let attempt = 0; ; attempt++) {
    const port = fixed ? opts.port! : await freePort();
    fs.writeFileSync(confFile, namedConf(dir, port, zone, secret, opts.brokenZones), { mode: 0o600 });
    const child = spawn(NAMED, ["-g", "-4", "-c", confFile], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr!.on("data", (d) => (log = (log + d).slice(-20000)));
    const stop = (): Promise<void> =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    let up = false;
    try {
      up = await waitForSerial(port, zone, serial, child, () => log, 15000);
    } catch (e) {
      if (fixed || attempt >= 2) throw e;
    }
    if (!up) {
      await stop();
      if (fixed || attempt >= 2)
        throw new Error(`named did not serve ${zone} on 127.0.0.1:${port}: ${log.slice(-1500)}`);
      continue;
    }
    return {
      host: "127.0.0.1",
      port,
      zone,
      keyName: TSIG_KEY_NAME,
      tsigKeyBase64: secret,
      zoneFile,
      serial: () => serial,
      async setRecords(records) {
        serial++;
        writeZone(records);
        for (let i = 0; i < 3; i++) {
          child.kill("SIGHUP");
          if (await waitForSerial(port, zone, serial, child, () => log, 3000)) return serial;
          mtime += 1;
          fs.utimesSync(zoneFile, mtime, mtime);
        }
        throw new Error(`named did not load serial ${serial} of ${zone}: ${log.slice(-1500)}`);
      },
      async stop() {
        await stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
