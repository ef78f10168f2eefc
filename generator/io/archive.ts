/**
 * Reproducible archives of a Bundle: `tar.gz` and `zip`, laid out by bundle/archive/ (kubeseed's own
 * writers: archiver streamed every entry through a zlib stream of its own, 6 s for the tar.gz of
 * 1,000 nodes where one deflate pass takes 2) and compressed batch by batch on the deflate threads
 * (io/deflate-threads.ts) while later batches are still being rendered.
 * Guarantees: entries in the order their batches were added, each batch in path order; every file
 * dated ARCHIVE_DATE (fixed, so two runs with the same profile and secrets give identical bytes),
 * owner 0:0 and the artifact's own mode (keys stay 0600); gzip with no file name and mtime 0, one
 * member; deflate at ARCHIVE_LEVEL; directories are implied, not stored. A zip deflates each distinct
 * content once (a CA certificate that 1,000 nodes carry is compressed once); a large content (APART_MIN,
 * BATCH_APART_MIN in a node archive and the zip) is deflated once for every archive that holds the same
 * bytes, and a content that holds others (Artifact.pieces: a seed ISO holds its user-data) is deflated
 * around them, their streams shared. Every add (and archiveBytes) reads the bytes it is given before it
 * returns (what it keeps is copies and streams): the caller may then hand them over to another
 * thread (cli/commands/run-output.ts). Does not touch the file system (io/archive-file.ts puts an
 * archive on disk).
 */
import { hash } from "node:crypto";
import { constants, crc32 } from "node:zlib";
import { artifactBytes, byPath, type Artifact, type ContentPiece } from "../bundle/artifact.js";
import { crc32Combine } from "../bundle/archive/crc32.js";
import { TAR_END, tarPieces } from "../bundle/archive/tar.js";
import { zipBytes, type ZipPiece } from "../bundle/archive/zip.js";
import { deflateOnThread, type Deflated, type DeflateJob } from "./deflate-threads.js";

/** 1980-01-01T00:00:00Z: the earliest date a zip (DOS) timestamp can hold; used for tar too. */
export const ARCHIVE_DATE = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
/**
 * One below gzip's and zip's default (6), measured at 3 + 1,000 nodes: 12 % less deflate time for
 * archives 0.03–0.4 % larger (level 9 made the prod archives 0.6 % smaller than 6 for twice the CPU).
 */
export const ARCHIVE_LEVEL = 5;
/**
 * zlib's largest hash table and blocks (its default is 8) for a full window: at 3 + 1,000 nodes the
 * same archives within 0.1 % of the size, deflated in 8 % less time (fewer hash chains to walk).
 */
export const ARCHIVE_MEM_LEVEL = 9;
/** zlib's largest window (32 KiB) and its smallest (512 bytes) for a raw stream. */
const MAX_WINDOW_BITS = 15;
const MIN_WINDOW_BITS = 9;
/** zlib keeps this much lookahead: a match reaches back at most the window less this (MIN_LOOKAHEAD). */
const LOOKAHEAD = 262;

/**
 * A raw deflate job for `bytes` with zlib's tables sized to what it can reach: the smallest window
 * that holds the dictionary, the bytes and zlib's lookahead (so no match a 32 KiB window would find is
 * out of reach), and a hash table of two heads per window position, as ARCHIVE_MEM_LEVEL gives the
 * 32 KiB window. Most archive streams are a few hundred bytes (a zip entry, the tar headers between
 * two contents deflated apart): zlib allocated and cleared 0.4 MB of tables for each. At 3 + 1,000
 * nodes, 13 % less deflate time; each of the 15,149 streams came out byte for byte as with full tables.
 */
export function rawJob(bytes: Uint8Array, more: Pick<DeflateJob, "finishFlush" | "dictionary" | "crc" | "owned"> = {}): DeflateJob {
  const reach = (more.dictionary?.length ?? 0) + bytes.length + LOOKAHEAD;
  let windowBits = MIN_WINDOW_BITS;
  while (windowBits < MAX_WINDOW_BITS && 2 ** windowBits < reach) windowBits++;
  return { format: "raw", level: ARCHIVE_LEVEL, windowBits, memLevel: ARCHIVE_MEM_LEVEL - (MAX_WINDOW_BITS - windowBits), bytes, ...more };
}

export type { ArchiveFormat } from "../bundle/archives.js";
import type { ArchiveFormat } from "../bundle/archives.js";

/** gzip's member header: deflate, no flags, mtime 0, no extra flags, OS Unix. */
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);
/** deflate's window: a run is compressed with the 32 KiB before it as its dictionary. */
const WINDOW = 32 * 1024;

