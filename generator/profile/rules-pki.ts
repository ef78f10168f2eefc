/**
 * Semantic rules about keys, certificates and the admin's SSH keys (each a named Rule, listed in
 * rules.ts). Version-dependent limits are a table (KEY_ALGORITHM_MIN_VERSION).
 * Guarantees: pure; rules look only at values that parse, unset values take the defaults of
 * model/defaults.ts, the one place that decides them.
 */
import { messages } from "../core/messages.js";
import { durationHours } from "../model/defaults.js";
import { compareVersions, versionParts } from "../model/versions.js";
import { RFC1123_SUBDOMAIN } from "./syntax.js";
import { error, warning, type Path, type Rule, type RuleContext } from "./rule-context.js";
import { sshKeyProblem } from "./ssh-key.js";

const M = messages.profile;
const VERSION: Path = ["spec", "kubernetes", "version"];
const KEY_ALGORITHM: Path = ["spec", "pki", "keyAlgorithm"];
const CA_VALIDITY: Path = ["spec", "pki", "caValidity"];
const CERT_VALIDITY: Path = ["spec", "pki", "certValidity"];
const RENEW_BEFORE: Path = ["spec", "pki", "renewBefore"];

/** The first Kubernetes version whose kubeadm handles a key algorithm (absent: every version). */
export const KEY_ALGORITHM_MIN_VERSION: Record<string, string> = {
  "ecdsa-p384": "v1.34.0", // kubeadm's encryptionAlgorithm ECDSA-P384 arrived in 1.34
};

/** Before this version kubeadm renewed ECDSA certificates only with the PublicKeysECDSA gate. */
export const ECDSA_WITHOUT_GATE = "v1.31.0";

function version(ctx: RuleContext): string | undefined {
  const v = ctx.str(VERSION);
  return v !== undefined && versionParts(v) ? v : undefined;
}

function keyAlgorithm(ctx: RuleContext): string {
  return ctx.strOrDefault(KEY_ALGORITHM);
}

/** Every admin SSH key parses and its blob carries the type it claims. */
export const sshKeysParse: Rule = (ctx) =>
  ctx.strings(["spec", "admin", "sshKeys"]).flatMap(({ text, path }) => {
    const problem = sshKeyProblem(text);
    return problem ? [error("invalid-ssh-key", path, problem, M.sshKeyHint)] : [];
  });

/**
 * Under the strict sshd drop-in (seed 000: PubkeyAcceptedAlgorithms ssh-ed25519 only) every admin key
 * must be ed25519, or the admin is locked out of every node.
 */
export const strictSshKeys: Rule = (ctx) => {
  if ((ctx.str(["spec", "host", "sshHardening"]) ?? "strict") !== "strict") return [];
  return ctx.strings(["spec", "admin", "sshKeys"]).flatMap(({ text, path }) => {
    const type = text.trim().split(/\s+/)[0];
    if (sshKeyProblem(text) || type === "ssh-ed25519" || type === "ssh-ed25519-cert-v01@openssh.com") return [];
    return [error("ssh-key-not-ed25519", path, M.sshKeyNotEd25519(type), M.sshKeyNotEd25519Hint)];
  });
};

/** apiServerExtraSANs are IPv4 addresses or DNS names (a leading `*.` wildcard allowed). */
export const extraSansValid: Rule = (ctx) =>
  ctx.strings(["spec", "pki", "apiServerExtraSANs"]).flatMap(({ text, path }) => {
    const looksLikeIp = /^[\d.]+$/.test(text);
    const ok = looksLikeIp ? ctx.ip(path) !== undefined : text.length <= 253 && RFC1123_SUBDOMAIN.test(text.replace(/^\*\./, ""));
    return ok ? [] : [error("invalid-san", path, M.invalidSan(text), M.invalidSanHint)];
  });

/** The key algorithm is available in the chosen Kubernetes version. */
export const keyAlgorithmSupported: Rule = (ctx) => {
  const v = version(ctx);
  const alg = keyAlgorithm(ctx);
  const min = KEY_ALGORITHM_MIN_VERSION[alg];
  if (!v || !min || compareVersions(v, min) >= 0) return [];
  return [error("key-algorithm-unsupported", KEY_ALGORITHM, M.keyAlgorithmNeeds(alg, min, v), M.keyAlgorithmNeedsHint(min))];
};

/** Warning: ECDSA keys (the default) before Kubernetes 1.31 need a kubeadm feature gate to renew. */
export const ecdsaRenewal: Rule = (ctx) => {
  const v = version(ctx);
  const alg = keyAlgorithm(ctx);
  const min = KEY_ALGORITHM_MIN_VERSION[alg];
  if (!v || !alg.startsWith("ecdsa-") || compareVersions(v, ECDSA_WITHOUT_GATE) >= 0) return [];
  if (min && compareVersions(v, min) < 0) return []; // already an error
  const shown = ctx.str(KEY_ALGORITHM) === undefined ? `${alg}${M.defaultSuffix}` : alg;
  return [warning("ecdsa-renewal-gate", KEY_ALGORITHM, M.ecdsaFeatureGate(shown, v), M.ecdsaFeatureGateHint)];
};

/** The CA outlives the certificates it signs (defaults apply to unset validities). */
export const validityOrder: Rule = (ctx) => {
  const ca = ctx.strOrDefault(CA_VALIDITY);
  const leaf = ctx.strOrDefault(CERT_VALIDITY);
  const valid = (d: string) => /^\d+(h|d)$/.test(d);
  if (!valid(ca) || !valid(leaf) || durationHours(ca) > durationHours(leaf)) return [];
  const at = ctx.str(CERT_VALIDITY) !== undefined ? CERT_VALIDITY : CA_VALIDITY;
  return [error("validity-order", at, M.validityOrder(ca, leaf), M.validityOrderHint)];
};

/** The renewal window is shorter than a certificate's life (else every check would renew every certificate). */
export const renewalWindow: Rule = (ctx) => {
  const window = ctx.str(RENEW_BEFORE);
  const leaf = ctx.strOrDefault(CERT_VALIDITY);
  const valid = (d: string) => /^\d+(h|d)$/.test(d);
  if (window === undefined || !valid(window) || !valid(leaf) || durationHours(window) < durationHours(leaf)) return [];
  return [error("renewal-window", RENEW_BEFORE, M.renewalWindow(window, leaf), M.renewalWindowHint)];
};

/** Warning: with pki.renewal: none nothing on the nodes renews the control plane's certificates. */
export const renewalOff: Rule = (ctx) => {
  if (ctx.str(["spec", "pki", "renewal"]) !== "none") return [];
  return [warning("renewal-off", ["spec", "pki", "renewal"], M.renewalOff(ctx.strOrDefault(CERT_VALIDITY)), M.renewalOffHint)];
};
