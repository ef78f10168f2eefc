/**
 * Reads spec.audit.policyFile, relative to the profile file that names it (as `extends`), and has it
 * checked (profile/audit-policy.ts). Guarantees: returns the file's text only when kube-apiserver would
 * accept it; otherwise throws one UserError carrying every located problem (a missing or unreadable file
 * is located at the profile's policyFile line). Reads nothing without spec.audit.policyFile.
 */
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { SourceLocation } from "../core/diagnostics.js";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { checkAuditPolicy } from "../profile/audit-policy.js";
import type { ProfileInput } from "../profile/schema.js";

const M = messages.options.rules;
const PATH = ["spec", "audit", "policyFile"];

export function readAuditPolicy(profile: ProfileInput, locate: (path: string[]) => SourceLocation | undefined, cwd: string): { file: string; text: string } | undefined {
  const ref = profile.spec.audit?.policyFile;
  if (ref === undefined) return undefined;
  const loc = locate(PATH);
  const file = resolve(cwd, loc ? dirname(loc.file) : ".", ref);
  const shown = relative(cwd, file) || file;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === "ENOENT" ? M.auditPolicyMissing(shown) : M.auditPolicyUnreadable(shown, code ?? String(e));
    throw new UserError(message, [{ severity: "error", code: "audit-policy-missing", path: PATH, message, hint: M.auditPolicyMissingHint, loc }]);
  }
  const problems = checkAuditPolicy(text, shown);
  if (problems.length) throw new UserError(M.auditPolicyShape(`${problems.length} problem${problems.length === 1 ? "" : "s"} in ${shown}`), problems);
  return { file: shown, text };
}
