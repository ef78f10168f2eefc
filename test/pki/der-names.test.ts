/**
 * Subject and issuer read from the DER (pki/der-names.ts) equal Node's X509Certificate for every
 * certificate of the examples (control planes pre-issued) that fall in its subset (all of kubeseed's own), and names outside the
 * subset (other attributes, characters RFC 2253 printing escapes) are left to the full parse.
 */
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateCluster } from "../../generator/bundle/generate.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import { firstCertDer } from "../../generator/pki/der-read.js";
import { certificateNames } from "../../generator/pki/der-names.js";
import { objectIdentifier as oid, sequence, set, tlv } from "../../generator/pki/der.js";
import { exampleProfile, preIssued, TEST_CLOCK } from "../helpers/generate.js";
import { seededRandom } from "./support.js";

describe("subject and issuer from the DER", () => {
  it.each(["prod", "external-etcd", "prod-airgap"])("equal X509Certificate's for every certificate of the %s example", async (name) => {
    const g = await generateCluster(preIssued(exampleProfile(name)), undefined, { clock: TEST_CLOCK, random: seededRandom("der-names"), keys: defaultKeyFactory });
    const pems = [...Object.values(g.issue.secrets.cas).map((p) => p!.cert), ...Object.values(g.issue.secrets.certs).map((c) => c.cert)];
    expect(pems.length).toBeGreaterThan(20);
    for (const pem of pems) {
      const c = new X509Certificate(pem);
      expect(certificateNames(firstCertDer(pem))).toEqual({ subject: c.subject, issuer: c.issuer });
    }
  });

  it("leaves other names to the full parse", () => {
    const name = (...rdns: Uint8Array[]) => sequence(...rdns);
    const rdn = (o: string, v: string, tag = 0x0c) => set(sequence(oid(o), tlv(tag, Buffer.from(v, "latin1"))));
    const cert = (subject: Uint8Array) =>
      sequence(sequence(tlv(0xa0, tlv(0x02, Uint8Array.of(2))), tlv(0x02, Uint8Array.of(1)), sequence(), name(rdn("2.5.4.3", "ca")), sequence(), subject));
    expect(certificateNames(cert(name(rdn("2.5.4.10", "system:masters"), rdn("2.5.4.3", "kubernetes-admin"))))).toEqual({ subject: "O=system:masters\nCN=kubernetes-admin", issuer: "CN=ca" });
    for (const odd of [name(rdn("2.5.4.3", "a,b")), name(rdn("2.5.4.3", " a")), name(rdn("2.5.4.3", "#a")), name(rdn("2.5.4.3", "é")), name(rdn("2.5.4.11", "ou")), name(rdn("2.5.4.3", "a", 0x1e)), name()]) {
      expect(certificateNames(cert(odd))).toBeUndefined();
    }
  });
});
