/**
 * What the up-to-date check of `gen` reads (cli/commands/up-to-date.ts decides): the output's files as
 * they are on disk, hashed, the code that renders (so a rebuilt kubeseed never takes an older
 * kubeseed's output for its own), and optional input files as text.
 * Guarantees: reads only; never follows a symbolic link where a file should be (such a tree is not
 * up to date); never throws for a missing or unreadable file (it only makes the tree not up to date).
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fileHash, treeDigest } from "../bundle/manifest.js";

/** The bytes and mode of the regular file `path` (not through a symbolic link), or undefined. */
function regularFile(path: string): { bytes: Buffer; mode: number } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    return st.isFile() ? { bytes: readFileSync(fd), mode: st.mode } : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** treeDigest of the files `paths` (relative to `root`, '/'-separated) as they are; undefined if one is missing or not a regular file. */
export function digestOnDisk(root: string, paths: Iterable<string>): string | undefined {
  const hashes = new Map<string, string>();
  for (const p of paths) {
    const f = regularFile(join(root, p));
    if (!f) return undefined;
    hashes.set(p, fileHash(f.bytes, f.mode));
  }
  return treeDigest(hashes);
}

/** The text of `file`, or undefined when it does not exist or cannot be read (the caller's normal path reports that). */
export function readTextIfExists(file: string): string | undefined {
  const f = regularFile(file);
  return f?.bytes.toString("utf8");
}

let fingerprint: string | undefined;

/**
 * The code that renders, as a line of text: Node's and zlib's versions (gzip bytes depend on zlib) and
 * the size and modification time of every file of kubeseed's compiled code (or sources under tsx),
 * package.json and, in a checkout, package-lock.json, so a rebuild, an upgrade or an edit makes every
 * output out of date.
 */
export function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const parts = [process.version, process.versions.zlib ?? ""];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|ts|json)$/.test(e.name) && !e.name.endsWith(".map")) {
        const st = statSync(p);
        parts.push(`${p.slice(root.length)} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(root);
  // the package's version and, in a checkout, the exact dependencies (yaml and x509 render bytes; zlib, which compresses the archives, is in the version above)
  for (const f of ["package.json", "package-lock.json"]) parts.push(readTextIfExists(join(dirname(root), f)) ?? "");
  return (fingerprint = parts.join("\n"));
}
