/**
 * `gen certs check --profile NAME`: kubeadm's `certs check-expiration` for the whole cluster, offline,
 * from the secrets file: every CA and leaf certificate with who holds it (from the profile's plan), its
 * notAfter, the whole days left and its status (ok, RENEW inside the renewal window pki.renewBefore,
 * EXPIRED). The table goes to stdout, the verdict and what to do to stderr.
 * Exit status (cli/exit-codes.ts): 0 when nothing expires within the window, 1 when anything does or
 * has expired (CAs included) — and 1 as well when there is no secrets file yet.
 * Reads only; never writes the secrets file or the output.
 */
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { holders } from "../../bundle/report.js";
import { buildModel } from "../../model/build.js";
import { expiryRows, type ExpiryRow } from "../../pki/expiry.js";
import { planCluster } from "../../plan/plan.js";
import type { Command } from "../args.js";
import { EXIT } from "../exit-codes.js";
import { places, priorSecrets } from "./inputs.js";
import { loadValidProfile } from "./load.js";

const E = messages.expiry;

/** The rows as a text table with a header, columns padded to their widest cell. */
export function expiryTable(rows: readonly ExpiryRow[], held: Map<string, string[]>): string {
  const cells = rows.map((r) => [r.id, held.get(r.id)?.join(", ") ?? E.notInProfile, r.notAfter.toISOString().slice(0, 16).replace("T", " "), String(r.daysLeft), E.status[r.status]]);
  const all = [E.header, ...cells];
  const widths = E.header.map((_, i) => Math.max(...all.map((c) => c[i].length)));
  return all.map((c) => c.map((x, i) => (i === 3 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join("  ").trimEnd()).join("\n") + "\n";
}

export async function certsCheckCommand(cmd: Extract<Command, { name: "certs-check" }>, cwd: string): Promise<number> {
  const { profile, auditPolicy } = await loadValidProfile(cmd.profile, cwd, cmd.strict);
  const at = places(profile, cmd, cwd);
  const secrets = priorSecrets(at);
  if (!secrets) throw new UserError(E.none(at.show(at.secretsFile), profile.metadata.name));
  const model = buildModel(profile, {}, { auditPolicy });
  const windowMs = model.pki.renewBeforeHours * 3600 * 1000;
  const rows = expiryRows(secrets, new Date(), windowMs);
  process.stdout.write(expiryTable(rows, holders(planCluster(model)).certs));
  const days = model.pki.renewBeforeHours / 24;
  const bad = rows.filter((r) => r.status !== "ok");
  if (bad.length === 0) {
    process.stderr.write(E.allOk(rows.length, days));
    return EXIT.ok;
  }
  process.stderr.write(E.due(bad.length, days));
  if (bad.some((r) => !r.ca)) process.stderr.write(E.leafHint(profile.metadata.name));
  if (bad.some((r) => r.ca)) process.stderr.write(E.caHint);
  return EXIT.failed;
}
