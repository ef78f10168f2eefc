/**
 * Signs one leaf certificate for a CertRequest with a loaded CA (kubeadm's pkiutil.NewSignedCert, see
 * cert-rules.ts for the sources): subject O… + CN, KeyUsage digitalSignature+keyEncipherment (critical),
 * the request's EKUs, BasicConstraints CA:FALSE (critical), AKI = the CA's SKI, SANs (DNS then IP)
 * only when the request has any, NotBefore = the CA's NotBefore, NotAfter = now + validity clamped
 * to the CA's NotAfter, a random serial.
 * Guarantees: time only from the Clock, the serial only from the RandomSource, the key only from the
 * KeyFactory. Does not decide whether a stored certificate can be reused: issue.ts does.
 */
import * as x509 from "./x509.js";
import type { Clock, RandomSource } from "../core/clock.js";
import type { CertRequest, ExtKeyUsage } from "../plan/types.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import { keyUsageExtension, toPem, type SigningCa } from "./authority.js";
import { keyUsagesFor, randomSerial, uniqueInOrder } from "./cert-rules.js";
import { crypto, signatureAlgorithmFor, type KeyFactory } from "./keys.js";
import { wholeSeconds } from "./pem.js";

const EKU_OIDS: Record<ExtKeyUsage, string> = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
};

export interface LeafOptions {
  keyAlgorithm: KeyAlgorithm;
  validityHours: number;
}

export interface LeafDeps {
  clock: Clock;
  random: RandomSource;
  keys: KeyFactory;
}

export interface SignedLeaf {
  cert: string;
  key: string;
}

/** Subject as a JSON name: one O RDN per organization (in order), then CN. */
export function subjectOf(req: Pick<CertRequest, "commonName" | "organizations">): x509.JsonName {
  return [...req.organizations.map((o) => ({ O: [o] })), { CN: [req.commonName] }];
}

/** NotAfter of a leaf issued now: now + validity, never past the CA's NotAfter. */
export function leafNotAfter(now: Date, validityHours: number, ca: Pick<SigningCa, "notAfter">): Date {
  const wanted = wholeSeconds(new Date(now.getTime() + validityHours * 3600 * 1000));
  return wanted.getTime() > ca.notAfter.getTime() ? new Date(ca.notAfter.getTime()) : wanted;
}

/** Issues `req` with a NEW key of `opts.keyAlgorithm`, signed by `ca`. Throws on an empty CN or no EKU (kubeadm does too). */
export async function signLeaf(req: CertRequest, ca: SigningCa, opts: LeafOptions, deps: LeafDeps): Promise<SignedLeaf> {
  if (!req.commonName) throw new Error(`certificate ${req.id}: empty common name`);
  if (req.extKeyUsages.length === 0) throw new Error(`certificate ${req.id}: no extended key usage`);
  // drawn before the first await, so a seeded RandomSource gives serials in request order
  const serialNumber = randomSerial(deps.random);
  const key = await deps.keys.generate(opts.keyAlgorithm);
  const dns = uniqueInOrder(req.dnsNames);
  const ips = uniqueInOrder(req.ipAddresses);
  const extensions: x509.Extension[] = [
    keyUsageExtension(keyUsagesFor(opts.keyAlgorithm, false)),
    new x509.ExtendedKeyUsageExtension(
      req.extKeyUsages.map((u) => EKU_OIDS[u]),
      false,
    ),
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.AuthorityKeyIdentifierExtension(ca.keyId, false),
  ];
  if (dns.length + ips.length > 0) {
    const names: x509.JsonGeneralNames = [...dns.map((value) => ({ type: "dns" as const, value })), ...ips.map((value) => ({ type: "ip" as const, value }))];
    extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber,
      subject: subjectOf(req),
      issuer: ca.cert.subjectName,
      notBefore: new Date(ca.notBefore.getTime()),
      notAfter: leafNotAfter(deps.clock.now(), opts.validityHours, ca),
      publicKey: key.keyPair.publicKey,
      signingKey: ca.keyPair.privateKey,
      signingAlgorithm: signatureAlgorithmFor(ca.keyPair.privateKey),
      extensions,
    },
    crypto,
  );
  return { cert: toPem(cert), key: key.privateKeyPem };
}
