/**
 * The profile stage: a chain of profile texts → one validated ProfileInput, or every problem.
 * parse (each file, positions kept) → merge (extends overlay, merge.ts) → validate (zod schema,
 * then the named rules of rules.ts) → locate (each finding back to file:line:col).
 * Guarantees: pure (io/profile-files.ts reads the files); never throws on user input; `profile`
 * is set only when there is no error (warnings allowed); every diagnostic carries a loc. A file
 * that does not identify as a profile (parse.ts profileIdentified) gets one `not-a-profile`
 * diagnostic naming it, and nothing of its content.
 */
import { z } from "zod";
import { hasErrors, type Diagnostic, type SourceLocation } from "../core/diagnostics.js";
import { locate, sourceLocation, type Finding } from "./locate.js";
import { child, mergeChain, toPlain, withoutKey, type LNode, type PathKey } from "./merge.js";
import { parseSource, profileIdentified, type ParsedSource, type ProfileSource } from "./parse.js";
import { messages } from "../core/messages.js";
import { runRules } from "./rules.js";
import { profileSchema, type ProfileInput } from "./schema.js";
import { validateStructure } from "./validate.js";

export type { ProfileSource } from "./parse.js";
export type { ProfileInput } from "./schema.js";

/** Where a path of the merged profile is written (file, line, column, the line). */
export type Locator = (path: readonly PathKey[]) => SourceLocation | undefined;

/** Loads a chain given most-derived first (as readProfileSources returns it); `locate` finds any path of it. */
export function loadProfile(sources: ProfileSource[]): { profile?: ProfileInput; diagnostics: Diagnostic[]; locate?: Locator } {
  const parsed = sources.map(parseSource);
  const fileErrors = parsed.flatMap((p, i) => (p.empty || profileIdentified(p.identity, i) ? p.diagnostics : [notAProfile(p)]));
  if (fileErrors.length) return { diagnostics: fileErrors };
  const merged = mergeChain(parsed.map((p) => withoutKey(p.root as LNode, "extends")));
  if (!merged) return { diagnostics: [] };

  const doc = toPlain(merged);
  const structure = validateStructure(doc, (path) => rawScalar(merged, path));
  const findings = [...structure.findings, ...runRules(doc)];
  const diagnostics = findings.map((f) => toDiagnostic(f, merged, parsed));
  const profile = hasErrors(diagnostics) ? undefined : structure.data;
  return { profile, diagnostics, locate: (path) => locate(merged, parsed, path) };
}

/** The one thing said about a file that is not a profile: its name, nothing of its content. */
function notAProfile(p: ParsedSource): Diagnostic {
  const M = messages.profile;
  return { severity: "error", code: "not-a-profile", path: [], message: M.notAProfile(p.file), hint: M.notAProfileHint, loc: { file: p.file, line: 1, col: 1 } };
}

function toDiagnostic(f: Finding, root: LNode, sources: Parameters<typeof locate>[1]): Diagnostic {
  const { anchor, ...d } = f;
  const loc = locate(root, sources, f.path, anchor) ?? (sources[0] && sourceLocation(sources[0], 0));
  return { ...d, loc };
}

/** The source text of the scalar at path (to quote a number back as written). */
function rawScalar(root: LNode, path: readonly PathKey[]): string | undefined {
  let node: LNode | undefined = root;
  for (const key of path) node = node && child(node, key)?.node;
  return node?.kind === "scalar" ? node.raw : undefined;
}

/**
 * The JSON Schema of the profile (draft-07, which editors' YAML language servers read), generated
 * from the zod schema: deterministic text, 2-space indent, trailing newline.
 */
export function profileJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(profileSchema, { target: "draft-7", io: "input" }), null, 2) + "\n";
}
