/**
 * Writes one text file atomically (temp file + rename), creating its folder with `dirMode` when it does
 * not exist; the file gets exactly `mode`, whatever the umask. A failure never leaves a half-written
 * file, and removes its temporary file (FILE.tmp-PID) again.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function writeTextFile(file: string, text: string, mode = 0o644, dirMode = 0o755): void {
  mkdirSync(dirname(file), { recursive: true, mode: dirMode });
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
