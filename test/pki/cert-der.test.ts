/**
 * Leaves are encoded directly (pki/cert-der.ts) instead of through @peculiar/x509: for the same fields,
 * key and serial they must be the bytes @peculiar/x509's X509CertificateGenerator.create wrote (the
 * way signLeaf made them before), so kubeseed's certificates do not change. The reference below is
 * that former code. RSA PKCS#1 v1.5 signatures are deterministic, so RSA certificates are compared
 * whole; ECDSA signatures are random, so their TBSCertificate is compared and the signature verified.
 */
import { X509Certificate as NodeX509 } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCa, type SigningCa } from "../../generator/pki/authority.js";
import { CA_BACKDATE_MS, CA_COMMON_NAMES, CA_IDS, keyUsagesFor, type KeyUsageName } from "../../generator/pki/cert-rules.js";
import { crypto, defaultKeyFactory, signatureAlgorithmFor, type GeneratedKey } from "../../generator/pki/keys.js";
import { leafNotAfter, signLeaf } from "../../generator/pki/leaf.js";
import { certDer, pemEncode, PEM_CERTIFICATE } from "../../generator/pki/pem.js";
import * as x509 from "../helpers/x509.js";
import type { CertRequest } from "../../generator/plan/types.js";
import type { KeyAlgorithm } from "../../generator/profile/schema.js";
import { fixedClock } from "../../generator/core/clock.js";
import { LEAF_REQUESTS, NOW, request, seededRandom } from "./support.js";

/** The first element of a DER SEQUENCE (a Certificate's TBSCertificate), as its bytes. */
function firstElement(der: Uint8Array): Uint8Array {
  const headerLength = (at: number) => (der[at + 1] < 0x80 ? 2 : 2 + (der[at + 1] & 0x7f));
  const contentLength = (at: number) => {
    if (der[at + 1] < 0x80) return der[at + 1];
    let n = 0;
    for (let i = 0; i < (der[at + 1] & 0x7f); i++) n = n * 256 + der[at + 2 + i];
    return n;
  };
  const inner = headerLength(0);
  return der.subarray(inner, inner + headerLength(inner) + contentLength(inner));
}

const USAGE_FLAGS: Record<KeyUsageName, x509.KeyUsageFlags> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
};
const keyUsageExtension = (usages: readonly KeyUsageName[]) => new x509.KeyUsagesExtension(usages.reduce((acc, u) => acc | USAGE_FLAGS[u], 0), true);
const toPem = (cert: x509.X509Certificate) => pemEncode(PEM_CERTIFICATE, new Uint8Array(cert.rawData));

const EKU = { serverAuth: x509.ExtendedKeyUsage.serverAuth, clientAuth: x509.ExtendedKeyUsage.clientAuth };

/** signLeaf as it was with @peculiar/x509 (the reference). */
async function referenceLeaf(req: CertRequest, ca: SigningCa, alg: KeyAlgorithm, key: GeneratedKey, serialNumber: string, now: Date, validityHours: number): Promise<string> {
  const extensions: x509.Extension[] = [
    keyUsageExtension(keyUsagesFor(alg, false)),
    new x509.ExtendedKeyUsageExtension(req.extKeyUsages.map((u) => EKU[u]), false),
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.AuthorityKeyIdentifierExtension(ca.keyId, false),
  ];
  const dns = [...new Set(req.dnsNames)];
  const ips = [...new Set(req.ipAddresses)];
  if (dns.length + ips.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension([...dns.map((value) => ({ type: "dns" as const, value })), ...ips.map((value) => ({ type: "ip" as const, value }))], false));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber,
      subject: [...req.organizations.map((o) => ({ O: [o] })), { CN: [req.commonName] }],
      issuer: new x509.X509Certificate(ca.certPem).subjectName,
      notBefore: new Date(ca.notBefore.getTime()),
      notAfter: leafNotAfter(now, validityHours, ca),
      publicKey: key.keyPair.publicKey,
      signingKey: ca.keyPair.privateKey,
      signingAlgorithm: signatureAlgorithmFor(ca.keyPair.privateKey),
      extensions,
    },
    crypto,
  );
  return toPem(cert);
}

const REQUESTS: CertRequest[] = [
  ...LEAF_REQUESTS,
  request("odd/names", { commonName: "user@example_1", organizations: ["team@ops", "a=b+c", "x.y/z", "sp ace"], extKeyUsages: ["clientAuth", "serverAuth"] }),
  request("odd/sans", { commonName: "*.apps.example.com", dnsNames: ["*.apps.example.com", "a", "a"], ipAddresses: ["10.0.0.1", "fe80::1:2", "2001:db8::", "255.255.255.255", "10.0.0.1"] }),
];

const CASES: { alg: KeyAlgorithm; validityHours: number; caValidityHours: number }[] = [
  { alg: "ecdsa-p256", validityHours: 8760, caValidityHours: 87600 },
  { alg: "ecdsa-p384", validityHours: 8760, caValidityHours: 87600 },
  { alg: "rsa-2048", validityHours: 8760, caValidityHours: 87600 },
  // NotAfter past 2049: GeneralizedTime instead of UTCTime
  { alg: "ecdsa-p256", validityHours: 40 * 8760, caValidityHours: 50 * 8760 },
  { alg: "rsa-2048", validityHours: 40 * 8760, caValidityHours: 50 * 8760 },
];

