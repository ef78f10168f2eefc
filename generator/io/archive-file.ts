/**
 * An archive put on disk beside the output: written under a temporary name (FILE.kubeseed-tmp-PID),
 * then renamed, so FILE is never seen half-written.
 * Guarantees: a failed write leaves no temporary file (writeArchiveFile; stageArchiveFile's caller
 * discards it once `written` has settled).
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";

const tmpOf = (file: string) => `${file}.kubeseed-tmp-${process.pid}`;

/** An archive written under a temporary name beside `file`: `place` gives it its name, `discard` removes it. */
export interface StagedFile {
  /** resolves when every byte is written (rejects with the file system's error) */
  written: Promise<void>;
  place(): void;
  discard(): void;
}

/**
 * Starts writing `bytes` to a temporary file beside `file` with `mode` (on libuv's threads: the
 * caller goes on, e.g. swapping the output in, while it is written).
 */
export function stageArchiveFile(file: string, bytes: Uint8Array, mode = 0o600): StagedFile {
  const tmp = tmpOf(file);
  const written = writeFile(tmp, bytes, { mode });
  written.catch(() => undefined);
  return { written, place: () => renameSync(tmp, file), discard: () => rmSync(tmp, { force: true }) };
}

/** Writes bytes to `file` atomically with `mode`. */
export function writeArchiveFile(file: string, bytes: Uint8Array, mode = 0o600): void {
  const tmp = tmpOf(file);
  try {
    writeFileSync(tmp, bytes, { mode });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
