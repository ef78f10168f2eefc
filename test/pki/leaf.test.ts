/**
 * Leaf certificates issued from hand-made CertRequests, for ECDSA P-256, P-384 and RSA-2048: parse
 * them and assert subject, issuer chain, usages, EKU, SANs, validity and the key format.
 */
import { createPublicKey } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../generator/core/clock.js";
import { issueCerts, type IssueResult } from "../../generator/pki/issue.js";
import { parsePrivateKeyPem } from "../../generator/pki/keys.js";
import * as x509 from "../helpers/x509.js";
import type { KeyAlgorithm } from "../../generator/profile/schema.js";
import { deps, HOUR, keyUsageNames, LEAF_REQUESTS, nodeCert, NOW, options, parsed, rdns, request, sans } from "./support.js";

const ALGS: { alg: KeyAlgorithm; keyLabel: string; usages: string[] }[] = [
  { alg: "ecdsa-p256", keyLabel: "EC PRIVATE KEY", usages: ["digitalSignature", "keyEncipherment"] },
  { alg: "ecdsa-p384", keyLabel: "EC PRIVATE KEY", usages: ["digitalSignature", "keyEncipherment"] },
  { alg: "rsa-2048", keyLabel: "RSA PRIVATE KEY", usages: ["digitalSignature", "keyEncipherment"] },
];
const EKU = { serverAuth: "1.3.6.1.5.5.7.3.1", clientAuth: "1.3.6.1.5.5.7.3.2" };

describe.each(ALGS)("leaves with $alg", ({ alg, keyLabel, usages }) => {
  let r: IssueResult;
  beforeAll(async () => {
    r = await issueCerts(LEAF_REQUESTS, options(alg), undefined, deps());
  });

  it.each(LEAF_REQUESTS.map((q) => [q.id, q] as const))("%s", async (id, req) => {
    const stored = r.secrets.certs[id];
    const caPem = r.secrets.cas[req.signer]!.cert;
    const c = parsed(stored.cert);
    const ca = parsed(caPem);

    // subject: one O RDN per organization in order, then CN; issuer: the signer CA's subject
    expect(rdns(c.subjectName)).toEqual([...req.organizations.map((o) => ["O", o]), ["CN", req.commonName]]);
    expect(c.issuer).toBe(ca.subject);

    // chain: signed by the CA key, and node/OpenSSL agree it was issued by the CA
    expect(await c.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
    expect(nodeCert(stored.cert).verify(nodeCert(caPem).publicKey)).toBe(true);
    expect(nodeCert(stored.cert).checkIssued(nodeCert(caPem))).toBe(true);
    // ...and by no other CA
    const other = req.signer === "kubernetes" ? "etcd" : "kubernetes";
    expect(nodeCert(stored.cert).verify(nodeCert(r.secrets.cas[other].cert).publicKey)).toBe(false);

    expect(keyUsageNames(c)).toEqual({ names: usages, critical: true });
    const eku = c.getExtension(x509.ExtendedKeyUsageExtension)!;
    expect(eku.usages).toEqual(req.extKeyUsages.map((u) => EKU[u]));
    const bc = c.getExtension(x509.BasicConstraintsExtension)!;
    expect([bc.ca, bc.critical]).toEqual([false, true]);
    const aki = c.getExtension(x509.AuthorityKeyIdentifierExtension)!;
    expect(aki.keyId).toBe(ca.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
    expect(c.getExtension(x509.SubjectKeyIdentifierExtension)).toBeNull();

    const want = [...req.dnsNames.map((value) => ({ type: "dns", value })), ...req.ipAddresses.map((value) => ({ type: "ip", value }))];
    if (want.length === 0) expect(sans(c)).toBeUndefined();
    else expect(sans(c)).toEqual(want);

    expect(c.notBefore.getTime()).toBe(ca.notBefore.getTime());
    expect(c.notAfter.getTime()).toBe(Date.parse(NOW) + 8760 * HOUR);
    const serial = BigInt(`0x${c.serialNumber}`);
    expect(serial >= 1n && serial < (1n << 63n) - 1n).toBe(true);

    expect(stored.key.startsWith(`-----BEGIN ${keyLabel}-----\n`)).toBe(true);
    const key = parsePrivateKeyPem(stored.key);
    expect(key.algorithm).toBe(alg);
    expect(nodeCert(stored.cert).checkPrivateKey(key.key)).toBe(true);
    expect(createPublicKey(key.key).export({ type: "spki", format: "pem" })).not.toBe(r.secrets.serviceAccount.pub);
  });

  it("service-account key pair: private key in kubeadm's format, public key as SPKI, one pair", () => {
    expect(r.secrets.serviceAccount.key.startsWith(`-----BEGIN ${keyLabel}-----\n`)).toBe(true);
    expect(r.secrets.serviceAccount.pub.startsWith("-----BEGIN PUBLIC KEY-----\n")).toBe(true);
    const derived = createPublicKey(parsePrivateKeyPem(r.secrets.serviceAccount.key).key).export({ type: "spki", format: "pem" });
    expect(derived).toBe(r.secrets.serviceAccount.pub);
  });
});

it("clamps a leaf's NotAfter to its CA's NotAfter", async () => {
  const r = await issueCerts([request("x/client")], options("ecdsa-p256", { caValidityHours: 100, certValidityHours: 8760 }), undefined, deps());
  const c = parsed(r.secrets.certs["x/client"].cert);
  const ca = parsed(r.secrets.cas.kubernetes.cert);
  expect(c.notAfter.getTime()).toBe(ca.notAfter.getTime());
  expect(c.notAfter.getTime()).toBe(Date.parse(NOW) + 100 * HOUR);
});

it("duplicate SANs are written once, in the plan's order", async () => {
  const req = request("x/server", { extKeyUsages: ["serverAuth"], dnsNames: ["b", "a", "b"], ipAddresses: ["10.0.0.2", "10.0.0.1", "10.0.0.2"] });
  const r = await issueCerts([req], options(), undefined, deps(fixedClock(NOW)));
  expect(sans(parsed(r.secrets.certs["x/server"].cert))).toEqual([
    { type: "dns", value: "b" },
    { type: "dns", value: "a" },
    { type: "ip", value: "10.0.0.2" },
    { type: "ip", value: "10.0.0.1" },
  ]);
});
