/**
 * Writes one text file atomically (temp file + rename), creating its folder with `dirMode` when it does
 * not exist; the file gets exactly `mode`, whatever the umask. A failure never leaves a half-written
 * file, and removes its temporary file (FILE.tmp-PID) again.
 * makeDirs creates missing folders one level at a time: node's recursive mkdir loops forever where a
 * file system refuses a folder with ENOENT although its parent exists (/proc, /sys); it never checks
 * before it makes (a check and a make leave room for another run's make: gen failed with EEXIST when
 * two runs made the secrets folder at once).
 */
import { chmodSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** Makes `d`; false when it is a folder already (made by anyone, another gen run included). */
function makeDir(d: string, mode: number): boolean {
  try {
    mkdirSync(d, { mode });
    return true;
  } catch (e) {
    if (errno(e) === "EEXIST" && statSync(d).isDirectory()) return false;
    throw e;
  }
}

/**
 * Creates `dir` and its missing parents with `mode`; returns the first folder it created, if any. A
 * folder that appears meanwhile (two runs making the same folder at once) is taken as it is.
 */
export function makeDirs(dir: string, mode = 0o755): string | undefined {
  try {
    return makeDir(dir, mode) ? dir : undefined;
  } catch (e) {
    if (errno(e) !== "ENOENT" || dirname(dir) === dir) throw e;
  }
  const first = makeDirs(dirname(dir), mode);
  // one more try only: where the parent exists and the folder still cannot be made, its error stands
  return makeDir(dir, mode) ? (first ?? dir) : first;
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
