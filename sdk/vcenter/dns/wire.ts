// Big-endian integers of the DNS wire format (RFC 1035 §2.3.2): 16-bit fields and lengths, TSIG's 48-bit time.

export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

export function u48(n: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(n, 0, 6);
  return b;
}
