/**
 * Diagnostics: the one shape every user-facing problem takes.
 * Guarantees: a Diagnostic always carries a code, a dotted path into the profile and a message;
 * `loc` is filled by profile/locate once the problem is mapped back to its file. Never throws.
 */
export type Severity = "error" | "warning";

export interface SourceLocation {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  /** the offending source line, without its newline */
  text: string;
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
    else out += out === "" ? p : `.${p}`;
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
  const lines = [`${d.severity}[${formatPath(d.path)}]: ${d.message} (${d.code})`];
  if (d.loc) {
    const num = String(d.loc.line);
    const pad = " ".repeat(num.length);
    lines.push(`${pad}--> ${d.loc.file}:${d.loc.line}:${d.loc.col}`);
    lines.push(`${pad} |`);
    lines.push(`${num} | ${d.loc.text}`);
    lines.push(`${pad} | ${" ".repeat(Math.max(0, d.loc.col - 1))}^`);
  }
  if (d.hint) lines.push(`  = try: ${d.hint}`);
  return lines.join("\n");
}
