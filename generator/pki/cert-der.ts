/**
 * A leaf certificate as DER, encoded directly (der.ts) and signed with node:crypto on libuv's thread
 * pool: what leaf.ts issues. The fields and their order are those @peculiar/x509's
 * X509CertificateGenerator.create writes for the same input (test/pki/cert-der.test.ts compares the
 * bytes, whole RSA certificates included, whose signatures are deterministic), so the certificates
 * are the ones kubeseed has always made — only without serializing, parsing and re-serializing each.
 * TBSCertificate: v3, serial, signature algorithm, issuer (the CA's subject as @peculiar/x509 encodes
 * it), validity, subject (one O RDN per organization, then CN; PrintableString when the value allows
 * it, else UTF8String, as @peculiar/x509 chooses), the key's SubjectPublicKeyInfo, extensions in this
 * order: KeyUsage (critical), ExtendedKeyUsage, BasicConstraints CA:FALSE (critical),
 * AuthorityKeyIdentifier, SubjectAlternativeName (DNS then IP, only when there are any).
 * Guarantees: pure apart from signing; a value @peculiar/x509 would have rewritten (quotes,
 * backslashes, a leading '#': profile validation never lets them through) is an internal error.
 */
import { sign, type KeyObject } from "node:crypto";
import { parseIPv4 } from "../core/ipv4.js";
import type { ExtKeyUsage } from "../plan/types.js";
import type { KeyUsageName } from "./cert-rules.js";
import * as der from "./der.js";
import { spkiKeyId } from "./der-read.js";

/** RFC 5280 §4.2.1.3 bit numbers. */
const KEY_USAGE_BIT: Record<KeyUsageName, number> = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5 };
const EKU_OID: Record<ExtKeyUsage, string> = { serverAuth: "1.3.6.1.5.5.7.3.1", clientAuth: "1.3.6.1.5.5.7.3.2" };
const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  extKeyUsage: "2.5.29.37",
  authorityKeyId: "2.5.29.35",
  subjectKeyId: "2.5.29.14",
};

/** The signature algorithms kubeseed's CAs sign with (keys.ts signatureAlgorithmFor picks one), by WebCrypto name and hash. */
const SIGNATURES: Record<string, { oid: string; nullParams: boolean; digest: string }> = {
  "ECDSA/SHA-256": { oid: "1.2.840.10045.4.3.2", nullParams: false, digest: "sha256" },
  "ECDSA/SHA-384": { oid: "1.2.840.10045.4.3.3", nullParams: false, digest: "sha384" },
  "RSASSA-PKCS1-v1_5/SHA-256": { oid: "1.2.840.113549.1.1.11", nullParams: true, digest: "sha256" },
};

export interface SignatureChoice {
  name: string;
  hash: string;
}

export interface LeafFields {
  /** big-endian hex (cert-rules.ts randomSerial) */
  serialHex: string;
  /** the issuing CA's subject Name, DER */
  issuerDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  organizations: readonly string[];
  commonName: string;
  /** the leaf key's SubjectPublicKeyInfo, DER */
  spkiDer: Uint8Array;
  keyUsages: readonly KeyUsageName[];
  extKeyUsages: readonly ExtKeyUsage[];
  /** hex: the CA's SubjectKeyIdentifier */
  authorityKeyId: string;
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
}

function signatureOf(choice: SignatureChoice) {
  const s = SIGNATURES[`${choice.name}/${choice.hash}`];
  if (!s) throw new Error(`internal: no certificate signature algorithm for ${choice.name} with ${choice.hash}`);
  return s;
}

function algorithmIdentifier(choice: SignatureChoice): Uint8Array {
  const s = signatureOf(choice);
  return s.nullParams ? der.sequence(der.objectIdentifier(s.oid), der.NULL) : der.sequence(der.objectIdentifier(s.oid));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,-./:=?]*$/;

