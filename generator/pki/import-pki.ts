/**
 * importPki: an existing kubeadm PKI directory (/etc/kubernetes/pki of a control plane) → a secrets
 * bundle, so a cluster whose CAs already exist (bring-your-own PKI, seed 003) is generated with them.
 * Taken: the three CAs (ca, front-proxy-ca, etcd/ca; each key optional), the service-account pair
 * (sa.key; sa.pub derived when absent). Not taken: the leaves and kubeconfigs (kubeseed issues its own
 * from the imported CAs). A new bootstrap token and encryption key are made.
 *
 * Every file is checked and every problem collected: each certificate parses, is a CA, is valid now;
 * each key parses, is of a kind kubeseed signs with (model/keyAlgorithm), and belongs to its certificate;
 * sa.key and sa.pub are one pair. Problems name the file, never its content.
 * A CA imported without its key is kept keyless: `gen` then refuses every certificate it would have to
 * sign with it (pki/issue.ts). Without etcd/ca.crt (a kubeadm cluster on external etcd has none) a new
 * etcd CA is made, as `gen` would.
 * Guarantees: pure apart from the injected deps (clock, random, keys) used for the token, the encryption
 * key and a missing etcd CA.
 */
import { createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import { messages } from "../core/messages.js";
import type { CoreCaId } from "../plan/types.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import { createCa, type CaDeps } from "./authority.js";
import { CA_IDS } from "./cert-rules.js";
import { parsePrivateKeyPem } from "./keys.js";
import { PEM_CERTIFICATE, PEM_PUBLIC_KEY, pemDecodeOne } from "./pem.js";
import { SECRETS_FORMAT, type SecretsBundle, type StoredCa } from "./secrets.js";
import { generateBootstrapToken, generateEncryptionKey } from "./token.js";

const M = messages.options.importPki;

/** Where kubeadm keeps each CA under /etc/kubernetes/pki (cmd/kubeadm/app/constants). */
export const PKI_LAYOUT: Readonly<Record<CoreCaId, { cert: string; key: string; required: boolean }>> = {
  kubernetes: { cert: "ca.crt", key: "ca.key", required: true },
  etcd: { cert: "etcd/ca.crt", key: "etcd/ca.key", required: false },
  "front-proxy": { cert: "front-proxy-ca.crt", key: "front-proxy-ca.key", required: true },
};
export const SA_FILES = { key: "sa.key", pub: "sa.pub" } as const;

/** Every file the importer reads, relative to the directory. */
export const PKI_FILES: readonly string[] = [...CA_IDS.flatMap((id) => [PKI_LAYOUT[id].cert, PKI_LAYOUT[id].key]), SA_FILES.key, SA_FILES.pub];

export interface ImportProblem {
  /** the file, relative to the imported directory */
  file: string;
  message: string;
  hint?: string;
}

export interface ImportOptions {
  cluster: string;
  /** for a missing etcd CA */
  keyAlgorithm: KeyAlgorithm;
  caValidityHours: number;
}

export interface ImportResult {
  secrets?: SecretsBundle;
  problems: ImportProblem[];
  /** CAs imported without their key */
  keyless: CoreCaId[];
  /** no etcd/ca.crt: a new etcd CA was made */
  newEtcdCa: boolean;
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

function certificate(file: string, text: string, now: Date, out: ImportProblem[]): X509Certificate | undefined {
  let cert: X509Certificate;
  try {
    pemDecodeOne(text, [PEM_CERTIFICATE]);
    cert = new X509Certificate(text);
  } catch (e) {
    out.push({ file, message: M.notCertificate(file, reason(e)), hint: M.fixHint });
    return undefined;
  }
  if (!cert.ca) out.push({ file, message: M.notCa(file), hint: M.fixHint });
  if (new Date(cert.validTo).getTime() <= now.getTime()) out.push({ file, message: M.expired(file, new Date(cert.validTo).toISOString().slice(0, 10)), hint: M.fixHint });
  if (new Date(cert.validFrom).getTime() > now.getTime()) out.push({ file, message: M.notYetValid(file, new Date(cert.validFrom).toISOString()), hint: M.fixHint });
  return cert;
}

function privateKey(file: string, text: string, out: ImportProblem[]): KeyObject | undefined {
  try {
    return parsePrivateKeyPem(text).key;
  } catch (e) {
    const unsupported = /^unsupported private key \((.*)\)$/.exec(reason(e));
    out.push(unsupported ? { file, message: M.unsupportedKey(file, unsupported[1].trim()), hint: M.unsupportedKeyHint } : { file, message: M.notKey(file, reason(e)), hint: M.fixHint });
    return undefined;
  }
}

function serviceAccount(files: Readonly<Record<string, string | undefined>>, out: ImportProblem[]): { key: string; pub: string } | undefined {
  const keyText = files[SA_FILES.key];
  if (keyText === undefined) {
    out.push({ file: SA_FILES.key, message: M.missingFile(SA_FILES.key), hint: M.missingFileHint });
    return undefined;
  }
  const key = privateKey(SA_FILES.key, keyText, out);
  const derived = key ? (createPublicKey(key).export({ type: "spki", format: "pem" }) as string) : undefined;
  const pubText = files[SA_FILES.pub];
  if (pubText === undefined) return derived ? { key: keyText, pub: derived } : undefined;
  try {
    pemDecodeOne(pubText, [PEM_PUBLIC_KEY]);
    const pub = createPublicKey(pubText).export({ type: "spki", format: "der" });
    if (key && !pub.equals(createPublicKey(key).export({ type: "spki", format: "der" }))) out.push({ file: SA_FILES.pub, message: M.saMismatch, hint: M.fixHint });
  } catch (e) {
    out.push({ file: SA_FILES.pub, message: M.notPublicKey(SA_FILES.pub, reason(e)), hint: M.fixHint });
  }
  return key ? { key: keyText, pub: pubText } : undefined;
}

/** files: relative path → text, undefined where the directory has no such file. */
export async function importPki(files: Readonly<Record<string, string | undefined>>, opts: ImportOptions, deps: CaDeps): Promise<ImportResult> {
  const problems: ImportProblem[] = [];
  const now = deps.clock.now();
  const cas: Partial<Record<CoreCaId, StoredCa>> = {};
  const keyless: CoreCaId[] = [];
  let newEtcdCa = false;
  for (const id of CA_IDS) {
    const { cert: certFile, key: keyFile, required } = PKI_LAYOUT[id];
    const certText = files[certFile];
    if (certText === undefined) {
      if (required) problems.push({ file: certFile, message: M.missingFile(certFile), hint: M.missingFileHint });
      else newEtcdCa = true;
      continue;
    }
    const cert = certificate(certFile, certText, now, problems);
    const keyText = files[keyFile];
    if (keyText === undefined) {
      keyless.push(id);
      cas[id] = { cert: certText };
      continue;
    }
    const key = privateKey(keyFile, keyText, problems);
    if (cert && key && !cert.checkPrivateKey(key)) problems.push({ file: keyFile, message: M.keyMismatch(keyFile, certFile), hint: M.fixHint });
    cas[id] = { cert: certText, key: keyText };
  }
  const sa = serviceAccount(files, problems);
  if (problems.length || !sa) return { problems, keyless, newEtcdCa };
  if (newEtcdCa) {
    const etcd = await createCa("etcd", { keyAlgorithm: opts.keyAlgorithm, validityHours: opts.caValidityHours }, deps);
    cas.etcd = { cert: etcd.certPem, key: etcd.keyPem };
  }
  const secrets: SecretsBundle = {
    format: SECRETS_FORMAT,
    cluster: opts.cluster,
    cas: cas as SecretsBundle["cas"],
    serviceAccount: sa,
    bootstrapToken: generateBootstrapToken(deps.random),
    encryptionKey: generateEncryptionKey(deps.random),
    certs: {},
  };
  return { secrets, problems, keyless, newEtcdCa };
}
