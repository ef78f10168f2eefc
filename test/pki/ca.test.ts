/** CA properties (kubeadm rules, see generator/pki/cert-rules.ts) for every supported key family. */
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../generator/core/clock.js";
import { createCa } from "../../generator/pki/authority.js";
import { CA_IDS } from "../../generator/pki/cert-rules.js";
import { parsePrivateKeyPem } from "../../generator/pki/keys.js";
import * as x509 from "../helpers/x509.js";
import type { KeyAlgorithm } from "../../generator/profile/schema.js";
import { deps, HOUR, keyUsageNames, nodeCert, NOW, parsed, rdns, sans } from "./support.js";

const CASES: { alg: KeyAlgorithm; sigOid: string; keyLabel: string }[] = [
  { alg: "ecdsa-p256", sigOid: "1.2.840.10045.4.3.2", keyLabel: "EC PRIVATE KEY" },
  { alg: "ecdsa-p384", sigOid: "1.2.840.10045.4.3.3", keyLabel: "EC PRIVATE KEY" },
  { alg: "rsa-2048", sigOid: "1.2.840.113549.1.1.11", keyLabel: "RSA PRIVATE KEY" },
];
const CN = { kubernetes: "kubernetes", etcd: "etcd-ca", "front-proxy": "front-proxy-ca" } as const;

describe.each(CASES)("CA with $alg", ({ alg, sigOid, keyLabel }) => {
  it.each(CA_IDS)("%s CA has kubeadm's subject, validity, extensions and key format", async (id) => {
    const ca = await createCa(id, { keyAlgorithm: alg, validityHours: 87600 }, deps());
    const c = parsed(ca.certPem);
    expect(rdns(c.subjectName)).toEqual([["CN", CN[id]]]);
    expect(c.issuer).toBe(c.subject);
    expect(await c.verify({ publicKey: c.publicKey, signatureOnly: true })).toBe(true);
    expect(nodeCert(ca.certPem).checkIssued(nodeCert(ca.certPem))).toBe(true);
    expect(nodeCert(ca.certPem).ca).toBe(true);

    const now = Date.parse(NOW);
    expect(c.notBefore.getTime()).toBe(now - 5 * 60 * 1000);
    expect(c.notAfter.getTime()).toBe(now + 87600 * HOUR);

    const bc = c.getExtension(x509.BasicConstraintsExtension)!;
    expect(bc.ca).toBe(true);
    expect(bc.critical).toBe(true);
    expect(keyUsageNames(c)).toEqual({ names: ["digitalSignature", "keyCertSign", "keyEncipherment"], critical: true });
    const ski = c.getExtension(x509.SubjectKeyIdentifierExtension)!;
    expect(ski.keyId).toMatch(/^[0-9a-f]{40}$/);
    expect(sans(c)).toEqual([{ type: "dns", value: CN[id] }]);

    const serial = BigInt(`0x${c.serialNumber}`);
    expect(serial >= 1n && serial < (1n << 63n) - 1n).toBe(true);
    // the signature algorithm follows the CA key (ecdsa-with-SHA256/384, sha256WithRSAEncryption)
    expect(Buffer.from(c.rawData).includes(Buffer.from(oidDer(sigOid)))).toBe(true);

    expect(ca.keyPem.startsWith(`-----BEGIN ${keyLabel}-----\n`)).toBe(true);
    expect(parsePrivateKeyPem(ca.keyPem).algorithm).toBe(alg);
    expect(nodeCert(ca.certPem).checkPrivateKey(parsePrivateKeyPem(ca.keyPem).key)).toBe(true);
  });
});

it("CA times are whole seconds even when the clock has milliseconds", async () => {
  const ca = await createCa("kubernetes", { keyAlgorithm: "ecdsa-p256", validityHours: 24 }, deps(fixedClock("2025-03-01T12:00:00.987Z")));
  expect(ca.notBefore.toISOString()).toBe("2025-03-01T11:55:00.000Z");
  expect(ca.notAfter.toISOString()).toBe("2025-03-02T12:00:00.000Z");
});

/** DER of an OBJECT IDENTIFIER (enough for the signature OIDs above). */
function oidDer(oid: string): number[] {
  const parts = oid.split(".").map(Number);
  const body = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const bytes = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
    body.push(...bytes);
  }
  return [0x06, body.length, ...body];
}