describe.each(CASES)("leaves encoded directly are @peculiar/x509's bytes: $alg, $validityHours h", ({ alg, validityHours, caValidityHours }) => {
  const clock = fixedClock(NOW);
  const cas = new Map<string, Promise<SigningCa>>();
  const caFor = (id: CertRequest["signer"]) => {
    if (!cas.has(id)) cas.set(id, createCa(id, { keyAlgorithm: alg, validityHours: caValidityHours }, { clock, random: seededRandom("ca"), keys: defaultKeyFactory }));
    return cas.get(id)!;
  };
  it.each(REQUESTS.map((r) => [r.id, r] as const))("%s", async (_id, req) => {
    const ca = await caFor(req.signer);
    const key = await defaultKeyFactory.generate(alg);
    // the same key and the same serial for both encoders
    const ours = await signLeaf(req, ca, { keyAlgorithm: alg, validityHours }, { clock, random: seededRandom(req.id), keys: { generate: async () => key } });
    const serial = new NodeX509(ours.cert).serialNumber.toLowerCase();
    const theirs = await referenceLeaf(req, ca, alg, key, serial.length % 2 ? `0${serial}` : serial, clock.now(), validityHours);
    expect(ours.key).toBe(key.privateKeyPem);
    if (alg.startsWith("rsa")) expect(ours.cert).toBe(theirs);
    expect(Buffer.from(firstElement(certDer(ours.cert))).toString("hex")).toBe(Buffer.from(firstElement(certDer(theirs))).toString("hex"));
    const caCert = new NodeX509(ca.certPem);
    expect(new NodeX509(ours.cert).verify(caCert.publicKey)).toBe(true);
    expect(new NodeX509(ours.cert).checkIssued(caCert)).toBe(true);
  });
});

it("the comparison can fail: another serial gives other bytes", async () => {
  const clock = fixedClock(NOW);
  const ca = await createCa("kubernetes", { keyAlgorithm: "rsa-2048", validityHours: 87600 }, { clock, random: seededRandom("ca"), keys: defaultKeyFactory });
  const key = await defaultKeyFactory.generate("rsa-2048");
  const ours = await signLeaf(REQUESTS[0], ca, { keyAlgorithm: "rsa-2048", validityHours: 8760 }, { clock, random: seededRandom("one"), keys: { generate: async () => key } });
  const theirs = await referenceLeaf(REQUESTS[0], ca, "rsa-2048", key, "0123", clock.now(), 8760);
  expect(ours.cert).not.toBe(theirs);
});

/** createCa as it was with @peculiar/x509's createSelfSigned (the reference). */
async function referenceCa(id: (typeof CA_IDS)[number], alg: KeyAlgorithm, key: GeneratedKey, serialNumber: string, now: Date, validityHours: number): Promise<string> {
  const cn = CA_COMMON_NAMES[id];
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber,
      name: [{ CN: [cn] }],
      notBefore: new Date(now.getTime() - CA_BACKDATE_MS),
      notAfter: new Date(now.getTime() + validityHours * 3600 * 1000),
      keys: key.keyPair,
      signingAlgorithm: signatureAlgorithmFor(key.keyPair.privateKey),
      extensions: [
        keyUsageExtension(keyUsagesFor(alg, true)),
        new x509.BasicConstraintsExtension(true, undefined, true),
        await x509.SubjectKeyIdentifierExtension.create(key.keyPair.publicKey, false, crypto),
        new x509.SubjectAlternativeNameExtension([{ type: "dns", value: cn }], false),
      ],
    },
    crypto,
  );
  return toPem(cert);
}

describe.each(CASES)("CAs encoded directly are @peculiar/x509's bytes: $alg, $caValidityHours h", ({ alg, caValidityHours }) => {
  it.each(CA_IDS)("%s", async (id) => {
    const clock = fixedClock(NOW);
    const key = await defaultKeyFactory.generate(alg);
    const ours = await createCa(id, { keyAlgorithm: alg, validityHours: caValidityHours }, { clock, random: seededRandom(id), keys: { generate: async () => key } });
    const serial = new NodeX509(ours.certPem).serialNumber.toLowerCase();
    const theirs = await referenceCa(id, alg, key, serial.length % 2 ? `0${serial}` : serial, clock.now(), caValidityHours);
    if (alg.startsWith("rsa")) expect(ours.certPem).toBe(theirs);
    expect(Buffer.from(firstElement(certDer(ours.certPem))).toString("hex")).toBe(Buffer.from(firstElement(certDer(theirs))).toString("hex"));
    const c = new NodeX509(ours.certPem);
    expect(c.verify(c.publicKey)).toBe(true);
    expect(c.ca).toBe(true);
    // what leaves copy from the CA: read from the DER, as @peculiar/x509 reads them
    const parsed = new x509.X509Certificate(ours.certPem);
    expect(ours.keyId).toBe(parsed.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
    expect(Buffer.from(ours.subjectDer).toString("hex")).toBe(Buffer.from(parsed.subjectName.toArrayBuffer()).toString("hex"));
    expect([ours.notBefore, ours.notAfter]).toEqual([parsed.notBefore, parsed.notAfter]);
  });
});
