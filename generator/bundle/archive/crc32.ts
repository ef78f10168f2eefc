/**
 * crc32Combine: the CRC-32 (zlib's, as node:zlib crc32 gives it) of two byte strings joined, from the
 * CRC-32 of each and the length of the second, without reading the bytes again: the CRC of the first
 * is multiplied by x^(8·length) modulo the CRC polynomial (as zlib's crc32_combine does), which takes
 * about log2(length) products of 32 steps each.
 * Guarantees: pure; crc32Combine(crc32(a), crc32(b), b.length) === crc32(a ++ b) for any a and b
 * (lengths up to 2^53).
 */

/** The CRC-32 polynomial, reflected. */
const POLY = 0xedb88320;

/** a·b modulo POLY, both reflected polynomials. */
function multiply(a: number, b: number): number {
  let product = 0;
  for (let m = 0x80000000; m !== 0; m >>>= 1) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo POLY for k = 0…31 (x^1 is 1 << 30 reflected). */
const POWERS: number[] = [0x40000000];
for (let k = 1; k < 32; k++) POWERS.push(multiply(POWERS[k - 1], POWERS[k - 1]));

/** x^(8·bytes) modulo POLY. */
function shiftFor(bytes: number): number {
  let p = 0x80000000;
  // 8·bytes = bytes·2^3: walk the bits of `bytes` from power 3 on
  for (let n = bytes, k = 3; n > 0; n = Math.floor(n / 2), k++) if (n % 2 === 1) p = multiply(POWERS[k % 32], p);
  return p;
}

export function crc32Combine(first: number, second: number, secondLength: number): number {
  return (multiply(shiftFor(secondLength), first) ^ second) >>> 0;
}
