/**
 * PEM and certificate helpers shared by keys, issuing and the secrets format.
 * Guarantees: pure and synchronous (node:crypto parsing only, no file system); PEM text is always
 * produced with 64-column base64 lines and a trailing newline, the way Go's encoding/pem and OpenSSL
 * write it, so files written by kubeseed diff cleanly against kubeadm's. Does not validate what a
 * certificate means (CA or leaf, usages): that is issuing's and the tests' job.
 */
import { createHash, X509Certificate as NodeX509 } from "node:crypto";

export const PEM_CERTIFICATE = "CERTIFICATE";
export const PEM_PUBLIC_KEY = "PUBLIC KEY";
export const PEM_EC_PRIVATE_KEY = "EC PRIVATE KEY";
export const PEM_RSA_PRIVATE_KEY = "RSA PRIVATE KEY";

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]*?)-----END \1-----/g;

/** Encodes DER bytes as one PEM block with `label` (e.g. "CERTIFICATE"). */
export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Every PEM block in `text`, in order; text outside blocks is ignored. Never throws. */
export function pemDecodeAll(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    out.push({ label: m[1], der: new Uint8Array(Buffer.from(m[2].replace(/\s+/g, ""), "base64")) });
  }
  return out;
}

/** The single PEM block of `text`; throws an Error naming `expected` labels when absent or ambiguous. */
export function pemDecodeOne(text: string, expected: readonly string[]): PemBlock {
  const blocks = pemDecodeAll(text);
  if (blocks.length !== 1) throw new Error(`expected one PEM block (${expected.join(" or ")}), found ${blocks.length}`);
  if (!expected.includes(blocks[0].label)) {
    throw new Error(`expected a PEM block of type ${expected.join(" or ")}, found ${blocks[0].label}`);
  }
  return blocks[0];
}

/** DER bytes of a PEM certificate. Throws when `pem` is not exactly one CERTIFICATE block. */
export function certDer(pem: string): Uint8Array {
  return pemDecodeOne(pem, [PEM_CERTIFICATE]).der;
}

/** SHA-256 fingerprint (lower-case hex) of a certificate's DER encoding, as `openssl x509 -fingerprint -sha256` without colons. */
export function certFingerprint(pem: string): string {
  return createHash("sha256").update(certDer(pem)).digest("hex");
}

export interface CertValidity {
  notBefore: Date;
  notAfter: Date;
}

/** Parsed certificates by PEM text: a run reads each stored certificate in several places (check, reuse, report). */
let parsed = new Map<string, NodeX509>();
const MAX_PARSED = 50_000;

/**
 * node:crypto's parse of a PEM certificate; the same PEM gives the same object again (memoized,
 * forgotten past MAX_PARSED certificates). Throws as `new X509Certificate(pem)` does. Callers must not
 * mutate it (node's X509Certificate has nothing to mutate).
 */
export function parsedCertificate(pem: string): NodeX509 {
  const known = parsed.get(pem);
  if (known) return known;
  const c = new NodeX509(pem);
  if (parsed.size >= MAX_PARSED) parsed = new Map();
  parsed.set(pem, c);
  return c;
}

const verified = new WeakMap<NodeX509, WeakMap<NodeX509, boolean>>();

/** True when `cert` names `issuer` as its issuer and carries its valid signature (memoized per pair of parsed certificates). */
export function issuedBy(cert: NodeX509, issuer: NodeX509): boolean {
  let byIssuer = verified.get(cert);
  if (!byIssuer) verified.set(cert, (byIssuer = new WeakMap()));
  let ok = byIssuer.get(issuer);
  if (ok === undefined) {
    try {
      ok = cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    } catch {
      ok = false;
    }
    byIssuer.set(issuer, ok);
  }
  return ok;
}

/** NotBefore/NotAfter of a PEM certificate. */
export function certValidity(pem: string): CertValidity {
  const c = parsedCertificate(pem);
  return { notBefore: new Date(c.validFrom), notAfter: new Date(c.validTo) };
}

/** DER SubjectPublicKeyInfo of a PEM certificate's public key. */
export function certSpkiDer(pem: string): Uint8Array {
  const c = parsedCertificate(pem);
  return new Uint8Array(c.publicKey.export({ type: "spki", format: "der" }));
}

/** Truncates a date to whole seconds: X.509 UTCTime/GeneralizedTime carry no fractions. */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
