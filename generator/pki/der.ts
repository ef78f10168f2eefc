/**
 * DER (ITU-T X.690) of the few ASN.1 types a leaf certificate is made of: the writer behind
 * pki/cert-der.ts, which encodes kubeseed's leaves directly instead of building, serializing and
 * re-parsing them through @peculiar/x509 (most of the CPU time of issuing 1,000 certificates).
 * Guarantees: pure; every value is encoded in its one DER form (definite minimal lengths, minimal
 * INTEGERs, named bit lists without trailing zero bits, UTCTime up to 2049 and GeneralizedTime from
 * 2050 as RFC 5280 §4.1.2.5 requires). Does not parse anything.
 */

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** Tag, length and the contents (concatenated). */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = contents.length === 1 ? contents[0] : Buffer.concat(contents);
  const head = [tag, ...lengthOctets(body.length)];
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

export const sequence = (...items: Uint8Array[]) => tlv(0x30, ...items);
export const set = (...items: Uint8Array[]) => tlv(0x31, ...items);
/** [n] EXPLICIT (constructed, context-specific) */
export const explicit = (n: number, inner: Uint8Array) => tlv(0xa0 | n, inner);
/** [n] IMPLICIT of a primitive type: its contents under the context tag */
export const implicit = (n: number, contents: Uint8Array) => tlv(0x80 | n, contents);
export const NULL = Uint8Array.of(0x05, 0x00);
export const boolean = (v: boolean) => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);
export const octetString = (bytes: Uint8Array) => tlv(0x04, bytes);
export const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
export const printableString = (s: string) => tlv(0x13, Buffer.from(s, "latin1"));
export const ia5String = (s: string) => tlv(0x16, Buffer.from(s, "latin1"));

/** A non-negative INTEGER from big-endian hex: leading zero octets dropped, one 00 added before a high bit. */
export function unsignedInteger(hex: string): Uint8Array {
  let bytes: Uint8Array = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
  let first = 0;
  while (first < bytes.length - 1 && bytes[first] === 0) first++;
  bytes = bytes.subarray(first);
  if (bytes.length === 0) bytes = Uint8Array.of(0);
  return tlv(0x02, bytes[0] > 0x7f ? Buffer.concat([Uint8Array.of(0), bytes]) : bytes);
}

/** A small non-negative INTEGER (the certificate version). */
export const smallInteger = (n: number) => unsignedInteger(n.toString(16));

const oids = new Map<string, Uint8Array>();

/** An OBJECT IDENTIFIER from its dotted form (encodings are kept: there are a dozen of them). */
export function objectIdentifier(dotted: string): Uint8Array {
  const known = oids.get(dotted);
  if (known) return known;
  const arcs = dotted.split(".").map(Number);
  const bytes: number[] = [];
  for (const arc of [arcs[0] * 40 + arcs[1], ...arcs.slice(2)]) {
    const septets = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) septets.unshift(0x80 | (v & 0x7f));
    bytes.push(...septets);
  }
  const der = tlv(0x06, Uint8Array.from(bytes));
  oids.set(dotted, der);
  return der;
}

/** A BIT STRING holding whole octets (a key, a signature). */
export const bitString = (bytes: Uint8Array) => tlv(0x03, Uint8Array.of(0), bytes);

/** A named bit list (KeyUsage): bit i of `flags` is the list's bit i; trailing zero bits are not encoded. */
export function namedBits(flags: number): Uint8Array {
  const octets: number[] = [];
  let highest = -1;
  for (let i = 0; i < 32; i++) {
    if (!(flags & (2 ** i))) continue;
    highest = i;
    const at = i >> 3;
    while (octets.length <= at) octets.push(0);
    octets[at] |= 0x80 >> (i & 7);
  }
  const unused = highest < 0 ? 0 : 7 - (highest & 7);
  return tlv(0x03, Uint8Array.of(unused, ...octets));
}

const two = (n: number) => String(n).padStart(2, "0");

/** RFC 5280 Time: UTCTime (YYMMDDHHMMSSZ) through 2049, GeneralizedTime (YYYYMMDDHHMMSSZ) from 2050; whole seconds. */
export function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  return y <= 2049 ? tlv(0x17, Buffer.from(`${two(y % 100)}${rest}`, "latin1")) : tlv(0x18, Buffer.from(`${String(y).padStart(4, "0")}${rest}`, "latin1"));
}
