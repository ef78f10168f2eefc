/**
 * Writes one text file atomically (temp file + rename), creating its folder with `dirMode` when it does
 * not exist; the file gets exactly `mode`, whatever the umask. A failure never leaves a half-written
 * file, and removes its temporary file (FILE.tmp-PID) again.
 * makeDirs creates missing folders one level at a time: node's recursive mkdir loops forever where a
 * file system refuses a folder with ENOENT although its parent exists (/proc, /sys).
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Creates `dir` and its missing parents with `mode`; returns the first folder it created, if any. */
export function makeDirs(dir: string, mode = 0o755): string | undefined {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d, { mode });
  return missing[0];
}

export function writeTextFile(file: string, text: string, mode = 0o644, dirMode = 0o755): void {
  makeDirs(dirname(file), dirMode);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
