/** Small kubeadm rules and secrets generators: serial range, key usages, bootstrap token, encryption key, PEM helpers. */
import { describe, expect, it } from "vitest";
import type { RandomSource } from "../../generator/core/clock.js";
import { keyUsagesFor, randomSerial } from "../../generator/pki/cert-rules.js";
import { pemDecodeAll, pemDecodeOne, pemEncode } from "../../generator/pki/pem.js";
import { bootstrapTokenId, generateBootstrapToken, generateEncryptionKey, isBootstrapToken, isEncryptionKey } from "../../generator/pki/token.js";
import { seededRandom } from "./support.js";

/** A RandomSource that replays the given byte blocks, one block per call. */
function replay(...blocks: number[][]): RandomSource {
  const queue = blocks.map((b) => new Uint8Array(b));
  return { bytes: (n) => queue.shift()!.slice(0, n) };
}

describe("randomSerial: uniform in [1, 2^63-1), minimal positive hex", () => {
  it.each([
    ["all zero bytes → 1", [[0, 0, 0, 0, 0, 0, 0, 0]], "01"],
    ["top bit is masked off", [[0x80, 0, 0, 0, 0, 0, 0, 0]], "01"],
    ["largest accepted value → 2^63-2", [[0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd]], "7ffffffffffffffe"],
    ["2^63-2 and 2^63-1 are rejected and redrawn", [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0, 0, 0, 0, 0, 0, 0, 0x7f]], "0080"],
  ])("%s", (_, blocks, hex) => {
    expect(randomSerial(replay(...blocks))).toBe(hex);
  });

  it("stays in range over many seeded draws", () => {
    const r = seededRandom("serials");
    for (let i = 0; i < 2000; i++) {
      const n = BigInt(`0x${randomSerial(r)}`);
      expect(n >= 1n && n < (1n << 63n) - 1n).toBe(true);
    }
  });
});

describe("keyUsagesFor (released kubeadm: keyEncipherment on every key type)", () => {
  it.each([
    ["ecdsa-p256", false, ["digitalSignature", "keyEncipherment"]],
    ["ecdsa-p384", true, ["digitalSignature", "keyEncipherment", "keyCertSign"]],
    ["rsa-2048", false, ["digitalSignature", "keyEncipherment"]],
    ["rsa-4096", true, ["digitalSignature", "keyEncipherment", "keyCertSign"]],
  ] as const)("%s CA=%s", (alg, ca, want) => {
    expect(keyUsagesFor(alg, ca)).toEqual(want);
  });
});

describe("bootstrap token and encryption key", () => {
  it("tokens match [a-z0-9]{6}.[a-z0-9]{16} and use the whole alphabet", () => {
    const r = seededRandom("tokens");
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const t = generateBootstrapToken(r);
      expect(isBootstrapToken(t)).toBe(true);
      for (const ch of t.replace(".", "")) seen.add(ch);
    }
    expect(seen.size).toBe(36);
    expect(bootstrapTokenId("abcdef.0123456789abcdef")).toBe("abcdef");
  });

  it.each(["ABCDEF.0123456789abcdef", "abcde.0123456789abcdef", "abcdef0123456789abcdef", "abcdef.0123456789abcde_", ""])("rejects %j", (t) => {
    expect(isBootstrapToken(t)).toBe(false);
  });

  it("the token draw is uniform: bytes ≥ 252 are rejected, not folded", () => {
    // first draw of 6 bytes: 255 and 252 rejected → "abcd"; the 2 missing characters are drawn again
    const r = replay([255, 252, 0, 1, 2, 3], [6, 7], Array.from({ length: 16 }, (_, i) => i));
    expect(generateBootstrapToken(r)).toBe("abcdgh.abcdefghijklmnop");
  });

  it("encryption keys are base64 of 32 bytes", () => {
    const k = generateEncryptionKey(seededRandom("enc"));
    expect(isEncryptionKey(k)).toBe(true);
    expect(Buffer.from(k, "base64")).toHaveLength(32);
    expect(isEncryptionKey(Buffer.alloc(16).toString("base64"))).toBe(false);
    expect(isEncryptionKey("not base64!")).toBe(false);
  });
});

describe("PEM helpers", () => {
  it("encode wraps at 64 columns and decodes back", () => {
    const der = new Uint8Array(Array.from({ length: 100 }, (_, i) => i));
    const pem = pemEncode("CERTIFICATE", der);
    expect(pem.split("\n").map((l) => l.length)).toEqual([27, 64, 64, 8, 25, 0]);
    expect(pemDecodeOne(pem, ["CERTIFICATE"]).der).toEqual(der);
    expect(pemDecodeAll(pem + pem)).toHaveLength(2);
    expect(() => pemDecodeOne(pem, ["PUBLIC KEY"])).toThrow(/PUBLIC KEY/);
    expect(() => pemDecodeOne(pem + pem, ["CERTIFICATE"])).toThrow(/found 2/);
  });
});
