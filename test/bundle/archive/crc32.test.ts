/**
 * crc32Combine against zlib's own CRC-32 of the joined bytes: random lengths on both sides (an empty
 * one included), long second parts (every bit of the length walked), and a chain of many parts as
 * io/archive.ts builds a tar.gz's trailer.
 */
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32Combine } from "../../../generator/bundle/archive/crc32.js";

/** Deterministic bytes (a linear congruential generator). */
function bytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe("crc32Combine", () => {
  it("gives zlib's CRC-32 of two byte strings joined, from theirs and the second's length", () => {
    const lengths = [0, 1, 2, 3, 7, 8, 511, 512, 4096, 32768, 65535, 65536, 100003, 1 << 20];
    for (const [i, a] of lengths.entries()) {
      for (const [j, b] of lengths.entries()) {
        const first = bytes(i * 31 + j, a);
        const second = bytes(j * 17 + i + 1, b);
        expect(crc32Combine(crc32(first), crc32(second), b), `${a} + ${b}`).toBe(crc32(Buffer.concat([first, second])));
      }
    }
  });

  it("chains over many parts as a tar.gz grows", () => {
    const parts = Array.from({ length: 50 }, (_, i) => bytes(i, (i * 7919) % 20000));
    let crc = 0;
    for (const p of parts) crc = crc32Combine(crc, crc32(p), p.length);
    expect(crc).toBe(crc32(Buffer.concat(parts)));
  });
});
