/**
 * Signs one leaf certificate for a CertRequest with a loaded CA (kubeadm's pkiutil.NewSignedCert, see
 * cert-rules.ts for the sources): subject O… + CN, KeyUsage digitalSignature+keyEncipherment (critical),
 * the request's EKUs, BasicConstraints CA:FALSE (critical), AKI = the CA's SKI, SANs (DNS then IP)
 * only when the request has any, NotBefore = the CA's NotBefore, NotAfter = now + validity clamped
 * to the CA's NotAfter, a random serial. The certificate is encoded and signed by cert-der.ts (the
 * bytes @peculiar/x509 made for the same fields, without its serialize/parse round trips).
 * Guarantees: time only from the Clock, the serial only from the RandomSource, the key only from the
 * KeyFactory. Does not decide whether a stored certificate can be reused: issue.ts does.
 */
import type { Clock, RandomSource } from "../core/clock.js";
import type { CertRequest } from "../plan/types.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import type { SigningCa } from "./authority.js";
import { leafTbs, signCertificate } from "./cert-der.js";
import { keyUsagesFor, randomSerial, uniqueInOrder } from "./cert-rules.js";
import { keyPems, signatureAlgorithmFor, type KeyFactory } from "./keys.js";
import { PEM_CERTIFICATE, PEM_PUBLIC_KEY, pemDecodeOne, pemEncode, wholeSeconds } from "./pem.js";

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
  const key = await keyPems(deps.keys, opts.keyAlgorithm);
  const signature = signatureAlgorithmFor(ca.keyPair.privateKey) as { name: string; hash: string };
  const tbs = leafTbs(
    {
      serialHex: serialNumber,
      issuerDer: ca.subjectDer,
      notBefore: new Date(ca.notBefore.getTime()),
      notAfter: leafNotAfter(deps.clock.now(), opts.validityHours, ca),
      organizations: req.organizations,
      commonName: req.commonName,
      spkiDer: pemDecodeOne(key.publicKeyPem, [PEM_PUBLIC_KEY]).der,
      keyUsages: keyUsagesFor(opts.keyAlgorithm, false),
      extKeyUsages: req.extKeyUsages,
      authorityKeyId: ca.keyId,
      dnsNames: uniqueInOrder(req.dnsNames),
      ipAddresses: uniqueInOrder(req.ipAddresses),
    },
    signature,
  );
  const cert = await signCertificate(tbs, signature, ca.signingKey);
  return { cert: pemEncode(PEM_CERTIFICATE, cert), key: key.privateKeyPem };
}
