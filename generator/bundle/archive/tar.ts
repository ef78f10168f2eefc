/**
 * The bytes of an uncompressed POSIX tar (ustar, pax for the rare path ustar cannot hold) of a few
 * thousand in-memory files, as `tar --format=posix` lays them out: per file a 512-byte header, its
 * bytes, zeros to the next 512-byte block; two zero blocks at the end. io/archive.ts gzips it.
 *
 * Guarantees: pure and deterministic — every header has the given date, owner 0:0 with empty owner
 * names, the file's permission bits, type "regular file"; a path of at most 100 bytes goes in the name
 * field, a longer one is split at a `/` into prefix (≤ 155) and name (≤ 100), and one that cannot be
 * split, or is not ASCII, gets a pax `path` record (UTF-8) before its header. Directories are implied,
 * not stored. Entries can be laid out in runs (tarPieces) that io/archive.ts compresses as they come.
 * Does not: store directories, links or files of 8 GiB and more (the bundle holds none; internal error).
 */
import { TextEncoder } from "node:util";

export interface ArchiveEntry {
  /** POSIX path inside the archive, no leading slash */
  path: string;
  /** permission bits */
  mode: number;
  bytes: Uint8Array;
}

const BLOCK = 512;
/** 8 GiB: the largest size 11 octal digits hold. */
const MAX_SIZE = 8 ** 11 - 1;
const utf8 = new TextEncoder();

/** ASCII `text` into `header` at `offset`. */
function ascii(header: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
}

/** `value` as `width - 1` octal digits and a NUL. */
function octal(header: Uint8Array, offset: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, "0");
  if (digits.length > width - 1 || value < 0) throw new Error(`internal: ${value} does not fit a tar field of ${width} bytes`);
  ascii(header, offset, digits + "\0");
}

/** Where a path of `name.length` bytes can be split into ustar's prefix and name, or undefined. */
function ustarSplit(name: Uint8Array): number | undefined {
  if (name.length <= 100) return 0;
  for (let i = Math.max(1, name.length - 101); i < Math.min(name.length, 156); i++) {
    if (name[i] === 0x2f && name.length - i - 1 <= 100) return i;
  }
  return undefined;
}

/** A header's fields but name, size and checksum, and the sum of their bytes (checksum field as spaces), per mode, date and type. */
const fixedFields = new Map<string, { block: Uint8Array; sum: number }>();
function fixed(mode: number, mtime: number, type: "0" | "x"): { block: Uint8Array; sum: number } {
  const key = `${mode} ${mtime} ${type}`;
  let f = fixedFields.get(key);
  if (f === undefined) {
    const block = new Uint8Array(BLOCK);
    octal(block, 100, 8, mode);
    octal(block, 108, 8, 0);
    octal(block, 116, 8, 0);
    octal(block, 136, 12, mtime);
    block.fill(0x20, 148, 156);
    block[156] = type.charCodeAt(0);
    ascii(block, 257, "ustar\x0000");
    if (fixedFields.size >= 64) fixedFields.clear();
    fixedFields.set(key, (f = { block, sum: block.reduce((a, b) => a + b, 0) }));
  }
  return f;
}

function header(name: Uint8Array, mode: number, size: number, mtime: number, type: "0" | "x"): Uint8Array {
  if (size > MAX_SIZE) throw new Error(`internal: a tar entry of ${size} bytes`);
  const { block, sum: fixedSum } = fixed(mode & 0o7777, mtime, type);
  const h = block.slice();
  const split = ustarSplit(name) ?? 0;
  if (split > 0) {
    h.set(name.subarray(split + 1), 0);
    h.set(name.subarray(0, split), 345);
  } else h.set(name.subarray(0, 100), 0);
  octal(h, 124, 12, size);
  // the checksum: every byte of the block, its own field counted as spaces
  let sum = fixedSum;
  for (let i = 0; i < 100; i++) sum += h[i];
  for (let i = 124; i < 136; i++) sum += h[i];
  for (let i = 345; i < 500; i++) sum += h[i];
  ascii(h, 148, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/** A pax record `LEN path=VALUE\n`, LEN counting itself. */
function paxRecord(key: string, value: Uint8Array): Uint8Array {
  const body = value.length + key.length + 3;
  let len = body + String(body).length;
  if (String(len).length !== String(body).length) len++;
  const out = new Uint8Array(len);
  out.set(utf8.encode(`${len} ${key}=`), 0);
  out.set(value, len - value.length - 1);
  out[len - 1] = 0x0a;
  return out;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** The header block(s) of one entry: a pax header and its record when the path needs it, then ustar's. */
export function tarHeaders(e: Omit<ArchiveEntry, "bytes">, size: number, date: Date): Uint8Array[] {
  const mtime = Math.floor(date.getTime() / 1000);
  const name = utf8.encode(e.path);
  // as GNU tar --format=posix: a name ustar cannot hold, or one that is not ASCII, also gets a pax record
  if (ustarSplit(name) !== undefined && name.every((b) => b < 0x80)) return [header(name, e.mode, size, mtime, "0")];
  const record = paxRecord("path", name);
  const paxName = utf8.encode(`PaxHeader/${e.path.split("/").pop()!}`);
  // both names are cut to the 100-byte name field; the pax record carries the whole path
  const pax = header(paxName, 0o644, record.length, mtime, "x");
  return [pax, record, new Uint8Array(padding(record.length)), header(name, e.mode, size, mtime, "0")];
}

/** What ends a tar: two zero blocks. */
export const TAR_END = new Uint8Array(2 * BLOCK);

/** A stretch of a tar: blocks, or the bytes of one entry kept `apart` (and that entry). */
export type TarPiece<E extends ArchiveEntry = ArchiveEntry> = { bytes: Uint8Array; apart: false } | { bytes: Uint8Array; apart: true; entry: E };

/**
 * The blocks of `entries` in the order given, without TAR_END (a tar is the blocks of one or more runs
 * of entries, then TAR_END), in pieces: the data of each entry `apart` picks (given where that data
 * starts in these blocks) is a piece of its own (the entry's own bytes, not a copy), the blocks between
 * them are joined into one piece (always a new buffer: io/archive.ts moves it to a deflate thread).
 */
export function tarPieces<E extends ArchiveEntry>(entries: readonly E[], date: Date, apart: (e: E, at: number) => boolean): TarPiece<E>[] {
  const pieces: TarPiece<E>[] = [];
  let parts: Uint8Array[] = [];
  let at = 0;
  const joined = () => {
    if (parts.length > 0) pieces.push({ bytes: Buffer.concat(parts), apart: false });
    parts = [];
  };
  for (const e of entries) {
    for (const h of tarHeaders(e, e.bytes.length, date)) {
      parts.push(h);
      at += h.length;
    }
    const data = at;
    at += e.bytes.length + padding(e.bytes.length);
    if (apart(e, data)) {
      joined();
      pieces.push({ bytes: e.bytes, apart: true, entry: e });
    } else parts.push(e.bytes);
    if (padding(e.bytes.length)) parts.push(new Uint8Array(padding(e.bytes.length)));
  }
  joined();
  return pieces;
}
