/**
 * How long what a run rendered stays what a run would render: the clock enters the output only through
 * decisions taken against certificate dates — a leaf re-issued inside the renewal window, an expiry
 * warning ("due" inside the window, "expired" after), the join method (the bootstrap token until
 * "secrets made + TTL", then pre-issued credentials: bundle/join-policy.ts), a CA refused before its
 * notBefore. `renderWindow` gives the span of clock readings in which none of them can differ from
 * what they were for these secrets: from the latest notBefore to the earliest renewal point (notAfter
 * minus the renewal window) or token expiry. The CLI skips a run whose inputs are those of the previous
 * run and whose clock is inside the window (cli/commands/up-to-date.ts).
 * Guarantees: pure; conservative (a certificate that cannot be renewed because its CA ends first
 * closes the window at its renewal point all the same: such runs warn, and are never skipped).
 */
import type { ClusterModel } from "../model/types.js";
import { CA_BACKDATE_MS } from "../pki/cert-rules.js";
import { pemValidity } from "../pki/der-read.js";
import type { SecretsBundle } from "../pki/secrets.js";

export interface RenderWindow {
  /** first clock reading (ms since the epoch) at which the decisions hold */
  from: number;
  /** first clock reading at which one of them may change */
  until: number;
}

export function renderWindow(secrets: SecretsBundle, model: Pick<ClusterModel, "pki" | "join">): RenderWindow {
  const windowMs = model.pki.renewBeforeHours * 3600 * 1000;
  const pems = [...Object.values(secrets.cas).map((pair) => pair!.cert), ...Object.values(secrets.certs).map((c) => c.cert)];
  let from = -Infinity;
  let until = Infinity;
  for (const pem of pems) {
    const { notBefore, notAfter } = pemValidity(pem);
    from = Math.max(from, notBefore.getTime());
    until = Math.min(until, notAfter.getTime() - windowMs);
  }
  // the join method flips once, from the token to credentials at "secrets made + TTL" (join-policy.ts
  // reads "made" the same way); rendered with credentials, it stays so
  const ttlMs = model.pki.bootstrapTokenTTLHours * 3600 * 1000;
  if (model.join.method === "token" && ttlMs > 0) {
    const made = pemValidity(secrets.cas.kubernetes.cert).notBefore.getTime() + CA_BACKDATE_MS;
    until = Math.min(until, made + ttlMs);
  }
  return { from, until };
}
