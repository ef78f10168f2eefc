/**
 * output/NAME/manifest.json: the sha256 and mode of every file of the output, and the changes the
 * generation that wrote it made (bundle/changes.ts). The next run reads it back (io/previous-output.ts)
 * to say what it changes (`gen plan`, the run summary, REPORT.md's "Changed since the previous output").
 *
 * Left out of the hashes: the files that describe the run rather than the cluster (manifest.json,
 * report.json, REPORT.md) and the files `--format` derives from the others (nodes/NODE/seed.iso,
 * nodes/NODE.tar.gz), which change exactly when their node's documents do.
 * Guarantees: pure and deterministic (paths sorted); a hash reveals nothing of a key or token (sha256 of
 * high-entropy material); parseManifest never throws: a file it cannot read as a manifest is ignored
 * (undefined), so a damaged manifest only costs the comparison, never the run.
 */
import { createHash, hash } from "node:crypto";
import { OUTPUT, parseNodePath } from "../core/layout.js";
import { byPath, type Artifact } from "./artifact.js";
import type { Changes } from "./changes.js";

export const MANIFEST_FORMAT = "kubeseed.manifest/v1";
export const MANIFEST_PATH = OUTPUT.manifest;

const META = new Set<string>([MANIFEST_PATH, OUTPUT.reportJson, OUTPUT.report]);
const DERIVED = new Set<string>(["archive", "seed-iso"]);

/** True for output paths that take part in comparisons (not run metadata, not --format derivatives). */
export function comparedPath(path: string): boolean {
  return !META.has(path) && !DERIVED.has(parseNodePath(path)?.kind ?? "");
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  cluster: string;
  /** output path → "<sha256 hex> <octal mode>" */
  files: Record<string, string>;
  /** what the generation that wrote this output changed (carried over by a run that changes nothing) */
  changes: Changes;
}

/**
 * "<sha256 hex> <octal mode>" of one file's bytes (text: its UTF-8 bytes, as artifactBytes gives them)
 * and mode (io/previous-output.ts hashes files on disk the same way).
 */
export function fileHash(contents: string | Uint8Array, mode: number): string {
  return `${hash("sha256", contents, "hex")} ${(mode & 0o7777).toString(8)}`;
}

/** The compared files of a bundle, sorted by path. */
export function fileHashes(artifacts: readonly Artifact[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of [...artifacts].sort(byPath)) if (comparedPath(a.path)) out[a.path] = fileHash(a.contents, a.mode);
  return out;
}

export function manifestArtifact(m: Manifest): Artifact {
  return { path: MANIFEST_PATH, mode: 0o644, contents: `${JSON.stringify(m, null, 2)}\n`, sensitive: false };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The manifest in `text`, or undefined when it is not one (wrong format, damaged). */
export function parseManifest(text: string): Manifest | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || doc.format !== MANIFEST_FORMAT || typeof doc.cluster !== "string" || !isRecord(doc.files) || !isRecord(doc.changes)) return undefined;
  if (!Object.values(doc.files).every((v) => typeof v === "string" && /^[0-9a-f]{64} [0-7]+$/.test(v))) return undefined;
  return doc as unknown as Manifest;
}

/**
 * One digest of a set of files: sha256 over a "PATH HASH" line per file (HASH as fileHash gives it),
 * in path order. The up-to-date stamp holds it for the whole output (cli/commands/up-to-date.ts), and
 * io/up-to-date.ts computes it again from the disk.
 */
export function treeDigest(hashes: ReadonlyMap<string, string>): string {
  const h = createHash("sha256");
  for (const path of [...hashes.keys()].sort()) h.update(`${path} ${hashes.get(path)}\n`);
  return h.digest("hex");
}
