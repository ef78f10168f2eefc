/**
 * What in an output directory kubeseed wrote, and what it did not. The marker file `.kubeseed-output`
 * lists every path kubeseed wrote there (one per line after its first line); everything else in the
 * directory is the user's, and kubeseed never deletes or overwrites it (write-dir.ts).
 * A marker of kubeseed before 0.2 holds only its first line: such a directory was documented as
 * replaced whole, so all of it counts as kubeseed's. A `gen` run's marker may carry, as its second
 * line, the stamp that lets the next run with the same inputs skip (cli/commands/up-to-date.ts).
 * Guarantees: reads only (lstat, never following symbolic links); foreign entries are reported as
 * the top-most path that holds nothing of kubeseed's (a user's folder is one entry, not its files).
 */
import { lstatSync, readdirSync, readFileSync, type Dirent } from "node:fs";
import { join } from "node:path";

/** Marker file that says a directory is kubeseed output, and lists what kubeseed wrote. */
export const OUTPUT_MARKER = ".kubeseed-output";
const MARKER_HEAD = "kubeseed output directory: the next `gen` run replaces the files listed below and keeps every other file";

/** The marker line that carries the run's stamp (cli/commands/up-to-date.ts); no path starts with '#'. */
const STAMP_PREFIX = "#up-to-date ";

/** The marker's text for the given paths (sorted, one per line), after the run's stamp when given. */
export function markerText(paths: readonly string[], stamp?: string): string {
  return `${MARKER_HEAD}\n${stamp === undefined ? "" : `${STAMP_PREFIX}${stamp}\n`}${[...paths].sort().join("\n")}\n`;
}

/** The stamp the marker of `dir` carries, if any. */
export function readStamp(dir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, OUTPUT_MARKER), "utf8");
  } catch {
    return undefined;
  }
  const [head, second] = text.split("\n", 2);
  return head === MARKER_HEAD && second?.startsWith(STAMP_PREFIX) ? second.slice(STAMP_PREFIX.length) : undefined;
}

export interface OutputState {
  exists: boolean;
  /** paths kubeseed wrote ("all": a marker without a list) */
  owned: ReadonlySet<string> | "all";
  /** top-most entries kubeseed did not write, relative, '/'-separated */
  foreign: string[];
}

function readOwned(dir: string): ReadonlySet<string> | "all" {
  let text: string;
  try {
    text = readFileSync(join(dir, OUTPUT_MARKER), "utf8");
  } catch {
    return new Set();
  }
  const [head, ...rest] = text.split("\n");
  if (head !== MARKER_HEAD) return "all";
  return new Set([OUTPUT_MARKER, ...rest.filter((l) => l !== "" && !l.startsWith(STAMP_PREFIX))]);
}

/** Every folder that holds one of `paths` (relative, '/'-separated): one pass, so the checks below stay linear. */
function foldersOf(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const p of paths) {
    for (let i = p.lastIndexOf("/"); i > 0; i = p.lastIndexOf("/", i - 1)) {
      const folder = p.slice(0, i);
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return folders;
}

function collectForeign(root: string, rel: string, owned: ReadonlySet<string>, folders: ReadonlySet<string>, out: string[]): void {
  // readdir's entry types are lstat's (a symbolic link is never taken for the folder it points to)
  for (const e of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = rel === "" ? e.name : `${rel}/${e.name}`;
    if (isDirectory(root, p, e) && folders.has(p)) collectForeign(root, p, owned, folders, out);
    else if (!owned.has(p)) out.push(p);
  }
}

/** Whether an entry is a directory, asking lstat only when readdir could not tell (some file systems). */
function isDirectory(root: string, p: string, e: Dirent): boolean {
  return e.isDirectory() || (e.isFile() || e.isSymbolicLink() ? false : lstatSync(join(root, p)).isDirectory());
}

/** The state of an existing directory `dir` (which must be a directory) or of a missing one. */
export function outputState(dir: string, exists: boolean): OutputState {
  if (!exists) return { exists, owned: new Set(), foreign: [] };
  const owned = readOwned(dir);
  const foreign: string[] = [];
  if (owned !== "all") collectForeign(dir, "", owned, foldersOf(owned), foreign);
  return { exists, owned, foreign };
}

/** The first path component of a relative path. */
export function topOf(rel: string): string {
  return rel.split("/")[0];
}

/**
 * Foreign entries that stand where kubeseed writes: at or above one of `paths`, or inside one of the
 * top-level folders kubeseed replaces (`tops`), where replacing the folder would take them along.
 */
export function inTheWay(foreign: readonly string[], paths: readonly string[], tops: ReadonlySet<string>): string[] {
  if (foreign.length === 0) return [];
  const written = new Set(paths);
  const folders = foldersOf(paths);
  return foreign.filter((f) => tops.has(topOf(f)) || written.has(f) || folders.has(f));
}