function attributeValue(value: string): Uint8Array {
  if (/["\\]/.test(value) || value.startsWith("#")) throw new Error(`internal: certificate name value ${JSON.stringify(value)} needs escaping`);
  return PRINTABLE.test(value) ? der.printableString(value) : der.utf8String(value);
}

const rdn = (oid: string, value: string) => der.set(der.sequence(der.objectIdentifier(oid), attributeValue(value)));

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? der.sequence(der.objectIdentifier(oid), der.boolean(true), der.octetString(value)) : der.sequence(der.objectIdentifier(oid), der.octetString(value));
}

/** The 16 octets of an IPv6 address in hex groups, `::` allowed once (kubeadm's etcd SAN ::1). */
function ipv6Octets(ip: string): Uint8Array | undefined {
  const halves = ip.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const [left, right] = [groups(halves[0]), halves.length === 2 ? groups(halves[1]) : []];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...left, ...Array<string>(missing).fill("0"), ...right];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return Uint8Array.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** iPAddress octets: 4 for IPv4, 16 for IPv6. */
function ipOctets(ip: string): Uint8Array {
  const n = parseIPv4(ip);
  const octets = n === undefined ? ipv6Octets(ip) : Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  if (!octets) throw new Error(`internal: ${ip} is not an IP address`);
  return octets;
}

const keyUsage = (usages: readonly KeyUsageName[]) => extension(OID.keyUsage, true, der.namedBits(usages.reduce((acc, u) => acc | (2 ** KEY_USAGE_BIT[u]), 0)));

/** TBSCertificate v3 from its parts (names and the key's SubjectPublicKeyInfo as DER). */
function tbsCertificate(serialHex: string, signature: SignatureChoice, issuerDer: Uint8Array, notBefore: Date, notAfter: Date, subjectDer: Uint8Array, spkiDer: Uint8Array, extensions: Uint8Array[]): Uint8Array {
  return der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(serialHex),
    algorithmIdentifier(signature),
    issuerDer,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    subjectDer,
    spkiDer,
    der.explicit(3, der.sequence(...extensions)),
  );
}

export interface CaFields {
  /** big-endian hex (cert-rules.ts randomSerial) */
  serialHex: string;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  /** the CA key's SubjectPublicKeyInfo, DER */
  spkiDer: Uint8Array;
  keyUsages: readonly KeyUsageName[];
}

/**
 * The DER TBSCertificate of a self-signed CA, as @peculiar/x509's createSelfSigned wrote it for
 * authority.ts before (test/pki/cert-der.test.ts compares): subject = issuer = CN only; extensions
 * KeyUsage (critical), BasicConstraints CA:TRUE without a path length (critical),
 * SubjectKeyIdentifier (SHA-1 of the public key's bits, RFC 5280 §4.2.1.2 method 1, as Go computes
 * it), SubjectAlternativeName DNS:CN.
 */
export function caTbs(f: CaFields, signature: SignatureChoice): Uint8Array {
  const name = der.sequence(rdn(OID.commonName, f.commonName));
  const extensions = [
    keyUsage(f.keyUsages),
    extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
    extension(OID.subjectKeyId, false, der.octetString(Buffer.from(spkiKeyId(f.spkiDer), "hex"))),
    extension(OID.subjectAltName, false, der.sequence(der.implicit(2, Buffer.from(f.commonName, "latin1")))),
  ];
  return tbsCertificate(f.serialHex, signature, name, f.notBefore, f.notAfter, name, f.spkiDer, extensions);
}

/** The DER TBSCertificate of a leaf (see the header). */
export function leafTbs(f: LeafFields, signature: SignatureChoice): Uint8Array {
  const extensions = [
    keyUsage(f.keyUsages),
    extension(OID.extKeyUsage, false, der.sequence(...f.extKeyUsages.map((u) => der.objectIdentifier(EKU_OID[u])))),
    extension(OID.basicConstraints, true, der.sequence()),
    extension(OID.authorityKeyId, false, der.sequence(der.implicit(0, Buffer.from(f.authorityKeyId, "hex")))),
  ];
  if (f.dnsNames.length + f.ipAddresses.length > 0) {
    const names = [...f.dnsNames.map((d) => der.implicit(2, Buffer.from(d, "latin1"))), ...f.ipAddresses.map((ip) => der.implicit(7, ipOctets(ip)))];
    extensions.push(extension(OID.subjectAltName, false, der.sequence(...names)));
  }
  const subject = der.sequence(...f.organizations.map((o) => rdn(OID.organization, o)), rdn(OID.commonName, f.commonName));
  return tbsCertificate(f.serialHex, signature, f.issuerDer, f.notBefore, f.notAfter, subject, f.spkiDer, extensions);
}

/** Signs `tbs` with the CA's key (thread pool) and returns the DER Certificate. ECDSA signatures are DER Ecdsa-Sig-Value. */
export async function signCertificate(tbs: Uint8Array, signature: SignatureChoice, caKey: KeyObject): Promise<Uint8Array> {
  const s = signatureOf(signature);
  const value = await new Promise<Buffer>((resolve, reject) => sign(s.digest, tbs, { key: caKey, dsaEncoding: "der" }, (e, sig) => (e ? reject(e) : resolve(sig))));
  return der.sequence(tbs, algorithmIdentifier(signature), der.bitString(value));
}
