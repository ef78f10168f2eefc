/**
 * THE one module that makes keys (so generation can move to worker threads behind KeyFactory), plus
 * the loader that turns a stored PEM key back into WebCrypto keys for signing with a stored CA.
 *
 * Formats follow kubeadm (k8s.io/client-go/util/keyutil.MarshalPrivateKeyToPEM, as called by
 * cmd/kubeadm/app/util/pkiutil/pki_helpers.go WriteKey/WritePublicKey):
 *   EC private key  → `EC PRIVATE KEY` (SEC 1), RSA private key → `RSA PRIVATE KEY` (PKCS#1),
 *   public key      → `PUBLIC KEY` (PKIX SubjectPublicKeyInfo).
 * Curves and sizes follow kubeadm's EncryptionAlgorithmType (pkiutil.GeneratePrivateKey):
 *   ECDSA-P256, ECDSA-P384 (1.34+), RSA-2048/3072/4096, RSA public exponent 65537.
 * Signature algorithm is chosen by the SIGNING key: P-256 → ecdsa-with-SHA256, P-384 →
 * ecdsa-with-SHA384, RSA → sha256WithRSAEncryption (RSASSA-PKCS1-v1_5), which is what Go's
 * x509.CreateCertificate picks for those keys.
 * Guarantees: keys come only from WebCrypto's CSPRNG; nothing here reads a clock or the file system.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, KeyObject, webcrypto } from "node:crypto";
import type { KeyAlgorithm } from "../profile/schema.js";
import { PEM_EC_PRIVATE_KEY, PEM_RSA_PRIVATE_KEY, pemDecodeOne } from "./pem.js";

/** WebCrypto as the global `Crypto` type expected by @peculiar/x509. */
export const crypto = webcrypto as unknown as Crypto;

export interface GeneratedKey {
  algorithm: KeyAlgorithm;
  keyPair: CryptoKeyPair;
  /** `EC PRIVATE KEY` (SEC 1) or `RSA PRIVATE KEY` (PKCS#1) */
  privateKeyPem: string;
  /** `PUBLIC KEY` (SPKI) */
  publicKeyPem: string;
}

/** A key as its two PEMs (what the secrets file keeps of a leaf's or the service account's key). */
export type KeyPems = Pick<GeneratedKey, "privateKeyPem" | "publicKeyPem">;

export interface KeyFactory {
  generate(alg: KeyAlgorithm): Promise<GeneratedKey>;
  /** A key as its PEMs only (nothing here signs with it); a factory without it: generate() serves. */
  pems?(alg: KeyAlgorithm): Promise<KeyPems>;
}

/** node:crypto's generateKeyPair type and options for `alg` (the same curves and sizes as webCryptoParams). */
function nodeKeyParams(alg: KeyAlgorithm): { type: "ec"; options: { namedCurve: string } } | { type: "rsa"; options: { modulusLength: number; publicExponent: number } } {
  const ec = EC[alg];
  if (ec) return { type: "ec", options: { namedCurve: ec.nodeCurve } };
  const bits = RSA_BITS[alg];
  if (!bits) throw new Error(`unknown key algorithm ${alg}`);
  return { type: "rsa", options: { modulusLength: bits, publicExponent: 65537 } };
}

type EcParams = EcKeyGenParams & EcKeyImportParams;
type RsaParams = RsaHashedKeyGenParams & RsaHashedImportParams;

const EC: Record<string, { curve: "P-256" | "P-384"; nodeCurve: string; hash: "SHA-256" | "SHA-384" }> = {
  "ecdsa-p256": { curve: "P-256", nodeCurve: "prime256v1", hash: "SHA-256" },
  "ecdsa-p384": { curve: "P-384", nodeCurve: "secp384r1", hash: "SHA-384" },
};
const RSA_BITS: Record<string, number> = { "rsa-2048": 2048, "rsa-3072": 3072, "rsa-4096": 4096 };

