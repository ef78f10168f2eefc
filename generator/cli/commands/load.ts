/**
 * Shared by validate and generate: read the profile chain, validate it, print warnings, and turn
 * errors into a UserError that carries every diagnostic.
 */
import { hasErrors, renderDiagnostic, sortDiagnostics } from "../../core/diagnostics.js";
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { readProfileSources } from "../../io/profile-files.js";
import { loadProfile } from "../../profile/index.js";
import type { ProfileInput } from "../../profile/schema.js";

export function loadValidProfile(ref: string, cwd: string, strict: boolean): { profile: ProfileInput; file: string } {
  const sources = readProfileSources(ref, cwd);
  const file = sources[0].file;
  const { profile, diagnostics } = loadProfile(sources);
  if (!profile || hasErrors(diagnostics, strict)) {
    throw new UserError(messages.cli.invalidProfile(file, diagnostics), diagnostics);
  }
  for (const d of sortDiagnostics(diagnostics)) process.stderr.write(renderDiagnostic(d) + "\n\n");
  return { profile, file };
}
