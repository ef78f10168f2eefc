/**
 * Diagnostics: the one shape every user-facing problem takes.
 * Guarantees: a Diagnostic always carries a code, a dotted path into the profile and a message;
 * `loc` is filled by profile/locate once the problem is mapped back to its file. Never throws.
 * renderDiagnostic never passes user text through raw: control characters are escaped and the
 * source line is cut to a window around the column (core/excerpt.ts); a loc without `text` (the
 * secrets file, whose lines are keys) shows the place only.
 */
import { escapeControls, excerpt, lineWindow } from "./excerpt.js";

export type Severity = "error" | "warning";

export interface SourceLocation {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  /** the offending source line, without its newline; absent when the file's text must not be shown */
  text?: string;
}

export interface Diagnostic {
  severity: Severity;
  code: string;
  /** path into the profile document, e.g. ["spec", "nodes", 2, "address"] */
  path: (string | number)[];
  message: string;
  hint?: string;
  loc?: SourceLocation;
}

/** Renders a path as `spec.nodes[2].address`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? excerpt(p) : `.${excerpt(p)}`;
  }
  return out === "" ? "<root>" : out;
}

export function hasErrors(diags: readonly Diagnostic[], strict = false): boolean {
  return diags.some((d) => d.severity === "error" || (strict && d.severity === "warning"));
}

/** Stable order: by file position when known, then by path, so reports never shuffle between runs. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => {
    const la = a.loc ? a.loc.line * 10000 + a.loc.col : Number.MAX_SAFE_INTEGER;
    const lb = b.loc ? b.loc.line * 10000 + b.loc.col : Number.MAX_SAFE_INTEGER;
    if (la !== lb) return la - lb;
    const pa = formatPath(a.path);
    const pb = formatPath(b.path);
    return pa < pb ? -1 : pa > pb ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}

/** Human rendering used by the CLI: `error[path]: message`, `--> file:line:col`, the line, a caret, a hint. */
export function renderDiagnostic(d: Diagnostic): string {
  const lines = [`${d.severity}[${formatPath(d.path)}]: ${escapeControls(d.message)} (${d.code})`];
  if (d.loc) {
    const num = String(d.loc.line);
    const pad = " ".repeat(num.length);
    lines.push(`${pad}--> ${escapeControls(d.loc.file)}:${d.loc.line}:${d.loc.col}`);
    if (d.loc.text !== undefined) {
      const shown = lineWindow(d.loc.text, d.loc.col);
      lines.push(`${pad} |`);
      lines.push(`${num} | ${shown.text}`);
      lines.push(`${pad} | ${" ".repeat(Math.max(0, shown.col - 1))}^`);
    }
  }
  if (d.hint) lines.push(`  = try: ${escapeControls(d.hint)}`);
  return lines.join("\n");
}
