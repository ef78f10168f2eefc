/**
 * Reproducible archives of a Bundle with archiver: `tar.gz` and `zip`.
 * Guarantees: entries in path order (the Bundle's), every file dated ARCHIVE_DATE (fixed, so two runs
 * with the same profile and secrets give identical bytes), owner 0:0 and the artifact's own mode in
 * the tar headers (keys stay 0600), gzip with no file name and mtime 0; directories are implied, not
 * stored. Does not touch the file system: archiveBytes returns the bytes; writeArchiveFile puts them
 * on disk atomically (temp file + rename).
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import archiver from "archiver";
import { artifactBytes, type Artifact } from "../bundle/artifact.js";

/** 1980-01-01T00:00:00Z: the earliest date a zip (DOS) timestamp can hold; used for tar too. */
export const ARCHIVE_DATE = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

export type { ArchiveFormat } from "../bundle/archives.js";
import type { ArchiveFormat } from "../bundle/archives.js";

/** The archive of `artifacts`, each stored as `prefix` + its path. */
export async function archiveBytes(artifacts: Artifact[], format: ArchiveFormat, prefix = ""): Promise<Buffer> {
  const archive = format === "zip" ? archiver("zip", { zlib: { level: 9 } }) : archiver("tar", { gzip: true, gzipOptions: { level: 9 } });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    sink.on("end", () => resolve());
    sink.on("error", reject);
    archive.on("error", reject);
    archive.on("warning", reject);
  });
  archive.pipe(sink);
  for (const a of [...artifacts].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))) {
    archive.append(Buffer.from(artifactBytes(a)), { name: prefix + a.path, date: ARCHIVE_DATE, mode: a.mode, ...(format === "tar.gz" ? { uid: 0, gid: 0 } : {}) } as archiver.EntryData);
  }
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Writes bytes to `file` atomically with `mode`. */
export function writeArchiveFile(file: string, bytes: Buffer, mode = 0o600): void {
  const tmp = `${file}.kubeseed-tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes, { mode });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
