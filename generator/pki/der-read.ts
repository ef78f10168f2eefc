/**
 * The facts read straight from a certificate's DER without a full parse: its notBefore and notAfter (RFC 5280
 * §4.1.2.5: UTCTime YYMMDDHHMMSSZ with years 1950–2049, GeneralizedTime YYYYMMDDHHMMSSZ from 2050).
 * `gen` checks every certificate of the secrets file for expiry on each run; reading the validity from
 * the DER costs microseconds where building an X509Certificate per certificate cost 0.4 s at 1,036
 * certificates. test/pki/der-read.test.ts compares it with Node's X509Certificate.
 * Guarantees: pure; throws on DER that is not a certificate's shape (the secrets file was verified on
 * load, so that is an internal error).
 */

export interface Tlv {
  tag: number;
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
  return { tag, start, end: start + length };
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
