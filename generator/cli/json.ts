/**
 * Machine-readable diagnostics for `--json` (validate; plan when it exists): the same diagnostics the
 * human rendering shows, as one JSON document on stdout, format `kubeseed.diagnostics/v1`:
 * { format, file, valid, errors, warnings, diagnostics: [{ severity, code, path, file, line, column,
 * message, hint }] } — path dotted as in `error[path]`, file/line/column null when a problem has no place
 * in a file, hint null when there is none; sorted as the human output is.
 * Guarantees: pure; stable key order; never includes the offending source line (it may hold a secret).
 */
import { formatPath, hasErrors, sortDiagnostics, type Diagnostic } from "../core/diagnostics.js";

export const DIAGNOSTICS_FORMAT = "kubeseed.diagnostics/v1";

export function diagnosticsJson(file: string, diagnostics: readonly Diagnostic[], valid: boolean): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const doc = {
    format: DIAGNOSTICS_FORMAT,
    file,
    valid,
    errors,
    warnings: diagnostics.length - errors,
    diagnostics: sortDiagnostics(diagnostics).map((d) => ({
      severity: d.severity,
      code: d.code,
      path: formatPath(d.path),
      file: d.loc?.file ?? null,
      line: d.loc?.line ?? null,
      column: d.loc?.col ?? null,
      message: d.message,
      hint: d.hint ?? null,
    })),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

/** valid = a profile came out and no error (with strict: no warning either). */
export function isValid(hasProfile: boolean, diagnostics: readonly Diagnostic[], strict: boolean): boolean {
  return hasProfile && !hasErrors(diagnostics, strict);
}
