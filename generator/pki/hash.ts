/**
 * Hashes that name or pin PKI material.
 * - discoveryHash: kubeadm's `--discovery-token-ca-cert-hash` / JoinConfiguration
 *   discovery.bootstrapToken.caCertHashes value, `sha256:<hex>` of the DER SubjectPublicKeyInfo of the
 *   CA certificate (RFC 7469-style pin; kubeadm cmd/kubeadm/app/util/pubkeypin/pubkeypin.go hashes
 *   `cert.RawSubjectPublicKeyInfo` with SHA-256 and prefixes "sha256:"). Same as
 *   `openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum`, for RSA and EC.
 * - specHash: sha256 of a canonical JSON of everything that decides a leaf's content, so a stored
 *   leaf is reused exactly when nothing that shapes it changed.
 * Guarantees: pure, synchronous; the same inputs always give the same string.
 */
import { createHash } from "node:crypto";
import type { CertRequest } from "../plan/types.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import { certSpkiDer } from "./pem.js";

/** `sha256:<64 hex>` of the CA certificate's SubjectPublicKeyInfo. Throws when `caCertPem` is not a certificate. */
export function discoveryHash(caCertPem: string): string {
  return `sha256:${createHash("sha256").update(certSpkiDer(caCertPem)).digest("hex")}`;
}

export interface SpecInputs {
  request: CertRequest;
  keyAlgorithm: KeyAlgorithm;
  certValidityHours: number;
  /** sha256 fingerprint of the signer CA certificate */
  caFingerprint: string;
}

/** Version of the canonical form below; bump it to force re-issuing every leaf after a rule change. */
const SPEC_VERSION = 1;

/**
 * sha256 hex of the canonical JSON of a leaf's spec: fixed key order, lists as given (their order is
 * part of the certificate). The request id is NOT part of it: the id only says where it is stored.
 */
export function specHash(s: SpecInputs): string {
  const r = s.request;
  const canonical = JSON.stringify([
    ["v", SPEC_VERSION],
    ["profile", r.profile],
    ["signer", r.signer],
    ["commonName", r.commonName],
    ["organizations", r.organizations],
    ["extKeyUsages", r.extKeyUsages],
    ["dnsNames", r.dnsNames],
    ["ipAddresses", r.ipAddresses],
    ["keyAlgorithm", s.keyAlgorithm],
    ["certValidityHours", s.certValidityHours],
    ["caFingerprint", s.caFingerprint],
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
