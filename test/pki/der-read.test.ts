/**
 * notAfter read from the DER (pki/der-read.ts) equals Node's X509Certificate for every certificate of a
 * generated cluster (UTCTime), for a certificate valid past 2050 (GeneralizedTime), and refuses what is
 * not a certificate; what a CA passes on to its leaves (caFacts) equals what @peculiar/x509 reads, for a
 * CA with a SubjectKeyIdentifier and for one made elsewhere without.
 */
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateCluster } from "../../generator/bundle/generate.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import { caFacts, certificateNotAfter, pemNotAfter } from "../../generator/pki/der-read.js";
import { crypto } from "../../generator/pki/keys.js";
import * as x509 from "../helpers/x509.js";
import { tlv, sequence } from "../../generator/pki/der.js";
import { exampleProfile, preIssued, TEST_CLOCK } from "../helpers/generate.js";
import { seededRandom } from "./support.js";

describe("notAfter from the DER", () => {
  it("equals X509Certificate's validTo for every certificate of the prod example (its control planes pre-issued)", async () => {
    const g = await generateCluster(preIssued(exampleProfile("prod")), undefined, { clock: TEST_CLOCK, random: seededRandom("der-read"), keys: defaultKeyFactory });
    const pems = [...Object.values(g.issue.secrets.cas).map((p) => p!.cert), ...Object.values(g.issue.secrets.certs).map((c) => c.cert)];
    expect(pems.length).toBeGreaterThan(20);
    for (const pem of pems) expect(pemNotAfter(pem).getTime()).toBe(new Date(new X509Certificate(pem).validTo).getTime());
  });

  it("reads UTCTime (years 1950–2049) and GeneralizedTime (2050 on)", () => {
    const time = (tag: number, text: string) => tlv(tag, Buffer.from(text, "latin1"));
    const cert = (notAfter: Uint8Array) =>
      sequence(sequence(tlv(0xa0, tlv(0x02, Uint8Array.of(2))), tlv(0x02, Uint8Array.of(1)), sequence(), sequence(), sequence(time(0x17, "260101000000Z"), notAfter)));
    expect(certificateNotAfter(cert(time(0x17, "491231235959Z"))).toISOString()).toBe("2049-12-31T23:59:59.000Z");
    expect(certificateNotAfter(cert(time(0x17, "500101000000Z"))).toISOString()).toBe("1950-01-01T00:00:00.000Z");
    expect(certificateNotAfter(cert(time(0x18, "20510615120000Z"))).toISOString()).toBe("2051-06-15T12:00:00.000Z");
  });

  it("refuses what is not a certificate", () => {
    expect(() => certificateNotAfter(Uint8Array.of(0x30, 0x05, 0x01))).toThrow(/internal/);
    expect(() => pemNotAfter("no pem")).toThrow(/no CERTIFICATE/);
  });
});

describe("what a CA passes on to its leaves, from the DER", () => {
  const make = async (ski: boolean) => {
    const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)];
    if (ski) extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto));
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      { serialNumber: "0a1b", name: [{ O: ["Example, Inc."] }, { CN: ["Some CA"] }], notBefore: new Date("2026-01-01T00:00:00Z"), notAfter: new Date("2051-01-01T00:00:00Z"), keys, signingAlgorithm: { name: "ECDSA", hash: "SHA-256" }, extensions },
      crypto,
    );
    return { cert, keys };
  };
  it.each([true, false])("with a SubjectKeyIdentifier: %s", async (ski) => {
    const { cert, keys } = await make(ski);
    const facts = caFacts(new Uint8Array(cert.rawData));
    const expected = ski ? cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId : Buffer.from(await cert.publicKey.getKeyIdentifier(crypto)).toString("hex");
    expect(cert.getExtension(x509.SubjectKeyIdentifierExtension) !== null).toBe(ski);
    expect(facts.keyId).toBe(expected);
    expect(facts.keyId).toBe(Buffer.from(await (await x509.PublicKey.create(keys.publicKey, crypto)).getKeyIdentifier(crypto)).toString("hex"));
    expect(Buffer.from(facts.subjectDer).toString("hex")).toBe(Buffer.from(cert.subjectName.toArrayBuffer()).toString("hex"));
    expect([facts.notBefore.toISOString(), facts.notAfter.toISOString()]).toEqual(["2026-01-01T00:00:00.000Z", "2051-01-01T00:00:00.000Z"]);
  });
});
