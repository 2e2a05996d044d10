// FQDNs compare case-insensitively and with or without the root's trailing dot (RFC 4343, RFC 1034 §3.1).

/** `VC-A-0.Example.` → `vc-a-0.example`. */
export function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, "");
}