function webCryptoParams(alg: KeyAlgorithm): EcParams | RsaParams {
  const ec = EC[alg];
  if (ec) return { name: "ECDSA", namedCurve: ec.curve };
  const bits = RSA_BITS[alg];
  if (!bits) throw new Error(`unknown key algorithm ${alg}`);
  return { name: "RSASSA-PKCS1-v1_5", modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
}

function exportPems(alg: KeyAlgorithm, privateKey: KeyObject): { privateKeyPem: string; publicKeyPem: string } {
  const type = EC[alg] ? "sec1" : "pkcs1";
  return {
    privateKeyPem: privateKey.export({ type, format: "pem" }).toString(),
    publicKeyPem: createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString(),
  };
}

/**
 * Generates with WebCrypto (runs on libuv's thread pool, so Promise.all over many keys is parallel);
 * pems() with node:crypto's generateKeyPair, which also encodes the PEMs on the pool (1,000 leaf keys
 * exported on the main thread took 0.2 s of it), in the formats exportPems writes.
 */
export const defaultKeyFactory: KeyFactory = {
  async generate(alg) {
    const keyPair = (await crypto.subtle.generateKey(webCryptoParams(alg), true, ["sign", "verify"])) as CryptoKeyPair;
    return { algorithm: alg, keyPair, ...exportPems(alg, KeyObject.from(keyPair.privateKey)) };
  },
  pems(alg) {
    const p = nodeKeyParams(alg);
    return new Promise((resolve, reject) => {
      const done = (e: Error | null, publicKeyPem: string, privateKeyPem: string) => (e ? reject(e) : resolve({ privateKeyPem, publicKeyPem }));
      const publicKeyEncoding = { type: "spki", format: "pem" } as const;
      if (p.type === "ec") generateKeyPair("ec", { ...p.options, publicKeyEncoding, privateKeyEncoding: { type: "sec1", format: "pem" } }, done);
      else generateKeyPair("rsa", { ...p.options, publicKeyEncoding, privateKeyEncoding: { type: "pkcs1", format: "pem" } }, done);
    });
  },
};

/** A key's PEMs from `keys`: its pems() when it has one, else generate(). */
export const keyPems = (keys: KeyFactory, alg: KeyAlgorithm): Promise<KeyPems> => (keys.pems ? keys.pems(alg) : keys.generate(alg));

/** Which KeyAlgorithm a node:crypto key is, or undefined for anything kubeseed does not make. */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm | undefined {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "ec") {
    return (Object.keys(EC) as KeyAlgorithm[]).find((a) => EC[a].nodeCurve === d.namedCurve);
  }
  if (key.asymmetricKeyType === "rsa") {
    return (Object.keys(RSA_BITS) as KeyAlgorithm[]).find((a) => RSA_BITS[a] === d.modulusLength);
  }
  return undefined;
}

/** The DER structure each private-key PEM label carries, as node:crypto names it. */
const KEY_DER_TYPE: Record<string, "sec1" | "pkcs1" | "pkcs8"> = { [PEM_EC_PRIVATE_KEY]: "sec1", [PEM_RSA_PRIVATE_KEY]: "pkcs1", "PRIVATE KEY": "pkcs8" };

/** Parsed private keys by PEM text: a run reads each stored key in several places (check, reuse). */
let parsedKeys = new Map<string, { key: KeyObject; algorithm: KeyAlgorithm }>();
const MAX_PARSED_KEYS = 50_000;

/**
 * Parses a private key PEM in the formats kubeseed and kubeadm write (SEC 1, PKCS#1, or PKCS#8).
 * Throws an Error with a readable reason when the text is not such a key or its algorithm is unsupported.
 * The DER is handed to node:crypto with the structure its label names (a third of the time OpenSSL
 * takes to guess it from PEM text); the same PEM gives the same result again (memoized, forgotten
 * past MAX_PARSED_KEYS keys; a KeyObject has nothing to mutate).
 */
export function parsePrivateKeyPem(pem: string): { key: KeyObject; algorithm: KeyAlgorithm } {
  const known = parsedKeys.get(pem);
  if (known) return known;
  const block = pemDecodeOne(pem, [PEM_EC_PRIVATE_KEY, PEM_RSA_PRIVATE_KEY, "PRIVATE KEY"]);
  const key = createPrivateKey({ key: Buffer.from(block.der), format: "der", type: KEY_DER_TYPE[block.label] });
  const algorithm = keyAlgorithmOf(key);
  if (!algorithm) {
    const d = key.asymmetricKeyDetails ?? {};
    throw new Error(`unsupported private key (${key.asymmetricKeyType} ${d.namedCurve ?? d.modulusLength ?? ""})`.trim());
  }
  if (parsedKeys.size >= MAX_PARSED_KEYS) parsedKeys = new Map();
  parsedKeys.set(pem, { key, algorithm });
  return { key, algorithm };
}

/** Loads a stored private key PEM into a WebCrypto key pair (both extractable: false) for signing. */
export async function loadKeyPair(privateKeyPem: string): Promise<{ algorithm: KeyAlgorithm; keyPair: CryptoKeyPair }> {
  const { key, algorithm } = parsePrivateKeyPem(privateKeyPem);
  const params = webCryptoParams(algorithm);
  const pkcs8 = key.export({ type: "pkcs8", format: "der" });
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const [privateKey, publicKey] = await Promise.all([
    crypto.subtle.importKey("pkcs8", pkcs8, params, false, ["sign"]),
    crypto.subtle.importKey("spki", spki, params, true, ["verify"]),
  ]);
  return { algorithm, keyPair: { privateKey, publicKey } };
}

/** The X.509 signature algorithm for certificates signed with `signingKey` (see the header). */
export function signatureAlgorithmFor(signingKey: CryptoKey): Algorithm | EcdsaParams {
  if (signingKey.algorithm.name === "ECDSA") {
    const curve = (signingKey.algorithm as EcKeyAlgorithm).namedCurve;
    return { name: "ECDSA", hash: curve === "P-384" ? "SHA-384" : "SHA-256" } as EcdsaParams;
  }
  return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as Algorithm;
}
