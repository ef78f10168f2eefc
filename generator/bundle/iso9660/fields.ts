/**
 * The field encodings of ECMA-119 (ISO 9660) that every other file of this folder writes with:
 * numbers in little-, big- and both-byte orders (7.2.x, 7.3.x), space-padded ASCII and UCS-2 big
 * endian strings (7.4, Joliet), the 7-byte directory record date (9.1.5) and the 17-byte volume
 * descriptor date (8.4.26.1). Guarantees: pure; every encoder returns exactly the field's width and
 * throws (internal error) when the value does not fit. Dates are written in UTC (offset 0).
 */

export const SECTOR = 2048;

/** n's 4 bytes, least significant first (bytes written one by one: a DataView per field cost more than the field) */
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];

/** 7.3.3 (733): 32-bit both-byte order, little endian first — 8 bytes */
export function both32(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`internal: ${n} does not fit a 32-bit ISO 9660 field`);
  const le = le32(n);
  return new Uint8Array([...le, ...le.reverse()]);
}

/** 7.2.3 (723): 16-bit both-byte order — 4 bytes */
export function both16(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new Error(`internal: ${n} does not fit a 16-bit ISO 9660 field`);
  return new Uint8Array([n & 0xff, n >> 8, n >> 8, n & 0xff]);
}

/** 7.3.1 (731) / 7.3.2 (732): 32-bit little or big endian — 4 bytes */
export function u32(n: number, littleEndian: boolean): Uint8Array {
  const le = le32(n >>> 0);
  return new Uint8Array(littleEndian ? le : le.reverse());
}

/** 7.2.1 (721) / 7.2.2 (722): 16-bit little or big endian — 2 bytes */
export function u16(n: number, littleEndian: boolean): Uint8Array {
  const lo = n & 0xff;
  const hi = (n >>> 8) & 0xff;
  return new Uint8Array(littleEndian ? [lo, hi] : [hi, lo]);
}

/** ASCII text left-aligned in `width` bytes, padded with spaces (0x20) */
export function ascii(text: string, width: number): Uint8Array {
  if (text.length > width || !/^[\x20-\x7e]*$/.test(text)) throw new Error(`internal: ${JSON.stringify(text)} is not ASCII of at most ${width} bytes`);
  const b = new Uint8Array(width).fill(0x20);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  return b;
}

/** UCS-2 big endian text (Joliet) left-aligned in `width` bytes, padded with U+0020; an odd last byte is 0 */
export function ucs2(text: string, width: number): Uint8Array {
  if (text.length * 2 > width || /[\ud800-\udfff]/.test(text)) throw new Error(`internal: ${JSON.stringify(text)} does not fit ${width} bytes of UCS-2`);
  const b = new Uint8Array(width);
  const padded = text.padEnd(Math.floor(width / 2), " ");
  for (let i = 0; i < padded.length; i++) {
    b[2 * i] = padded.charCodeAt(i) >> 8;
    b[2 * i + 1] = padded.charCodeAt(i) & 0xff;
  }
  return b;
}

/** UCS-2 big endian bytes of a name, unpadded (Joliet file identifiers) */
export function ucs2Name(text: string): Uint8Array {
  return ucs2(text, text.length * 2);
}

/** 9.1.5: years since 1900, month, day, hour, minute, second, GMT offset in 15-minute steps — 7 bytes */
export function recordDate(t: Date): Uint8Array {
  const year = t.getUTCFullYear() - 1900;
  if (year < 0 || year > 255) throw new Error(`internal: ${t.toISOString()} is outside the ISO 9660 date range`);
  return new Uint8Array([year, t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), 0]);
}

/** 8.4.26.1: "YYYYMMDDHHMMSScc" in ASCII digits and a GMT offset byte — 17 bytes; undefined = not specified */
export function volumeDate(t: Date | undefined): Uint8Array {
  if (!t) return concat([ascii("0".repeat(16), 16), new Uint8Array(1)]);
  const two = (n: number) => String(n).padStart(2, "0");
  const digits =
    String(t.getUTCFullYear()).padStart(4, "0") +
    two(t.getUTCMonth() + 1) +
    two(t.getUTCDate()) +
    two(t.getUTCHours()) +
    two(t.getUTCMinutes()) +
    two(t.getUTCSeconds()) +
    two(Math.floor(t.getUTCMilliseconds() / 10));
  return concat([ascii(digits, 16), new Uint8Array(1)]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Number of whole sectors that hold `bytes` bytes (at least one when `atLeastOne`) */
export function sectorsFor(bytes: number, atLeastOne = false): number {
  return Math.max(atLeastOne ? 1 : 0, Math.ceil(bytes / SECTOR));
}
