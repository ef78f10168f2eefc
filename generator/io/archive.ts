/**
 * Reproducible archives of a Bundle: `tar.gz` and `zip`, laid out by bundle/archive/ (kubeseed's own
 * writers: archiver streamed every entry through its own zlib stream, 6 s for the tar.gz of 1,000
 * nodes where one deflate pass takes 2) and compressed here with zlib on the thread pool, batch by
 * batch while later batches are still being rendered.
 * Guarantees: entries in the order their batches were added, each batch in path order; every file
 * dated ARCHIVE_DATE (fixed, so two runs with the same profile and secrets give identical bytes),
 * owner 0:0 and the artifact's own mode (keys stay 0600); gzip with no file name and mtime 0, one
 * member; deflate at ARCHIVE_LEVEL; directories are implied, not stored. A zip deflates each distinct
 * content once (a CA certificate that 1,000 nodes carry is compressed once); at most IN_FLIGHT
 * deflates are on the pool at once. Does not touch the file system except writeArchiveFile, which
 * puts bytes on disk atomically (temp file + rename).
 */
import { createHash } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { constants, crc32, deflateRaw, type ZlibOptions } from "node:zlib";
import { artifactBytes, type Artifact } from "../bundle/artifact.js";
import { TAR_END, tarBlocks } from "../bundle/archive/tar.js";
import { zipBytes, type ZipPiece } from "../bundle/archive/zip.js";

/** 1980-01-01T00:00:00Z: the earliest date a zip (DOS) timestamp can hold; used for tar too. */
export const ARCHIVE_DATE = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
/** gzip's and zip's own default: level 9 made the prod archives 0.6 % smaller for twice the CPU. */
export const ARCHIVE_LEVEL = 6;
/** Deflate jobs handed to the thread pool at once: enough to keep its 4 threads busy while this thread renders. */
const IN_FLIGHT = 16;

export type { ArchiveFormat } from "../bundle/archives.js";
import type { ArchiveFormat } from "../bundle/archives.js";

const ZLIB: ZlibOptions = { level: ARCHIVE_LEVEL };

const byPath = (x: Artifact, y: Artifact) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0);

/** Runs at most `n` jobs at once, in the order they were asked for. */
function limiter(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return <T>(job: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        running++;
        Promise.resolve()
          .then(job)
          .then(resolve, reject)
          .finally(() => {
            running--;
            waiting.shift()?.();
          });
      };
      if (running < n) run();
      else waiting.push(run);
    });
}

const deflateQueue = limiter(IN_FLIGHT);

/**
 * One zlib call on the thread pool, queued behind at most IN_FLIGHT others of this module; its output
 * buffer holds the whole result (deflate never grows data by more than 5 bytes per 16 KiB plus a few),
 * so the call finishes in one pass on the pool instead of coming back to this thread every 16 KiB.
 */
function onPool(f: typeof deflateRaw, bytes: Uint8Array, options: ZlibOptions): Promise<Buffer> {
  const chunkSize = Math.max(16 * 1024, bytes.length + (bytes.length >> 8) + 1024);
  // the result is copied out of that buffer when it is much smaller, so the buffer does not stay alive with it
  const fit = (out: Buffer) => (out.length < out.buffer.byteLength / 2 ? Buffer.from(out) : out);
  return deflateQueue(
    () => new Promise((resolve, reject) => f(bytes, { ...options, chunkSize }, (e, out) => (e ? reject(e) : resolve(fit(out))))),
  );
}

/** gzip's member header: deflate, no flags, mtime 0, no extra flags, OS Unix. */
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);
/** deflate's window: a run is compressed with the 32 KiB before it as its dictionary. */
const WINDOW = 32 * 1024;

/**
 * A tar.gz made run by run: each `add` is one run of entries (sorted by path); each run is deflated
 * on the thread pool as soon as the next one arrives (the last one by `bytes`), primed with the
 * 32 KiB of tar before it and ending on a byte boundary, so the runs join into one gzip member that
 * compresses as well as one pass over the whole tar would (pigz joins its blocks the same way).
 */
