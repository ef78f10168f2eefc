/**
 * issueCerts: CertRequest[] + options + the prior secrets → the complete secrets bundle.
 *
 * Guarantees:
 * - creates only what is missing: the 3 CAs (and the registry CA when a request is signed by it), the service-account key pair, the bootstrap token, the
 *   encryption key; everything present is reused unchanged;
 * - a CA is never replaced (not even when keyAlgorithm changed: a note says so); an expired CA, or
 *   one not valid yet, is a UserError (a CA inside the renewal window is pki/expiry.ts's warning);
 * - a stored leaf is reused only when it is signed by the CA that issues it and already valid;
 *   otherwise a UserError names it (the file was changed: kubeseed does not paper over it);
 * - each leaf is stored under its request id with specHash (pki/hash.ts); a stored leaf with the same
 *   specHash that does not expire within the renewal window (default 30 days) is reused byte for byte,
 *   otherwise it is re-issued with a NEW key and the reason in `reasons` (pki/reissue.ts); ids no
 *   longer requested are dropped and listed in `removed`;
 * - same requests + same secrets + a clock inside the validity windows → byte-identical secrets;
 * - issued/reused/removed are sorted; notes are in a fixed order;
 * - leaves are issued in parallel (Promise.all), keys through deps.keys only.
 * Does not: write files, read the system clock, or validate the requests (plan/ builds them).
 */
import type { X509Certificate } from "node:crypto";
import { messages } from "../core/messages.js";
import type { Clock, RandomSource } from "../core/clock.js";
import type { Diagnostic } from "../core/diagnostics.js";
import { UserError } from "../core/errors.js";
import type { CaId, CertRequest } from "../plan/types.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import { createCa, loadCa, type SigningCa } from "./authority.js";
import { CA_IDS, OPTIONAL_CA_IDS, RENEW_BEFORE_MS } from "./cert-rules.js";
import { reissueReason, type Reissue } from "./reissue.js";
import { specHash } from "./hash.js";
import { NO_PROGRESS, type ProgressSink } from "../core/progress.js";
import { keyPems, parsePrivateKeyPem, type KeyFactory } from "./keys.js";
import { signLeaf } from "./leaf.js";
import { certFingerprint, certValidity, issuedBy, parsedCertificate } from "./pem.js";
import { SECRETS_FORMAT, type SecretsBundle, type StoredCert } from "./secrets.js";
import { generateBootstrapToken, generateEncryptionKey } from "./token.js";

export interface IssueOptions {
  cluster: string;
  keyAlgorithm: KeyAlgorithm;
  caValidityHours: number;
  certValidityHours: number;
  /** renewal window in hours (default 30 days): a leaf expiring within it is re-issued */
  renewBeforeHours?: number;
}

export interface IssueDeps {
  clock: Clock;
  random: RandomSource;
  keys: KeyFactory;
  /** told of each certificate issued or reused (optional) */
  progress?: ProgressSink;
}

export interface IssueResult {
  secrets: SecretsBundle;
  issued: string[];
  reused: string[];
  removed: string[];
  /** why each issued leaf was issued (every id of `issued`) */
  reasons: Record<string, Reissue>;
  notes: string[];
}


const windowMs = (opts: IssueOptions) => (opts.renewBeforeHours === undefined ? RENEW_BEFORE_MS : opts.renewBeforeHours * 3600 * 1000);

/** A CA imported without its key: kubeseed keeps it and reuses what it signed, but cannot sign. */
interface KeylessCa {
  id: CaId;
  keyless: true;
  certPem: string;
  fingerprint: string;
  notAfter: Date;
}

/** A problem with the stored secrets that kubeseed must not paper over: one located diagnostic. */
function refuse(code: string, path: Diagnostic["path"], message: string, hint: string): never {
  throw new UserError(message, [{ severity: "error", code, path, message, hint }]);
}

async function prepareCa(id: CaId, opts: IssueOptions, prior: SecretsBundle | undefined, deps: IssueDeps, notes: string[]): Promise<SigningCa | KeylessCa> {
  const stored = prior?.cas?.[id];
  if (!stored) return createCa(id, { keyAlgorithm: opts.keyAlgorithm, validityHours: opts.caValidityHours }, deps);
  if (stored.key === undefined) return { id, keyless: true, certPem: stored.cert, fingerprint: certFingerprint(stored.cert), notAfter: certValidity(stored.cert).notAfter };
  const ca = await loadCa(id, stored.cert, stored.key);
  const now = deps.clock.now().getTime();
  if (ca.notAfter.getTime() <= now) refuse("pki.ca-expired", ["cas", id, "cert"], messages.pki.caExpired(id, ca.notAfter), messages.pki.caExpiredHint);
  if (ca.notBefore.getTime() > now) refuse("pki.ca-not-yet-valid", ["cas", id, "cert"], messages.pki.caNotYetValid(id, ca.notBefore), messages.pki.notYetValidHint);
  if (ca.algorithm !== opts.keyAlgorithm) notes.push(messages.pki.caAlgorithm(id, ca.algorithm, opts.keyAlgorithm));
  return ca;
}

async function serviceAccount(opts: IssueOptions, prior: SecretsBundle | undefined, deps: IssueDeps, notes: string[]) {
  const stored = prior?.serviceAccount;
  if (stored?.key && stored.pub) {
    const has = parsePrivateKeyPem(stored.key).algorithm;
    if (has !== opts.keyAlgorithm) notes.push(messages.pki.saAlgorithm(has, opts.keyAlgorithm));
    return { key: stored.key, pub: stored.pub };
  }
  const k = await keyPems(deps.keys, opts.keyAlgorithm);
  return { key: k.privateKeyPem, pub: k.publicKeyPem };
}