/**
 * Contents this large (a node's seed.iso, 72 KiB) are deflated on their own, once, for every archive
 * that holds the same bytes object: the node archive, the whole-output tar.gz and zip of a `--format
 * all` run share one stream instead of making three. Without the tar before them as a dictionary they
 * compress a little less (the 32 KiB before an ISO are files it does not repeat).
 */
export const APART_MIN = WINDOW;

/**
 * A content of this size gains little from the entries of its own batch before it (measured on the
 * node archives of 3 + 1,000 nodes: 0.3 % smaller deflated apart): wherever the 32 KiB before it hold
 * its own batch only — an archive of one batch (archiveBytes: a node archive), the first batch of a
 * tar.gz, or past the first WINDOW of a batch — it is deflated apart from this size, and the zip, which
 * deflates every content on its own anyway, takes the same stream (a node's user-data and bootstrap
 * script are deflated once for all the archives, not two or three times). In a batch's first WINDOW
 * after another batch, APART_MIN holds: a node's user-data follows the previous node's seed ISO, which
 * holds that node's user-data, and compresses against it (the whole-output tar.gz: 22.5 MB instead of
 * 27.3 MB at 1,000 nodes; past it, BATCH_APART_MIN made it 0.8 % smaller, not larger).
 */
export const BATCH_APART_MIN = 4096;

/** A stream being made for a bytes object, with the CRC-32 and length of what is deflated. */
interface Apart {
  crc: number;
  length: number;
  made: Promise<Deflated>;
}

/** The stream made for each large bytes object while it lives. */
const apart = new WeakMap<Uint8Array, Apart>();

/**
 * `bytes` as a raw deflate stream ending on a byte boundary with no final block (sync flush), and their
 * CRC-32 (known at once, the stream later). A stream is reused only for the same object with the same
 * CRC-32 and length (bytes changed since are deflated again), and a failed one is not kept. `pieces`
 * (Artifact.pieces) of BATCH_APART_MIN or more are deflated as themselves (once for every content that
 * holds them), the bytes between them apart, and the streams joined: each starts with no history and
 * ends on a byte boundary, so together they are one stream of the whole.
 */
function deflatedApart(bytes: Uint8Array, pieces: readonly ContentPiece[] = []): Apart {
  const crc = crc32(bytes);
  const known = apart.get(bytes);
  if (known && known.crc === crc && known.length === bytes.length) return known;
  const large = pieces.filter((p) => p.bytes.length >= BATCH_APART_MIN);
  const made = large.length > 0 ? deflatedInPieces(bytes, large, crc) : deflateOnThread([rawJob(bytes, { finishFlush: constants.Z_SYNC_FLUSH })]).then(([d]) => ({ bytes: d.bytes, crc }));
  const entry = { crc, length: bytes.length, made };
  made.catch(() => {
    if (apart.get(bytes) === entry) apart.delete(bytes);
  });
  apart.set(bytes, entry);
  return entry;
}

/** deflatedApart of `bytes` that hold `pieces` (internal error if they do not, byte for byte, or overlap). */
async function deflatedInPieces(bytes: Uint8Array, pieces: readonly ContentPiece[], crc: number): Promise<Deflated> {
  const streams: (Promise<Deflated> | number)[] = [];
  const between: Uint8Array[] = [];
  const copyBetween = (from: number, to: number) => {
    // a copy: a view would send all of `bytes` to the deflate thread
    if (to > from) streams.push(between.push(bytes.slice(from, to)) - 1);
  };
  let at = 0;
  for (const p of [...pieces].sort((a, b) => a.at - b.at)) {
    const end = p.at + p.bytes.length;
    if (p.at < at || end > bytes.length || Buffer.compare(bytes.subarray(p.at, end), p.bytes) !== 0) throw new Error("internal: a content does not hold its pieces where they are said to be");
    copyBetween(at, p.at);
    streams.push(deflatedApart(p.bytes).made);
    at = end;
  }
  copyBetween(at, bytes.length);
  const made = between.length > 0 ? deflateOnThread(between.map((b) => rawJob(b, { finishFlush: constants.Z_SYNC_FLUSH, owned: true }))) : Promise.resolve([]);
  const joined = await Promise.all(streams.map(async (s) => (typeof s === "number" ? (await made)[s] : await s).bytes));
  return { bytes: Buffer.concat(joined), crc };
}

/** deflate's empty final block (fixed codes, end of block): ends a stream that ended on a sync flush. */
const FINAL_BLOCK = Uint8Array.of(0x03, 0x00);

