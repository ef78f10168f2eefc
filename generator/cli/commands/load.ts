/**
 * Shared by validate and generate: read the profile chain, validate it, print warnings, and turn
 * errors into a UserError that carries every diagnostic; then read and check spec.audit.policyFile.
 * zod (the structure's messages) loads only for a profile that does not pass the quick check.
 */
import { hasErrors, renderDiagnostic, sortDiagnostics } from "../../core/diagnostics.js";
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { readProfileSources } from "../../io/profile-files.js";
import { readProfileJsonSchema } from "../../io/profile-schema.js";
import { loadProfileWith, type LoadedProfile, type Locator } from "../../profile/load.js";
import type { ProfileSource } from "../../profile/parse.js";
import { schemaChecker } from "../../profile/schema-check.js";
import { readAuditPolicy } from "../../io/audit-policy.js";
import type { ProfileInput } from "../../profile/schema.js";

/**
 * The chain loaded: its structure checked by the quick check of profile/schema-check.ts when the
 * profile passes it, by zod (loaded then) when it does not, to say every problem.
 */
export async function checkProfile(sources: ProfileSource[]): Promise<LoadedProfile> {
  const quick = schemaChecker(readProfileJsonSchema());
  const loaded = quick && loadProfileWith(sources, (doc) => {
    const data = quick(doc) as ProfileInput | undefined;
    return data && { data, findings: [] };
  });
  return loaded ?? (await import("../../profile/index.js")).loadProfile(sources);
}

/** The valid profile, its file, and the files next to it the model needs (the audit policy), checked. */
export async function loadValidProfile(ref: string, cwd: string, strict: boolean): Promise<{ profile: ProfileInput; file: string; auditPolicy?: { file: string; text: string } }> {
  const sources = readProfileSources(ref, cwd);
  const file = sources[0].file;
  const { profile, diagnostics, locate } = await checkProfile(sources);
  if (!profile || hasErrors(diagnostics, strict)) {
    throw new UserError(messages.cli.invalidProfile(file, diagnostics), diagnostics);
  }
  for (const d of sortDiagnostics(diagnostics)) process.stderr.write(renderDiagnostic(d) + "\n\n");
  return { profile, file, auditPolicy: readAuditPolicy(profile, locate as Locator, cwd) };
}
