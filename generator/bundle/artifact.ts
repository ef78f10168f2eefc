/**
 * Artifact: one output file held in memory, with its path relative to the output directory (built by
 * core/layout.ts), its mode and whether it holds secret material; a node's artifact also names its node
 * and kind, so that what selects node artifacts reads fields rather than paths. A Bundle is the sorted
 * list of them; writers in io/ put it on disk (or in an archive) without changing any byte.
 */
import type { NodeKind } from "../core/layout.js";

export interface Artifact {
  /** POSIX path relative to the output directory, no leading slash, no `..` */
  path: string;
  mode: number;
  contents: string | Uint8Array;
  sensitive: boolean;
  /** a node's artifact: its node (nodes/NODE/…, nodes/NODE.tar.gz) */
  node?: string;
  /** a node's artifact: what it is (core/layout.ts); set together with `node` */
  kind?: NodeKind;
  /**
   * Contents of other artifacts that `contents` (bytes) holds whole, each as the very bytes object the
   * other artifact has (a seed ISO holds its node's user-data): archives deflate such a piece once for
   * every archive and every content that holds it (io/archive.ts).
   */
  pieces?: readonly ContentPiece[];
}

/** `bytes`, byte for byte, at offset `at` of a content. */
export interface ContentPiece {
  at: number;
  bytes: Uint8Array;
}

export interface Bundle {
  artifacts: Artifact[];
}

/** The order of a Bundle: by path, as code units compare (no locale). */
export const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Sorts by path and rejects duplicate paths (a planner bug, never a user mistake). */
export function makeBundle(artifacts: Artifact[]): Bundle {
  const sorted = [...artifacts].sort(byPath);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].path === sorted[i - 1].path) throw new Error(`internal: two artifacts at ${sorted[i].path}`);
  }
  return { artifacts: sorted };
}

export function artifactBytes(a: Artifact): Uint8Array {
  return typeof a.contents === "string" ? new TextEncoder().encode(a.contents) : a.contents;
}

/** The same bundle with every text encoded once (for writers that read each file's bytes more than once). */
export function encodedBundle(b: Bundle): Bundle {
  return { artifacts: b.artifacts.map((a) => (typeof a.contents === "string" ? { ...a, contents: artifactBytes(a) } : a)) };
}
