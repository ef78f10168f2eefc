/**
 * Shared by validate and generate: read the profile chain, validate it, print warnings, and turn
 * errors into a UserError that carries every diagnostic; then read and check spec.audit.policyFile.
 */
import { hasErrors, renderDiagnostic, sortDiagnostics } from "../../core/diagnostics.js";
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { readProfileSources } from "../../io/profile-files.js";
import { loadProfile, type Locator } from "../../profile/index.js";
import { readAuditPolicy } from "../../io/audit-policy.js";
import type { ProfileInput } from "../../profile/schema.js";

/** The valid profile, its file, and the files next to it the model needs (the audit policy), checked. */
export function loadValidProfile(ref: string, cwd: string, strict: boolean): { profile: ProfileInput; file: string; auditPolicy?: { file: string; text: string } } {
  const sources = readProfileSources(ref, cwd);
  const file = sources[0].file;
  const { profile, diagnostics, locate } = loadProfile(sources);
  if (!profile || hasErrors(diagnostics, strict)) {
    throw new UserError(messages.cli.invalidProfile(file, diagnostics), diagnostics);
  }
  for (const d of sortDiagnostics(diagnostics)) process.stderr.write(renderDiagnostic(d) + "\n\n");
  return { profile, file, auditPolicy: readAuditPolicy(profile, locate as Locator, cwd) };
}
