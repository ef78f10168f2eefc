/**
 * The default key factory's two ways of making a key give the same formats: pems() (node:crypto's
 * generateKeyPair, encoded on libuv's pool: leaves and the service account) writes the PEMs generate()
 * (WebCrypto, exported on the calling thread: CAs) writes — SEC 1 or PKCS#1 private keys, SPKI public
 * keys, as kubeadm writes them — of the profile's algorithm, and the two PEMs are one key.
 */
import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defaultKeyFactory, parsePrivateKeyPem } from "../../generator/pki/keys.js";
import type { KeyAlgorithm } from "../../generator/profile/schema.js";

const CASES: { alg: KeyAlgorithm; label: string }[] = [
  { alg: "ecdsa-p256", label: "EC PRIVATE KEY" },
  { alg: "ecdsa-p384", label: "EC PRIVATE KEY" },
  { alg: "rsa-2048", label: "RSA PRIVATE KEY" },
];

describe.each(CASES)("$alg", ({ alg, label }) => {
  it("pems() writes what generate() writes, one key of the algorithm", async () => {
    const [made, exported] = await Promise.all([defaultKeyFactory.pems!(alg), defaultKeyFactory.generate(alg)]);
    for (const k of [made, exported]) {
      expect(k.privateKeyPem).toMatch(new RegExp(`^-----BEGIN ${label}-----\\n[A-Za-z0-9+/=\\n]+-----END ${label}-----\\n$`));
      expect(k.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
      const { key, algorithm } = parsePrivateKeyPem(k.privateKeyPem);
      expect(algorithm).toBe(alg);
      // the public PEM is the private key's, and both re-export to the very same text
      expect(createPublicKey(key).export({ type: "spki", format: "pem" })).toBe(k.publicKeyPem);
      expect(key.export({ type: alg.startsWith("rsa") ? "pkcs1" : "sec1", format: "pem" })).toBe(k.privateKeyPem);
    }
    expect(made.privateKeyPem).not.toBe(exported.privateKeyPem);
  });
});
