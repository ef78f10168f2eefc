/**
 * kubeadm's certificate rules as data and tiny pure functions, each with the source it was checked
 * against (k8s.io/kubernetes, cmd/kubeadm/app/util/pkiutil/pki_helpers.go of the v1beta4 era, i.e.
 * 1.31+, read through the code index; and cmd/kubeadm/app/phases/certs/certlist.go GetConfig):
 *
 * - Serial: `cryptorand.Int(MaxInt64-1) + 1`, uniform in [1, 2^63-1), for CAs (NewSelfSignedCACert)
 *   and leaves (NewSignedCert) alike → randomSerial below.
 * - CA: NotBefore = kubeadm start time − CertificateBackdate (5 min, constants.go; applied in
 *   certlist.go KubeadmCert.GetConfig), NotAfter = start + caCertificateValidityPeriod;
 *   KeyUsage KeyEncipherment|DigitalSignature|CertSign; BasicConstraints CA:TRUE; DNSNames =
 *   [CommonName] (NewSelfSignedCACert sets `DNSNames: []string{cfg.CommonName}`). Go adds the SKI
 *   itself for CA templates (crypto/x509, since Go 1.15). Go marks KeyUsage and BasicConstraints critical.
 * - Leaf: NotBefore = caCert.NotBefore (NewSignedCert: `notBefore := caCert.NotBefore`), NotAfter =
 *   start + certificateValidityPeriod (GetConfig); KeyUsage KeyEncipherment|DigitalSignature;
 *   BasicConstraints CA:FALSE present (`BasicConstraintsValid: true`); AKI = issuer's SKI (Go).
 *   NewSignedCert does NOT clamp NotAfter to the CA's NotAfter; kubeseed clamps (a leaf outliving its
 *   CA is useless and a verifier rejects it anyway).
 * - keyEncipherment for ECDSA: released kubeadm (≤ 1.36) sets it for EVERY key type, CA and leaf
 *   alike. RFC 8813 §3 says it MUST NOT appear for id-ecPublicKey, and upstream is moving to RSA-only:
 *   kubernetes/kubernetes#142037 (kubeadm, "add the keyEncipherment bit only for RSA", open) and
 *   #142273 (client-go NewSelfSignedCACert, open). No consumer checks the bit either way (Go's verifier
 *   ignores KeyUsage; OpenSSL accepts it). kubeseed follows released kubeadm; flip
 *   KEY_ENCIPHERMENT_FOR_EC to follow RFC 8813 once kubeadm ships the change.
 * - Subject: Go writes O before CN (pkix.Name.ToRDNSequence) and puts several O values into ONE
 *   multi-valued RDN; kubeseed writes one RDN per O (same parsed Organization list in Go).
 * - DNS SANs: kubeadm de-duplicates and sorts DNS names (RemoveDuplicateAltNames uses sets.List) and
 *   de-duplicates IPs keeping order; kubeseed de-duplicates both and keeps the plan's order.
 * Guarantees: pure; randomness only from the RandomSource passed in.
 */
import type { RandomSource } from "../core/clock.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import type { CaId, CoreCaId } from "../plan/types.js";

/** CA common names (kubeadm certlist.go: KubeadmCertRootCA, KubeadmCertEtcdCA, KubeadmCertFrontProxyCA). */
export const CA_COMMON_NAMES: Readonly<Record<CaId, string>> = {
  kubernetes: "kubernetes",
  etcd: "etcd-ca",
  "front-proxy": "front-proxy-ca",
  registry: "kubeseed-registry-ca",
};

/** kubeadm's CAs, always made, in their fixed order (secrets file, issuing). */
export const CA_IDS: readonly CoreCaId[] = ["kubernetes", "etcd", "front-proxy"];

/** CAs made only when a certificate needs them, then kept for good; listed after CA_IDS. */
export const OPTIONAL_CA_IDS: readonly CaId[] = ["registry"];

/** constants.CertificateBackdate */
export const CA_BACKDATE_MS = 5 * 60 * 1000;

/** A leaf that expires within this window of now is re-issued (kubeadm `certs check-expiration` warns at 30 days too). */
export const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** See the header: released kubeadm keeps keyEncipherment on ECDSA certificates. */
export const KEY_ENCIPHERMENT_FOR_EC = true;

export type KeyUsageName = "digitalSignature" | "keyEncipherment" | "keyCertSign";

/** KeyUsage bits of a certificate whose subject key is `alg`. */
export function keyUsagesFor(alg: KeyAlgorithm, isCA: boolean): KeyUsageName[] {
  const out: KeyUsageName[] = ["digitalSignature"];
  if (!alg.startsWith("ecdsa-") || KEY_ENCIPHERMENT_FOR_EC) out.push("keyEncipherment");
  if (isCA) out.push("keyCertSign");
  return out;
}

const SERIAL_RANGE = (1n << 63n) - 2n; // size of [1, 2^63-1)

/**
 * A serial uniform in [1, 2^63-1) as minimal big-endian hex (no leading zero byte unless the high bit
 * needs one), drawn from `random` by rejection sampling so a seeded source gives a fixed serial.
 */
export function randomSerial(random: RandomSource): string {
  for (;;) {
    const b = random.bytes(8);
    let n = 0n;
    for (const x of b) n = (n << 8n) | BigInt(x);
    n &= (1n << 63n) - 1n;
    if (n >= SERIAL_RANGE) continue;
    let hex = (n + 1n).toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    return parseInt(hex[0], 16) >= 8 ? `00${hex}` : hex;
  }
}

/** Removes duplicates, keeping the first occurrence and the order. */
export function uniqueInOrder(values: readonly string[]): string[] {
  return [...new Set(values)];
}
