/**
 * Helpers of the profile tests: the valid fixture, variants of it made by replacing whole lines
 * (so line numbers in expectations are those of test/fixtures/profiles/valid.yaml unless a
 * replacement adds lines), and a one-line summary per diagnostic for table assertions.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatPath, type Diagnostic } from "../../generator/core/diagnostics.js";
import { loadProfile } from "../../generator/profile/index.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/profiles/", import.meta.url));
export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const VALID = readFileSync(`${FIXTURES}valid.yaml`, "utf8");

/** Replaces every line equal to `from` by `to` (which may hold several lines, or be empty). */
export function variant(edits: readonly (readonly [from: string, to: string])[], base = VALID): string {
  const lines = base.split("\n");
  for (const [from, to] of edits) {
    const hits = lines.flatMap((l, i) => (l === from ? [i] : []));
    if (hits.length === 0) throw new Error(`fixture has no line ${JSON.stringify(from)}`);
    for (const i of hits) lines[i] = to;
  }
  return lines.join("\n");
}

/** `code path line` per diagnostic (`warning:` prefix for warnings), sorted. */
export function summary(diags: readonly Diagnostic[], withFile = false): string[] {
  return diags
    .map((d) => {
      const where = d.loc ? `${withFile ? `${d.loc.file}:` : ""}${d.loc.line}` : "?";
      return `${d.severity === "warning" ? "warning:" : ""}${d.code} ${formatPath(d.path)} ${where}`;
    })
    .sort();
}

export function load(text: string, file = "profile.yaml") {
  return loadProfile([{ file, text }]);
}
