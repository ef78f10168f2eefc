/**
 * The output directory as the previous run left it, for comparing a new generation with it (`gen plan`,
 * the summary after `gen`, REPORT.md's change section): its file hashes and the changes it recorded.
 * Reads manifest.json (bundle/manifest.ts); an output without a readable manifest (written before
 * manifests existed, or damaged) is hashed file by file instead, the same way.
 * Guarantees: reads only; undefined when the directory does not exist or is not kubeseed output (no
 * .kubeseed-output marker); the hashes cover exactly the paths bundle/manifest.ts compares.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { PreviousOutput } from "../bundle/generate.js";
import { comparedPath, fileHash, MANIFEST_PATH, parseManifest } from "../bundle/manifest.js";
import { OUTPUT_MARKER } from "./write-dir.js";

function hashTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const rel = relative(root, p).split("\\").join("/");
        if (rel !== OUTPUT_MARKER && comparedPath(rel)) files[rel] = fileHash(readFileSync(p), statSync(p).mode);
      }
    }
  };
  walk(root);
  return files;
}

/** The previous output in `dir`, or undefined when there is none. */
export function readPreviousOutput(dir: string): PreviousOutput | undefined {
  if (!existsSync(join(dir, OUTPUT_MARKER))) return undefined;
  const manifestFile = join(dir, MANIFEST_PATH);
  const manifest = existsSync(manifestFile) ? parseManifest(readFileSync(manifestFile, "utf8")) : undefined;
  if (manifest) return { files: manifest.files, changes: manifest.changes };
  return { files: hashTree(dir) };
}
