/**
 * The facts read straight from a certificate's DER without a full parse: its notBefore and notAfter (RFC 5280
 * §4.1.2.5: UTCTime YYMMDDHHMMSSZ with years 1950–2049, GeneralizedTime YYYYMMDDHHMMSSZ from 2050), and
 * what a CA passes on to the leaves it signs (subject, key identifier).
 * `gen` checks every certificate of the secrets file for expiry on each run; reading the validity from
 * the DER costs microseconds where building an X509Certificate per certificate cost 0.4 s at 1,036
 * certificates. test/pki/der-read.test.ts compares it with Node's X509Certificate and @peculiar/x509.
 * Guarantees: pure; throws on DER that is not a certificate's shape (the secrets file was verified on
 * load, so that is an internal error).
 */
import { createHash } from "node:crypto";

export interface Tlv {
  tag: number;
  /** where the tag is */
  at: number;
  /** where the contents start */
  start: number;
  end: number;
}

export function readTlv(der: Uint8Array, at: number): Tlv {
  if (at + 2 > der.length) throw new Error("internal: truncated DER");
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[start + i];
    start += octets;
  }
  if (start + length > der.length) throw new Error("internal: DER length beyond its data");
  return { tag, at, start, end: start + length };
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

function timeOf(der: Uint8Array, t: Tlv): Date {
  const text = Buffer.from(der.subarray(t.start, t.end)).toString("latin1");
  const m = t.tag === UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : t.tag === GENERALIZED_TIME ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (!m) throw new Error(`internal: not an RFC 5280 time: ${text}`);
  const year = t.tag === UTC_TIME ? (Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]) : Number(m[1]);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** The issuer and validity fields of a DER certificate's TBSCertificate (the subject follows the validity). */
export function tbsFields(der: Uint8Array): { issuer: Tlv; validity: Tlv } {
  const tbs = readTlv(der, readTlv(der, 0).start);
  let field = readTlv(der, tbs.start);
  if (field.tag === 0xa0) field = readTlv(der, field.end); // [0] version; then serialNumber
  const signature = readTlv(der, field.end);
  const issuer = readTlv(der, signature.end);
  const validity = readTlv(der, issuer.end);
  return { issuer, validity };
}

/** The subject, SubjectPublicKeyInfo and (when present) the extensions' SEQUENCE of a DER certificate. */
function subjectFields(der: Uint8Array): { subject: Tlv; spki: Tlv; extensions?: Tlv } {
  const tbsEnd = readTlv(der, readTlv(der, 0).start).end;
  const subject = readTlv(der, tbsFields(der).validity.end);
  const spki = readTlv(der, subject.end);
  // optional issuerUniqueID [1] and subjectUniqueID [2] come before the extensions [3]
  for (let at = spki.end; at < tbsEnd; ) {
    const f = readTlv(der, at);
    if (f.tag === 0xa3) return { subject, spki, extensions: readTlv(der, f.start) };
    at = f.end;
  }
  return { subject, spki };
}

const bytes = (der: Uint8Array, t: Tlv) => der.subarray(t.start, t.end);
const whole = (der: Uint8Array, t: Tlv) => der.subarray(t.at, t.end);

/** SHA-1 (hex) of the public key's bits in a SubjectPublicKeyInfo (RFC 5280 §4.2.1.2 method 1, as Go and @peculiar/x509 compute a key identifier). */
export function spkiKeyId(spkiDer: Uint8Array): string {
  const spki = readTlv(spkiDer, 0);
  const bits = readTlv(spkiDer, readTlv(spkiDer, spki.start).end);
  return createHash("sha1").update(spkiDer.subarray(bits.start + 1, bits.end)).digest("hex");
}

/** The extension value (the OCTET STRING's contents) with the given DER-encoded OID, if the certificate has it. */
function extensionValue(der: Uint8Array, extensions: Tlv, oidDer: Uint8Array): Uint8Array | undefined {
  for (let at = extensions.start; at < extensions.end; ) {
    const ext = readTlv(der, at);
    const oid = readTlv(der, ext.start);
    if (Buffer.compare(whole(der, oid), oidDer) === 0) {
      let value = readTlv(der, oid.end);
      if (value.tag === 0x01) value = readTlv(der, value.end); // critical
      return bytes(der, value);
    }
    at = ext.end;
  }
  return undefined;
}

/** DER of OBJECT IDENTIFIER 2.5.29.14 (subjectKeyIdentifier). */
const SKI_OID = Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x0e);

/** What a CA passes on to the leaves it signs: its subject Name (DER, as written), its key identifier (hex: its SubjectKeyIdentifier, else derived from its key as Go does), its validity. */
export function caFacts(der: Uint8Array): { subjectDer: Uint8Array; keyId: string; notBefore: Date; notAfter: Date } {
  const f = subjectFields(der);
  const ski = f.extensions && extensionValue(der, f.extensions, SKI_OID);
  const keyId = ski ? Buffer.from(bytes(ski, readTlv(ski, 0))).toString("hex") : spkiKeyId(whole(der, f.spki));
  return { subjectDer: whole(der, f.subject), keyId, ...certificateValidity(der) };
}

/** notBefore and notAfter of a certificate given as DER. */
export function certificateValidity(der: Uint8Array): { notBefore: Date; notAfter: Date } {
  const { validity } = tbsFields(der);
  const notBefore = readTlv(der, validity.start);
  return { notBefore: timeOf(der, notBefore), notAfter: timeOf(der, readTlv(der, notBefore.end)) };
}

/** notAfter of a certificate given as DER. */
export function certificateNotAfter(der: Uint8Array): Date {
  return certificateValidity(der).notAfter;
}

/** The DER of a PEM certificate's first CERTIFICATE block. */
export function firstCertDer(pem: string): Buffer {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error("internal: no CERTIFICATE block");
  return Buffer.from(m[1].replace(/\s+/g, ""), "base64");
}

/** notBefore and notAfter of a PEM certificate (its first CERTIFICATE block). */
export function pemValidity(pem: string): { notBefore: Date; notAfter: Date } {
  return certificateValidity(firstCertDer(pem));
}

/** notAfter of a PEM certificate (its first CERTIFICATE block). */
export function pemNotAfter(pem: string): Date {
  return pemValidity(pem).notAfter;
}