/**
 * A tar.gz made run by run: each `add` is one run of entries (sorted by path); each run is deflated
 * on a deflate thread as soon as the next one arrives (the last one by `bytes`), primed with the
 * 32 KiB of tar before it and ending on a byte boundary, so the runs join into one gzip member that,
 * for runs of a node's size, compresses as well as one pass over the whole tar would (each run costs
 * about 15 bytes more: a block header and a sync marker; pigz joins its blocks the same way).
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
    const entries = [...artifacts].sort(byPath).map((a) => ({ path: this.prefix + a.path, mode: a.mode, bytes: artifactBytes(a), pieces: a.pieces }));
    // BATCH_APART_MIN where a content's window holds its own batch only: no tar before this batch, or past its first WINDOW
    const first = this.length === 0 && this.pending === undefined;
    const apart = (e: { bytes: Uint8Array }, at: number) => e.bytes.length >= APART_MIN || (e.bytes.length >= BATCH_APART_MIN && (first || at >= WINDOW));
    for (const piece of tarPieces(entries, ARCHIVE_DATE, apart)) {
      this.deflatePending(false);
      if (piece.apart) {
        const { crc, made } = deflatedApart(piece.bytes, piece.entry.pieces);
        const part = made.then((d) => d.bytes);
        part.catch(() => undefined);
        this.parts.push(part);
        this.follow(piece.bytes, crc);
      } else this.pending = piece.bytes;
    }
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
    // a run ends on a byte boundary (sync flush), the last one with deflate's final block
    const finishFlush = last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH;
    const dictionary = this.window.length > 0 ? this.window : undefined;
    // the run and the window before it are this builder's own copies, read by follow, then moved to the thread
    this.follow(run);
    const part = deflateOnThread([rawJob(run, { finishFlush, dictionary, owned: true })]).then(([d]) => d.bytes);
    part.catch(() => undefined);
    this.parts.push(part);
  }

  /**
   * The tar grew by `bytes` (whose CRC-32 is `crc` when known): its CRC, length and last WINDOW bytes
   * (a copy: a view would send its whole buffer to the thread).
   */
  private follow(bytes: Uint8Array, crc?: number): void {
    this.crc = crc === undefined ? crc32(bytes, this.crc) : crc32Combine(this.crc, crc, bytes.length);
    this.length += bytes.length;
    this.window = new Uint8Array(bytes.length >= WINDOW ? bytes.subarray(bytes.length - WINDOW) : Buffer.concat([this.window, bytes]).subarray(-WINDOW));
  }
}

/**
 * A zip made batch by batch: each distinct content is deflated once, on a deflate thread (with its
 * CRC-32), as soon as it is added; `bytes` lays the entries out (in the order added, each batch sorted by path).
 */
export class ZipBuilder {
  /** each distinct content's deflated piece, by the SHA-256 of its bytes (but those made of pieces) */
  private readonly pieces = new Map<string, Promise<ZipPiece>>();
  private readonly entries: { path: string; mode: number; piece: Promise<ZipPiece> }[] = [];

  constructor(private readonly prefix = "") {}

  add(artifacts: readonly Artifact[]): void {
    const sorted = [...artifacts].sort(byPath).map((a) => ({ a, bytes: artifactBytes(a) }));
    // a content made of pieces (a node's seed ISO) is one of its kind: not looked up by its SHA-256
    const keys = sorted.map(({ a, bytes }) => (a.pieces ? undefined : hash("sha256", bytes, "base64")));
    const large = (bytes: Uint8Array, pieces?: readonly ContentPiece[]) => {
      const size = bytes.length;
      const piece = deflatedApart(bytes, pieces).made.then((d) => ({ deflated: Buffer.concat([d.bytes, FINAL_BLOCK]), crc32: d.crc, size }));
      piece.catch(() => undefined);
      return piece;
    };
    // the contents not seen before go to a deflate thread together, each once; large ones as the other archives have them
    const fresh = new Map<string, Uint8Array>();
    const own: Promise<ZipPiece>[] = [];
    for (const [i, { a, bytes }] of sorted.entries()) {
      const key = keys[i];
      if (key === undefined) own[i] = large(bytes, a.pieces);
      else if (this.pieces.has(key)) continue;
      else if (bytes.length < BATCH_APART_MIN) fresh.set(key, bytes);
      else this.pieces.set(key, large(bytes));
    }
    if (fresh.size > 0) {
      const made = deflateOnThread([...fresh.values()].map((bytes) => rawJob(bytes, { crc: true })));
      for (const [at, [key, { length: size }]] of [...fresh].entries()) {
        const piece = made.then((out) => ({ deflated: out[at].bytes, crc32: out[at].crc, size }));
        // a failure is reported by bytes(), not as an unhandled rejection in between
        piece.catch(() => undefined);
        this.pieces.set(key, piece);
      }
    }
    for (const [i, { a }] of sorted.entries()) this.entries.push({ path: this.prefix + a.path, mode: a.mode, piece: own[i] ?? this.pieces.get(keys[i]!)! });
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
