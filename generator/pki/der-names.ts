/**
 * A certificate's subject and issuer as node:crypto's X509Certificate prints them (`O=a\nCN=b`: one
 * attribute per line, short names, in DER order), read from the DER without building an
 * X509Certificate (a report of 1,036 certificates spent 0.3 s building them). Only for the names
 * kubeseed issues: every RDN one attribute, a CN or an O, a PrintableString or UTF8String of printable
 * ASCII that RFC 2253 printing leaves as it is (no , + " \ < > ; = #, no blank at either end).
 * Guarantees: pure; returns undefined for any other name (the caller parses the certificate then);
 * test/pki/der-names.test.ts compares it with X509Certificate on every certificate of the examples.
 */
import { readTlv, tbsFields, type Tlv } from "./der-read.js";

const SHORT_NAMES: Record<string, string> = { "550403": "CN", "55040a": "O" };
const STRING_TAGS = new Set([0x0c, 0x13]); // UTF8String, PrintableString
const PLAIN = /^[A-Za-z0-9:._@/-](?:[A-Za-z0-9 :._@/-]*[A-Za-z0-9:._@/-])?$/;
const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;

/** The Name at `name` printed as X509Certificate does, or undefined outside the subset. */
function printName(der: Uint8Array, name: Tlv): string | undefined {
  if (name.tag !== SEQUENCE) return undefined;
  const lines: string[] = [];
  for (let at = name.start; at < name.end; ) {
    const rdn = readTlv(der, at);
    at = rdn.end;
    if (rdn.tag !== SET) return undefined;
    const atv = readTlv(der, rdn.start);
    if (atv.end !== rdn.end || atv.tag !== SEQUENCE) return undefined; // one attribute per RDN
    const oid = readTlv(der, atv.start);
    const value = readTlv(der, oid.end);
    if (oid.tag !== OID || value.end !== atv.end || !STRING_TAGS.has(value.tag)) return undefined;
    const sn = SHORT_NAMES[Buffer.from(der.subarray(oid.start, oid.end)).toString("hex")];
    const text = Buffer.from(der.subarray(value.start, value.end)).toString("latin1");
    if (!sn || !PLAIN.test(text)) return undefined;
    lines.push(`${sn}=${text}`);
  }
  return lines.length ? lines.join("\n") : undefined;
}

/** Subject and issuer of a DER certificate as X509Certificate prints them, or undefined when either is outside the subset. */
export function certificateNames(der: Uint8Array): { subject: string; issuer: string } | undefined {
  const { issuer, validity } = tbsFields(der);
  const subject = readTlv(der, validity.end);
  const s = printName(der, subject);
  const i = printName(der, issuer);
  return s !== undefined && i !== undefined ? { subject: s, issuer: i } : undefined;
}
