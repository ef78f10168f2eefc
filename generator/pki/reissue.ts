/**
 * Why a stored leaf certificate is kept or issued anew: the decision issueCerts applies, with the
 * reason `gen plan` and the run summary show (SAN change, expiry, algorithm, …).
 *
 * A stored leaf is reused exactly when its specHash (pki/hash.ts) equals the request's and it does not
 * expire within the renewal window (unless re-issuing could not extend it: the CA ends first). When it
 * is not reused, the reason is found by comparing the stored certificate itself with the request, in
 * this order: new, signer (another CA), algorithm, subject, usages, SANs, expiry; a changed hash with
 * none of these differences is "rules" (the validity or kubeseed's own certificate rules changed).
 * Guarantees: pure and synchronous (node:crypto parsing only); never throws on a stored certificate
 * that parses (the secrets file was checked when it was read).
 */
import type { X509Certificate } from "node:crypto";
import { parsedCertificate } from "./pem.js";
import type { CertRequest } from "../plan/types.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import type { StoredCert } from "./secrets.js";

export type ReissueReason = "new" | "signer" | "algorithm" | "subject" | "usages" | "sans" | "expiry" | "rules";

export interface Reissue {
  reason: ReissueReason;
  /** SANs only in the new certificate / only in the stored one (reason "sans") */
  added?: string[];
  dropped?: string[];
  /** the stored certificate's notAfter (every reason but "new") */
  notAfter?: string;
}

export interface ReuseContext {
  /** the request's specHash */
  hash: string;
  keyAlgorithm: KeyAlgorithm;
  /** the signing CA's certificate and notAfter */
  caCertPem: string;
  caNotAfter: Date;
  now: Date;
  renewBeforeMs: number;
}

const EC_CURVES: Record<string, KeyAlgorithm> = { prime256v1: "ecdsa-p256", secp384r1: "ecdsa-p384" };

/** The kubeseed key algorithm of a certificate's public key (undefined for any other key). */
export function certKeyAlgorithm(c: X509Certificate): KeyAlgorithm | undefined {
  const d = c.publicKey.asymmetricKeyDetails;
  if (c.publicKey.asymmetricKeyType === "ec") return EC_CURVES[d?.namedCurve ?? ""];
  if (c.publicKey.asymmetricKeyType === "rsa") return `rsa-${d?.modulusLength}` as KeyAlgorithm;
  return undefined;
}

/** An IPv6 address in node:crypto's spelling (eight groups, no zero compression): "::1" → "0:0:0:0:0:0:0:1". */
function expandIpv6(ip: string): string {
  if (!ip.includes(":")) return ip;
  const [head, tail = ""] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = ip.includes("::") && tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.map((g) => g.replace(/^0+(?=.)/, "").toLowerCase()).join(":");
}

/** "DNS:a, IP Address:1.2.3.4" → ["a", "1.2.3.4"] */
function sansOf(c: X509Certificate): string[] {
  return (c.subjectAltName ?? "")
    .split(", ")
    .filter(Boolean)
    .map((s) => s.slice(s.indexOf(":") + 1));
}

function subjectOf(c: X509Certificate): { cn: string; o: string[] } {
  const lines = c.subject.split("\n");
  return { cn: lines.find((l) => l.startsWith("CN="))?.slice(3) ?? "", o: lines.filter((l) => l.startsWith("O=")).map((l) => l.slice(2)) };
}

const EKU_OIDS: Record<string, string> = { serverAuth: "1.3.6.1.5.5.7.3.1", clientAuth: "1.3.6.1.5.5.7.3.2" };
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** undefined when `stored` can be reused for `req`, else why it must be issued anew. */
export function reissueReason(stored: StoredCert | undefined, req: CertRequest, ctx: ReuseContext): Reissue | undefined {
  if (!stored) return { reason: "new" };
  const c = parsedCertificate(stored.cert);
  const notAfter = new Date(c.validTo);
  const expiring = notAfter.getTime() - ctx.now.getTime() < ctx.renewBeforeMs && notAfter.getTime() < ctx.caNotAfter.getTime();
  if (stored.specHash === ctx.hash && !expiring) return undefined;
  const base = { notAfter: notAfter.toISOString() };
  if (!c.verify(parsedCertificate(ctx.caCertPem).publicKey)) return { reason: "signer", ...base };
  if (certKeyAlgorithm(c) !== ctx.keyAlgorithm) return { reason: "algorithm", ...base };
  const subject = subjectOf(c);
  if (subject.cn !== req.commonName || !same(subject.o, req.organizations)) return { reason: "subject", ...base };
  if (!same(c.keyUsage ?? [], req.extKeyUsages.map((u) => EKU_OIDS[u]))) return { reason: "usages", ...base };
  const has = sansOf(c);
  const wants = [...req.dnsNames, ...req.ipAddresses.map(expandIpv6)];
  const added = wants.filter((s) => !has.includes(s));
  const dropped = has.filter((s) => !wants.includes(s));
  if (added.length + dropped.length > 0) return { reason: "sans", added, dropped, ...base };
  if (expiring) return { reason: "expiry", ...base };
  return { reason: "rules", ...base };
}