export class TarGzBuilder {
  private readonly parts: Promise<Buffer>[] = [];
  private pending: Uint8Array | undefined;
  /** the last WINDOW bytes of the tar before `pending` */
  private window = new Uint8Array(0);
  private crc = 0;
  private length = 0;
  private result: Promise<Buffer> | undefined;

  constructor(private readonly prefix = "") {}

  add(artifacts: readonly Artifact[]): void {
    if (this.result) throw new Error("internal: TarGzBuilder.add after bytes");
    const entries = [...artifacts].sort(byPath).map((a) => ({ path: this.prefix + a.path, mode: a.mode, bytes: artifactBytes(a) }));
    this.deflatePending(false);
    this.pending = tarBlocks(entries, ARCHIVE_DATE);
  }

  /** The tar.gz of every run added, in the order added (the same promise on every call). */
  bytes(): Promise<Buffer> {
    return (this.result ??= this.finish());
  }

  private async finish(): Promise<Buffer> {
    this.deflatePending(true);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.length % 2 ** 32, 4);
    return Buffer.concat([GZIP_HEADER, ...(await Promise.all(this.parts)), trailer]);
  }

  private deflatePending(last: boolean): void {
    const run = last ? Buffer.concat([this.pending ?? new Uint8Array(0), TAR_END]) : this.pending;
    this.pending = undefined;
    if (!run) return;
    this.crc = crc32(run, this.crc);
    this.length += run.length;
    // a run ends on a byte boundary (sync flush), the last one with deflate's final block
    const finishFlush = last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH;
    const part = onPool(deflateRaw, run, { ...ZLIB, finishFlush, ...(this.window.length > 0 ? { dictionary: this.window } : {}) });
    part.catch(() => undefined);
    this.parts.push(part);
    this.window = run.length >= WINDOW ? run.slice(run.length - WINDOW) : Buffer.concat([this.window, run]).subarray(-WINDOW);
  }
}

/**
 * A zip made batch by batch: each distinct content is deflated once, on the thread pool, as soon as
 * it is added; `bytes` lays the entries out (in the order added, each batch sorted by path).
 */
export class ZipBuilder {
  /** each distinct content's deflated piece, by the SHA-256 of its bytes */
  private readonly pieces = new Map<string, Promise<ZipPiece>>();
  private readonly entries: { path: string; mode: number; piece: Promise<ZipPiece> }[] = [];

  constructor(private readonly prefix = "") {}

  add(artifacts: readonly Artifact[]): void {
    for (const a of [...artifacts].sort(byPath)) {
      const bytes = artifactBytes(a);
      const key = createHash("sha256").update(bytes).digest("base64");
      let piece = this.pieces.get(key);
      if (!piece) {
        piece = onPool(deflateRaw, bytes, ZLIB).then((deflated) => ({ deflated, crc32: crc32(bytes), size: bytes.length }));
        // a failure is reported by bytes(), not as an unhandled rejection in between
        piece.catch(() => undefined);
        this.pieces.set(key, piece);
      }
      this.entries.push({ path: this.prefix + a.path, mode: a.mode, piece });
    }
  }

  async bytes(): Promise<Buffer> {
    const entries = [];
    for (const { path, mode, piece } of this.entries) entries.push({ path, mode, piece: await piece });
    return zipBytes(entries, ARCHIVE_DATE);
  }
}

/** The archive of one batch of `artifacts` (sorted by path), each stored as `prefix` + its path. */
export function archiveBytes(artifacts: readonly Artifact[], format: ArchiveFormat, prefix = ""): Promise<Buffer> {
  const builder = format === "zip" ? new ZipBuilder(prefix) : new TarGzBuilder(prefix);
  builder.add(artifacts);
  return builder.bytes();
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
