/**
 * writeBundle: puts a Bundle on disk as a directory, atomically.
 * Guarantees: the files are written into a fresh sibling directory first and swapped in with
 * renames only when every file is written, so a failure midway leaves the previous output intact
 * and no partial tree. Modes are set explicitly (umask does not apply). A non-empty target that was
 * not written by kubeseed is refused unless `force` is set.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { artifactBytes, type Bundle } from "../bundle/artifact.js";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";

/** Marker file that says a directory is kubeseed output and may be replaced by the next run. */
export const OUTPUT_MARKER = ".kubeseed-output";

export interface WriteOptions {
  force: boolean;
}

function checkTarget(out: string, force: boolean): void {
  if (!existsSync(out)) return;
  const entries = readdirSync(out);
  if (entries.length === 0 || force || entries.includes(OUTPUT_MARKER)) return;
  throw new UserError(messages.io.outputNotEmpty(out));
}

function writeTree(root: string, bundle: Bundle): void {
  for (const a of bundle.artifacts) {
    const file = join(root, a.path);
    if (!file.startsWith(root + "/")) throw new Error(`internal: artifact path escapes the output: ${a.path}`);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, artifactBytes(a), { mode: a.mode });
    chmodSync(file, a.mode);
  }
}

export function writeBundle(bundle: Bundle, outDir: string, opts: WriteOptions): void {
  const out = resolve(outDir);
  checkTarget(out, opts.force);
  mkdirSync(dirname(out), { recursive: true });
  const staging = `${out}.kubeseed-new-${process.pid}`;
  const previous = `${out}.kubeseed-old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging, { mode: 0o755 });
    writeTree(staging, bundle);
    writeFileSync(join(staging, OUTPUT_MARKER), "kubeseed output directory: the next `gen` run replaces it whole\n", { mode: 0o644 });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(out)) renameSync(out, previous);
  renameSync(staging, out);
  rmSync(previous, { recursive: true, force: true });
}
