/**
 * Expiry of every certificate in a secrets bundle, kubeadm's `certs check-expiration` for a whole
 * cluster and offline: each CA (ca/<id>) and leaf with its subject, notAfter, whole days left and
 * whether it is inside the renewal window ("due") or already expired. `gen certs check` prints the
 * rows; `gen` turns the rows that are not "ok" into warnings (stderr and REPORT.md).
 * After a `gen` run a leaf is inside the window only when its CA ends first (re-issuing cannot extend
 * it), so such warnings name the CA rotation as the way out.
 * Guarantees: pure (time from the `now` passed in); rows in a fixed order: CAs in their order, then
 * leaves by id.
 */
import { messages } from "../core/messages.js";
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

function row(id: string, ca: boolean, pem: string, now: Date, windowMs: number): ExpiryRow {
  const c = parsedCertificate(pem);
  const notAfter = new Date(c.validTo);
  const left = notAfter.getTime() - now.getTime();
  const status: ExpiryStatus = left <= 0 ? "expired" : left < windowMs ? "due" : "ok";
  return { id, ca, subject: c.subject.split("\n").join(", "), notAfter, daysLeft: Math.floor(left / DAY_MS), status };
}

export function expiryRows(secrets: SecretsBundle, now: Date, windowMs: number): ExpiryRow[] {
  const cas = Object.entries(secrets.cas).map(([id, pair]) => row(`ca/${id}`, true, pair!.cert, now, windowMs));
  const leaves = Object.keys(secrets.certs)
    .sort()
    .map((id) => row(id, false, secrets.certs[id].cert, now, windowMs));
  return [...cas, ...leaves];
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** One warning per row that is not ok, naming what to do. */
export function expiryWarnings(rows: readonly ExpiryRow[]): string[] {
  const W = messages.expiry;
  return rows
    .filter((r) => r.status !== "ok")
    .map((r) => (r.ca ? W.ca(r.id.slice(3), day(r.notAfter), r.status === "expired") : W.leaf(r.id, day(r.notAfter), r.status === "expired")));
}
