/**
 * How the nodes other than the init node join, decided from the secrets file and the clock (STYLE rule
 * 3: both are inputs). kubeadm init creates the profile's bootstrap token with its TTL
 * (pki.bootstrapTokenTTL, default 24 h) when the init node boots, which is after the secrets file was
 * made: the token cannot expire before "secrets made + TTL", and may have expired at any moment after.
 * From that moment on every joining node is rendered with a pre-issued node credential instead
 * (JoinConfiguration discovery.file, plan/kubeconfigs.ts discovery.conf), which works however long
 * after init it boots and whether or not the token still lives; before it, with the token.
 * "Secrets made" is read from the kubernetes CA: issued at generation time minus kubeadm's 5-minute
 * backdate (pki/cert-rules.ts CA_BACKDATE_MS). A TTL of 0 (a token that never expires) keeps the token.
 * Guarantees: pure; monotonic in time (once "credential", always "credential" for these secrets), so
 * the choice flips at most once and every later run renders the same.
 */
import { X509Certificate } from "node:crypto";
import type { JoinPolicy } from "../model/types.js";
import { CA_BACKDATE_MS } from "../pki/cert-rules.js";
import type { SecretsBundle } from "../pki/secrets.js";

export function joinPolicy(ttlHours: number, prior: SecretsBundle | undefined, now: Date): JoinPolicy {
  if (!prior || ttlHours <= 0) return { method: "token" };
  const made = new Date(new X509Certificate(prior.cas.kubernetes.cert).validFrom).getTime() + CA_BACKDATE_MS;
  const expiry = made + ttlHours * 3600 * 1000;
  return now.getTime() >= expiry ? { method: "credential", tokenExpiredAt: new Date(expiry).toISOString() } : { method: "token" };
}
