/**
 * Maps a path into the merged profile back to file:line:col (STYLE rule 6).
 * Guarantees: pure; never throws; a path that does not exist (a missing field) is located at the
 * deepest part that does exist, on its key, so "missing field" points at the parent mapping's key.
 * Columns are 1-based character columns of the source line.
 */
import type { LineCounter } from "yaml";
import type { Diagnostic, SourceLocation } from "../core/diagnostics.js";
import { child, type LNode, type PathKey, type Pos } from "./merge.js";

/** One parsed file of the chain: its display name, text and line index. */
export interface SourceText {
  file: string;
  text: string;
  lineCounter: LineCounter;
}

/** Where a finding points when its path exists: at the value (default) or at the key naming it. */
export type Anchor = "value" | "key";

/** A diagnostic before it is located: what validate.ts and the rules produce. */
export interface Finding extends Omit<Diagnostic, "loc"> {
  anchor?: Anchor;
}

/** file:line:col and the source line of an offset in one source. */
export function sourceLocation(source: SourceText, offset: number): SourceLocation {
  const { line, col } = source.lineCounter.linePos(Math.max(0, Math.min(offset, source.text.length)));
  const start = source.lineCounter.lineStarts[line - 1] ?? 0;
  const end = source.text.indexOf("\n", start);
  const text = source.text.slice(start, end === -1 ? undefined : end).replace(/\r$/, "");
  return { file: source.file, line, col, text };
}

/**
 * Locates `path` in the merged tree. An existing path points at its value (or at its key with
 * anchor "key"; list items have no key and point at the item). An empty value points at its key.
 */
export function locate(root: LNode, sources: readonly SourceText[], path: readonly PathKey[], anchor: Anchor = "value"): SourceLocation | undefined {
  let node = root;
  let keyPos: Pos | undefined;
  for (let i = 0; i < path.length; i++) {
    const next = child(node, path[i]);
    if (!next) return at(sources, keyPos ?? node.pos);
    node = next.node;
    keyPos = next.keyPos;
  }
  const emptyValue = node.kind === "scalar" && node.raw === "";
  const pos = (anchor === "key" || emptyValue) && keyPos ? keyPos : node.pos;
  return at(sources, pos);
}

function at(sources: readonly SourceText[], pos: Pos): SourceLocation | undefined {
  const source = sources[pos.src];
  return source && sourceLocation(source, pos.offset);
}
