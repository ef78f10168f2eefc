/**
 * Certificate authorities: create a kubeadm-style self-signed CA, and load a stored one for signing.
 * Rules (CN, backdate, usages, DNS SAN = CN, serial) are in cert-rules.ts with their kubeadm sources.
 * Guarantees: time only from the Clock, serials only from the RandomSource, keys only from the
 * KeyFactory; the returned PEMs are exactly what the secrets bundle stores. Does not decide WHETHER
 * a CA should be created or kept: issue.ts does.
 */
import { KeyObject } from "node:crypto";
import * as x509 from "./x509.js";
import type { Clock, RandomSource } from "../core/clock.js";
import type { CaId } from "../plan/types.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import { CA_BACKDATE_MS, CA_COMMON_NAMES, keyUsagesFor, randomSerial, type KeyUsageName } from "./cert-rules.js";
import { crypto, loadKeyPair, signatureAlgorithmFor, type KeyFactory } from "./keys.js";
import { certFingerprint, pemEncode, PEM_CERTIFICATE, wholeSeconds } from "./pem.js";

/** A CA ready to sign: its PEMs, parsed certificate, WebCrypto keys and the facts leaves copy from it. */
export interface SigningCa {
  id: CaId;
  certPem: string;
  keyPem: string;
  algorithm: KeyAlgorithm;
  cert: x509.X509Certificate;
  keyPair: CryptoKeyPair;
  /** hex SubjectKeyIdentifier, copied into each leaf's AuthorityKeyIdentifier */
  keyId: string;
  /** sha256 of the certificate DER (part of every leaf's specHash) */
  fingerprint: string;
  /** the subject Name as DER, as @peculiar/x509 encodes it (each leaf's issuer) */
  subjectDer: Uint8Array;
  /** the private key as node:crypto signs with it (cert-der.ts) */
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

const USAGE_FLAGS: Record<KeyUsageName, x509.KeyUsageFlags> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
};

/** The KeyUsage extension (critical, as Go marks it) for the given usages. */
export function keyUsageExtension(usages: readonly KeyUsageName[]): x509.KeyUsagesExtension {
  return new x509.KeyUsagesExtension(usages.reduce((acc, u) => acc | USAGE_FLAGS[u], 0), true);
}

export function toPem(cert: x509.X509Certificate): string {
  return pemEncode(PEM_CERTIFICATE, new Uint8Array(cert.rawData));
}

async function keyIdOf(cert: x509.X509Certificate): Promise<string> {
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return ski.keyId;
  // a CA made elsewhere without SKI: derive it the way Go does (SHA-1 of the public key bits)
  return Buffer.from(await cert.publicKey.getKeyIdentifier(crypto)).toString("hex");
}

async function signingCa(id: CaId, certPem: string, keyPem: string, keyPair: CryptoKeyPair, algorithm: KeyAlgorithm): Promise<SigningCa> {
  const cert = new x509.X509Certificate(certPem);
  return {
    id,
    certPem,
    keyPem,
    algorithm,
    cert,
    keyPair,
    keyId: await keyIdOf(cert),
    fingerprint: certFingerprint(certPem),
    subjectDer: new Uint8Array(cert.subjectName.toArrayBuffer()),
    signingKey: KeyObject.from(keyPair.privateKey),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
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

/** Creates the CA `id`: CN from CA_COMMON_NAMES, NotBefore = now − 5 min, NotAfter = now + validity. */
export async function createCa(id: CaId, opts: CaOptions, deps: CaDeps): Promise<SigningCa> {
  const serialNumber = randomSerial(deps.random); // before the first await: stable draw order
  const key = await deps.keys.generate(opts.keyAlgorithm);
  const now = wholeSeconds(deps.clock.now());
  const cn = CA_COMMON_NAMES[id];
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber,
      name: [{ CN: [cn] }],
      notBefore: new Date(now.getTime() - CA_BACKDATE_MS),
      notAfter: new Date(now.getTime() + opts.validityHours * 3600 * 1000),
      keys: key.keyPair,
      signingAlgorithm: signatureAlgorithmFor(key.keyPair.privateKey),
      extensions: [
        keyUsageExtension(keyUsagesFor(opts.keyAlgorithm, true)),
        new x509.BasicConstraintsExtension(true, undefined, true),
        await x509.SubjectKeyIdentifierExtension.create(key.keyPair.publicKey, false, crypto),
        new x509.SubjectAlternativeNameExtension([{ type: "dns", value: cn }], false),
      ],
    },
    crypto,
  );
  return signingCa(id, toPem(cert), key.privateKeyPem, key.keyPair, opts.keyAlgorithm);
}

/** Loads a stored CA (cert + key PEM) for signing. Throws an Error when the key does not parse. */
export async function loadCa(id: CaId, certPem: string, keyPem: string): Promise<SigningCa> {
  const { algorithm, keyPair } = await loadKeyPair(keyPem);
  return signingCa(id, certPem, keyPem, keyPair, algorithm);
}
