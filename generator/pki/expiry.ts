/**
 * Expiry of every certificate in a secrets bundle, kubeadm's `certs check-expiration` for a whole
 * cluster and offline: each CA (ca/<id>) and leaf with its subject, notAfter, whole days left and
 * whether it is inside the renewal window ("due") or already expired. `gen certs check` prints the
 * rows; `gen` turns the rows that are not "ok" into warnings (stderr and REPORT.md).
 * After a `gen` run a leaf is inside the window only when its CA ends first (re-issuing cannot extend
 * it), so such warnings name the CA rotation as the way out.
 * Guarantees: pure (time from the `now` passed in); rows in a fixed order: CAs in their order, then
 * leaves by id. `expiryFacts` (what `gen` needs) reads each notAfter from the DER (pki/der-read.ts);
 * `expiryRows` adds the subjects from a full parse, for `gen certs check`.
 */
import { messages } from "../core/messages.js";
import { pemNotAfter } from "./der-read.js";
import { parsedCertificate } from "./pem.js";
import type { SecretsBundle } from "./secrets.js";

export type ExpiryStatus = "ok" | "due" | "expired";

export interface ExpiryRow {
  /** ca/<id> for a CA, else the certificate id of the secrets file */
  id: string;
  ca: boolean;
  subject: string;
  notAfter: Date;
  /** whole days from now to notAfter (negative once expired) */
  daysLeft: number;
  status: ExpiryStatus;
}

const DAY_MS = 24 * 3600 * 1000;

/** A row without the subject: what the expiry warnings need. */
export type ExpiryFact = Omit<ExpiryRow, "subject">;

function fact(id: string, ca: boolean, pem: string, now: Date, windowMs: number): ExpiryFact {
  const notAfter = pemNotAfter(pem);
  const left = notAfter.getTime() - now.getTime();
  const status: ExpiryStatus = left <= 0 ? "expired" : left < windowMs ? "due" : "ok";
  return { id, ca, notAfter, daysLeft: Math.floor(left / DAY_MS), status };
}

/** Every certificate's PEM with its row id and whether it is a CA, in the rows' order. */
function certificates(secrets: SecretsBundle): { id: string; ca: boolean; pem: string }[] {
  const cas = Object.entries(secrets.cas).map(([id, pair]) => ({ id: `ca/${id}`, ca: true, pem: pair!.cert }));
  const leaves = Object.keys(secrets.certs)
    .sort()
    .map((id) => ({ id, ca: false, pem: secrets.certs[id].cert }));
  return [...cas, ...leaves];
}

export function expiryFacts(secrets: SecretsBundle, now: Date, windowMs: number): ExpiryFact[] {
  return certificates(secrets).map((c) => fact(c.id, c.ca, c.pem, now, windowMs));
}

export function expiryRows(secrets: SecretsBundle, now: Date, windowMs: number): ExpiryRow[] {
  return certificates(secrets).map((c) => {
    const { id, ca, notAfter, daysLeft, status } = fact(c.id, c.ca, c.pem, now, windowMs);
    return { id, ca, subject: parsedCertificate(c.pem).subject.split("\n").join(", "), notAfter, daysLeft, status };
  });
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** One warning per row that is not ok, naming what to do. */
export function expiryWarnings(rows: readonly ExpiryFact[]): string[] {
  const W = messages.expiry;
  return rows
    .filter((r) => r.status !== "ok")
    .map((r) => (r.ca ? W.ca(r.id.slice(3), day(r.notAfter), r.status === "expired") : W.leaf(r.id, day(r.notAfter), r.status === "expired")));
}
