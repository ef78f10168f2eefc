/**
 * What in an output directory kubeseed wrote, and what it did not. The marker file `.kubeseed-output`
 * lists every path kubeseed wrote there (one per line after its first line); everything else in the
 * directory is the user's, and kubeseed never deletes or overwrites it (write-dir.ts).
 * A marker of kubeseed before 0.2 holds only its first line: such a directory was documented as
 * replaced whole, so all of it counts as kubeseed's.
 * Guarantees: reads only (lstat, never following symbolic links); foreign entries are reported as
 * the top-most path that holds nothing of kubeseed's (a user's folder is one entry, not its files).
 */
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Marker file that says a directory is kubeseed output, and lists what kubeseed wrote. */
export const OUTPUT_MARKER = ".kubeseed-output";
const MARKER_HEAD = "kubeseed output directory: the next `gen` run replaces the files listed below and keeps every other file";

/** The marker's text for the given paths (sorted, one per line). */
export function markerText(paths: readonly string[]): string {
  return `${MARKER_HEAD}\n${[...paths].sort().join("\n")}\n`;
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
  return new Set([OUTPUT_MARKER, ...rest.filter((l) => l !== "")]);
}

/** Every path of `owned` that lies below the relative folder `rel` ("" = the root). */
function ownsBelow(owned: ReadonlySet<string>, rel: string): boolean {
  for (const p of owned) if (rel === "" || p.startsWith(`${rel}/`)) return true;
  return false;
}

function collectForeign(root: string, rel: string, owned: ReadonlySet<string>, out: string[]): void {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const p = rel === "" ? name : `${rel}/${name}`;
    const st = lstatSync(join(root, p));
    if (st.isDirectory() && ownsBelow(owned, p)) collectForeign(root, p, owned, out);
    else if (!owned.has(p)) out.push(p);
  }
}

/** The state of an existing directory `dir` (which must be a directory) or of a missing one. */
export function outputState(dir: string, exists: boolean): OutputState {
  if (!exists) return { exists, owned: new Set(), foreign: [] };
  const owned = readOwned(dir);
  const foreign: string[] = [];
  if (owned !== "all") collectForeign(dir, "", owned, foreign);
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
  return foreign.filter((f) => tops.has(topOf(f)) || paths.some((p) => p === f || p.startsWith(`${f}/`)));
}
