/**
 * The bytes of a zip (APPNOTE 6.3) of in-memory files whose deflate streams are already made
 * (io/archive.ts makes each distinct content's stream once): per file a local header and its deflated
 * bytes, then the central directory; zip64 end records when there are 65,535 entries or more.
 *
 * Guarantees: pure and deterministic — every entry is deflated (method 8), dated `date` (DOS time,
 * read as UTC fields), names flagged UTF-8, "made by Unix" with the file's permission bits as a regular
 * file in the external attributes (unzip restores them), no data descriptors, extra fields or comments.
 * Directories are implied, not stored.
 * Does not: write an archive of 4 GiB or more (a Buffer cannot hold one here; internal error).
 */

/** A file's bytes as a complete raw deflate stream, with what zip records of the original. */
export interface ZipPiece {
  deflated: Uint8Array;
  crc32: number;
  size: number;
}

export interface ZipEntry {
  /** POSIX path inside the archive, no leading slash */
  path: string;
  /** permission bits */
  mode: number;
  piece: ZipPiece;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
/** version needed: 2.0 (deflate), 4.5 (zip64) */
const V20 = 20;
const V45 = 45;
/** made by: Unix (3), spec 4.5 */
const MADE_BY = (3 << 8) | V45;
const S_IFREG = 0o100000;
const U16 = 0xffff;
const U32 = 0xffffffff;

/** DOS time and date of `d`'s UTC fields (two-second resolution, years 1980–2107). */
function dosDateTime(d: Date): { time: number; date: number } {
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  return { time, date };
}

/** The fields a local header and a central header share, from "version needed" to "extra length". */
function common(b: Buffer, at: number, e: ZipEntry, name: Buffer, dos: { time: number; date: number }): void {
  b.writeUInt16LE(V20, at);
  b.writeUInt16LE(UTF8_NAMES, at + 2);
  b.writeUInt16LE(DEFLATE, at + 4);
  b.writeUInt16LE(dos.time, at + 6);
  b.writeUInt16LE(dos.date, at + 8);
  b.writeUInt32LE(e.piece.crc32 >>> 0, at + 10);
  b.writeUInt32LE(e.piece.deflated.length, at + 14);
  b.writeUInt32LE(e.piece.size, at + 18);
  b.writeUInt16LE(name.length, at + 22);
  b.writeUInt16LE(0, at + 24);
}

/** The zip of `entries`, in the order given. */
export function zipBytes(entries: readonly ZipEntry[], date: Date): Buffer {
  const dos = dosDateTime(date);
  const names = entries.map((e) => Buffer.from(e.path, "utf8"));
  let total = 0;
  for (const [i, e] of entries.entries()) {
    if (e.piece.size >= U32 || e.piece.deflated.length >= U32) throw new Error(`internal: a zip entry of ${e.piece.size} bytes`);
    total += 30 + 46 + 2 * names[i].length + e.piece.deflated.length;
  }
  total += 56 + 20 + 22;
  if (total >= U32) throw new Error(`internal: a zip of ${total} bytes`);
  const out = Buffer.alloc(total);
  const offsets: number[] = [];
  let at = 0;
  for (const [i, e] of entries.entries()) {
    offsets.push(at);
    out.writeUInt32LE(LOCAL, at);
    common(out, at + 4, e, names[i], dos);
    out.set(names[i], at + 30);
    out.set(e.piece.deflated, at + 30 + names[i].length);
    at += 30 + names[i].length + e.piece.deflated.length;
  }
  const cdStart = at;
  for (const [i, e] of entries.entries()) {
    out.writeUInt32LE(CENTRAL, at);
    out.writeUInt16LE(MADE_BY, at + 4);
    common(out, at + 6, e, names[i], dos);
    // comment length, disk number, internal attributes: 0
    out.writeUInt32LE(((S_IFREG | (e.mode & 0o7777)) << 16) >>> 0, at + 38);
    out.writeUInt32LE(offsets[i], at + 42);
    out.set(names[i], at + 46);
    at += 46 + names[i].length;
  }
  const cdSize = at - cdStart;
  const zip64 = entries.length >= U16;
  if (zip64) {
    const end64 = at;
    out.writeUInt32LE(END64, at);
    out.writeBigUInt64LE(44n, at + 4);
    out.writeUInt16LE(MADE_BY, at + 12);
    out.writeUInt16LE(V45, at + 14);
    // this disk, the central directory's disk: 0
    out.writeBigUInt64LE(BigInt(entries.length), at + 24);
    out.writeBigUInt64LE(BigInt(entries.length), at + 32);
    out.writeBigUInt64LE(BigInt(cdSize), at + 40);
    out.writeBigUInt64LE(BigInt(cdStart), at + 48);
    at += 56;
    out.writeUInt32LE(LOCATOR64, at);
    out.writeBigUInt64LE(BigInt(end64), at + 8);
    out.writeUInt32LE(1, at + 16);
    at += 20;
  }
  out.writeUInt32LE(END, at);
  out.writeUInt16LE(Math.min(entries.length, U16), at + 8);
  out.writeUInt16LE(Math.min(entries.length, U16), at + 10);
  out.writeUInt32LE(cdSize, at + 12);
  out.writeUInt32LE(cdStart, at + 16);
  at += 22;
  return out.subarray(0, at);
}
