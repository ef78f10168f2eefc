/**
 * The profile stage: a chain of profile texts → one validated ProfileInput, or every problem.
 * parse (each file, positions kept) → merge (extends overlay, merge.ts) → validate (the structure,
 * then the named rules of rules.ts) → locate (each finding back to file:line:col). The structure is
 * checked by the caller's function: validate.ts's (zod: every issue, with its message) or a quick
 * check (schema-check.ts) that may decline, so that zod loads only when a profile needs its messages.
 * Guarantees: pure (io/profile-files.ts reads the files); never throws on user input; `profile`
 * is set only when there is no error (warnings allowed); every diagnostic carries a loc. A file
 * that does not identify as a profile (parse.ts profileIdentified) gets one `not-a-profile`
 * diagnostic naming it, and nothing of its content.
 */
import { hasErrors, type Diagnostic, type SourceLocation } from "../core/diagnostics.js";
import { locate, sourceLocation, type Finding } from "./locate.js";
import { child, mergeChain, toPlain, withoutKey, type LNode, type PathKey } from "./merge.js";
import { parseSource, profileIdentified, type ParsedSource, type ProfileSource } from "./parse.js";
import { messages } from "../core/messages.js";
import { runRules } from "./rules.js";
import type { ProfileInput } from "./schema.js";
import type { RawLookup } from "./validate.js";

/** Where a path of the merged profile is written (file, line, column, the line). */
export type Locator = (path: readonly PathKey[]) => SourceLocation | undefined;

/** The structure's verdict: the profile as the schema gives it, or the findings. */
export interface Structure {
  data?: ProfileInput;
  findings: Finding[];
}

export interface LoadedProfile {
  profile?: ProfileInput;
  diagnostics: Diagnostic[];
  locate?: Locator;
}

/**
 * Loads a chain given most-derived first (as readProfileSources returns it), its structure checked
 * by `structure`; undefined when `structure` declines (undefined: it cannot tell).
 */
export function loadProfileWith(sources: ProfileSource[], structure: (doc: unknown, raw: RawLookup) => Structure | undefined): LoadedProfile | undefined {
  const parsed = sources.map(parseSource);
  const fileErrors = parsed.flatMap((p, i) => (p.empty || profileIdentified(p.identity, i) ? p.diagnostics : [notAProfile(p)]));
  if (fileErrors.length) return { diagnostics: fileErrors };
  const merged = mergeChain(parsed.map((p) => withoutKey(p.root as LNode, "extends")));
  if (!merged) return { diagnostics: [] };

  const doc = toPlain(merged);
  const checked = structure(doc, (path) => rawScalar(merged, path));
  if (!checked) return undefined;
  const findings = [...checked.findings, ...runRules(doc)];
  const diagnostics = findings.map((f) => toDiagnostic(f, merged, parsed));
  const profile = hasErrors(diagnostics) ? undefined : checked.data;
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
