/**
 * Certificate authorities: create a kubeadm-style self-signed CA, and load a stored one for signing.
 * Rules (CN, backdate, usages, DNS SAN = CN, serial) are in cert-rules.ts with their kubeadm sources.
 * Guarantees: time only from the Clock, serials only from the RandomSource, keys only from the
 * KeyFactory; the returned PEMs are exactly what the secrets bundle stores. Does not decide WHETHER
 * a CA should be created or kept: issue.ts does.
 */
import { KeyObject } from "node:crypto";
import type { Clock, RandomSource } from "../core/clock.js";
import type { CaId } from "../plan/types.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import { caTbs, signCertificate } from "./cert-der.js";
import { CA_BACKDATE_MS, CA_COMMON_NAMES, keyUsagesFor, randomSerial } from "./cert-rules.js";
import { caFacts } from "./der-read.js";
import { loadKeyPair, signatureAlgorithmFor, type KeyFactory } from "./keys.js";
import { certDer, certFingerprint, pemDecodeOne, pemEncode, PEM_CERTIFICATE, PEM_PUBLIC_KEY, wholeSeconds } from "./pem.js";

/** A CA ready to sign: its PEMs, WebCrypto keys and the facts leaves copy from it. */
export interface SigningCa {
  id: CaId;
  certPem: string;
  keyPem: string;
  algorithm: KeyAlgorithm;
  keyPair: CryptoKeyPair;
  /** hex SubjectKeyIdentifier, copied into each leaf's AuthorityKeyIdentifier */
  keyId: string;
  /** sha256 of the certificate DER (part of every leaf's specHash) */
  fingerprint: string;
  /** the subject Name as DER, as the certificate holds it (each leaf's issuer) */
  subjectDer: Uint8Array;
  /** the private key as node:crypto signs with it (cert-der.ts) */
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

function signingCa(id: CaId, certPem: string, keyPem: string, keyPair: CryptoKeyPair, algorithm: KeyAlgorithm, signingKey = KeyObject.from(keyPair.privateKey)): SigningCa {
  const { subjectDer, keyId, notBefore, notAfter } = caFacts(certDer(certPem));
  return { id, certPem, keyPem, algorithm, keyPair, keyId, fingerprint: certFingerprint(certPem), subjectDer, signingKey, notBefore, notAfter };
}

export interface CaOptions {
  keyAlgorithm: KeyAlgorithm;
  validityHours: number;
}

export interface CaDeps {
  clock: Clock;
  random: RandomSource;
  keys: KeyFactory;
}

/** Creates the CA `id`: CN from CA_COMMON_NAMES, NotBefore = now − 5 min, NotAfter = now + validity, self-signed (cert-der.ts caTbs). */
export async function createCa(id: CaId, opts: CaOptions, deps: CaDeps): Promise<SigningCa> {
  const serialNumber = randomSerial(deps.random); // before the first await: stable draw order
  const key = await deps.keys.generate(opts.keyAlgorithm);
  const now = wholeSeconds(deps.clock.now());
  const signature = signatureAlgorithmFor(key.keyPair.privateKey) as { name: string; hash: string };
  const tbs = caTbs(
    {
      serialHex: serialNumber,
      commonName: CA_COMMON_NAMES[id],
      notBefore: new Date(now.getTime() - CA_BACKDATE_MS),
      notAfter: new Date(now.getTime() + opts.validityHours * 3600 * 1000),
      spkiDer: pemDecodeOne(key.publicKeyPem, [PEM_PUBLIC_KEY]).der,
      keyUsages: keyUsagesFor(opts.keyAlgorithm, true),
    },
    signature,
  );
  const signingKey = KeyObject.from(key.keyPair.privateKey);
  const cert = await signCertificate(tbs, signature, signingKey);
  return signingCa(id, pemEncode(PEM_CERTIFICATE, cert), key.privateKeyPem, key.keyPair, opts.keyAlgorithm, signingKey);
}

/** Loads a stored CA (cert + key PEM) for signing. Throws an Error when the key does not parse. */
export async function loadCa(id: CaId, certPem: string, keyPem: string): Promise<SigningCa> {
  const { algorithm, keyPair } = await loadKeyPair(keyPem);
  return signingCa(id, certPem, keyPem, keyPair, algorithm);
}