/**
 * A stored leaf of the request's very spec that its CA did not sign, or that is not valid yet, is
 * refused (the file was changed); whether a sound one is reused is pki/reissue.ts's decision.
 */
function checkStored(id: string, stored: StoredCert | undefined, hash: string, ca: { id: CaId }, caCert: X509Certificate, now: number): void {
  if (!stored || stored.specHash !== hash) return;
  const leaf = parsedCertificate(stored.cert);
  if (!issuedBy(leaf, caCert)) refuse("pki.leaf-other-ca", ["certs", id, "cert"], messages.pki.leafOtherCa(id, ca.id), messages.pki.leafOtherCaHint);
  const { notBefore } = certValidity(stored.cert);
  if (notBefore.getTime() > now) refuse("pki.leaf-not-yet-valid", ["certs", id, "cert"], messages.pki.leafNotYetValid(id, notBefore), messages.pki.notYetValidHint);
}

/** Every certificate a keyless CA would have to sign, one located diagnostic per CA. */
function keylessCaError(blocked: Map<CaId, string[]>): UserError {
  const K = messages.options.keyless;
  const diags = [...blocked].map(([ca, ids]) => ({ severity: "error" as const, code: "pki.ca-keyless", path: ["cas", ca, "key"], message: K.cannotSign(ca, ids.sort()), hint: K.cannotSignHint }));
  return new UserError(diags[0].message, diags);
}

export async function issueCerts(requests: CertRequest[], opts: IssueOptions, prior: SecretsBundle | undefined, deps: IssueDeps): Promise<IssueResult> {
  if (prior && prior.cluster !== opts.cluster) {
    const message = messages.pki.otherCluster(prior.cluster, opts.cluster);
    throw new UserError(message, [{ severity: "error", code: "pki.other-cluster", path: ["cluster"], message }]);
  }
  const seen = new Set<string>();
  for (const r of requests) {
    if (seen.has(r.id)) throw new Error(`internal: certificate id ${r.id} requested twice`);
    seen.add(r.id);
  }
  const notes: string[] = [];
  // the core CAs always; an optional CA when a request needs it or an earlier run made it (never dropped)
  const caIds: CaId[] = [...CA_IDS, ...OPTIONAL_CA_IDS.filter((id) => prior?.cas?.[id] || requests.some((r) => r.signer === id))];
  const caNotes: string[][] = caIds.map(() => []);
  const [cas, sa] = await Promise.all([
    Promise.all(caIds.map((id, i) => prepareCa(id, opts, prior, deps, caNotes[i]))),
    serviceAccount(opts, prior, deps, notes),
  ]);
  notes.unshift(...caNotes.flat());
  const byId = Object.fromEntries(cas.map((c) => [c.id, c])) as Record<CaId, SigningCa | KeylessCa>;
  const blocked = new Map<CaId, string[]>();
  const caCerts = Object.fromEntries(cas.map((c) => [c.id, parsedCertificate(c.certPem)])) as Record<CaId, X509Certificate>;
  const now = deps.clock.now();
  const leafOpts = { keyAlgorithm: opts.keyAlgorithm, validityHours: opts.certValidityHours };

  const issued: string[] = [];
  const reused: string[] = [];
  const reasons: Record<string, Reissue> = {};
  const progress = deps.progress ?? NO_PROGRESS;
  let done = 0;
  const step = <T>(value: T): T => {
    progress({ stage: "certificates", done: ++done, total: requests.length });
    return value;
  };
  const results = await Promise.all(
    requests.map(async (req): Promise<[string, StoredCert]> => {
      const ca = byId[req.signer];
      const hash = specHash({ request: req, keyAlgorithm: opts.keyAlgorithm, certValidityHours: opts.certValidityHours, caFingerprint: ca.fingerprint });
      const stored = prior?.certs?.[req.id];
      checkStored(req.id, stored, hash, ca, caCerts[req.signer], now.getTime());
      const why = reissueReason(stored, req, { hash, keyAlgorithm: opts.keyAlgorithm, caCertPem: ca.certPem, caNotAfter: ca.notAfter, now, renewBeforeMs: windowMs(opts) });
      if (stored && !why) {
        reused.push(req.id);
        return step([req.id, stored]);
      }
      if ("keyless" in ca) {
        blocked.set(ca.id, [...(blocked.get(ca.id) ?? []), req.id]);
        return step([req.id, { specHash: hash, cert: "", key: "" }]);
      }
      issued.push(req.id);
      reasons[req.id] = why!;
      const leaf = await signLeaf(req, ca, leafOpts, deps);
      return step([req.id, { specHash: hash, cert: leaf.cert, key: leaf.key }]);
    }),
  );
  if (blocked.size) throw keylessCaError(blocked);
  const certs: Record<string, StoredCert> = {};
  for (const [id, c] of [...results].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) certs[id] = c;
  const removed = Object.keys(prior?.certs ?? {}).filter((id) => !seen.has(id));

  const secrets: SecretsBundle = {
    format: SECRETS_FORMAT,
    cluster: opts.cluster,
    cas: Object.fromEntries(cas.map((c) => [c.id, "keyless" in c ? { cert: c.certPem } : { cert: c.certPem, key: c.keyPem }])) as SecretsBundle["cas"],
    serviceAccount: sa,
    bootstrapToken: prior?.bootstrapToken || generateBootstrapToken(deps.random),
    encryptionKey: prior?.encryptionKey || generateEncryptionKey(deps.random),
    certs,
  };
  return { secrets, issued: issued.sort(), reused: reused.sort(), removed: removed.sort(), reasons: Object.fromEntries(Object.entries(reasons).sort(([a], [b]) => (a < b ? -1 : 1))), notes };
}
