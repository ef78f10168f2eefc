/**
 * Directory records (ECMA-119 9.1) and directory extents (6.8.1): records are packed in order and a
 * record never crosses a sector boundary (the rest of a sector stays zero). Guarantees: pure; every
 * record has an even length of at most 255 bytes (internal error otherwise); a record's length does
 * not depend on its location or size, so a layout can be computed before the locations are known.
 */
import { both16, both32, concat, recordDate, SECTOR, sectorsFor } from "./fields.js";

export interface DirectoryRecord {
  /** first sector of the extent */
  location: number;
  /** bytes of the file, or of the whole directory extent */
  size: number;
  directory: boolean;
  time: Date;
  /** file identifier bytes: [0] for ".", [1] for "..", else the name (d-characters or UCS-2) */
  identifier: Uint8Array;
  /** system use area: SUSP / Rock Ridge entries, empty in the Joliet tree */
  systemUse: Uint8Array;
}

export const SELF = new Uint8Array([0]);
export const PARENT = new Uint8Array([1]);

/** 9.1: fixed part (33 bytes), identifier, a pad byte when the identifier length is even, system use, even length */
export function recordLength(r: Pick<DirectoryRecord, "identifier" | "systemUse">): number {
  const n = 33 + r.identifier.length + (r.identifier.length % 2 === 0 ? 1 : 0) + r.systemUse.length;
  return n + (n % 2);
}

export function encodeRecord(r: DirectoryRecord): Uint8Array {
  const length = recordLength(r);
  if (length > 255) throw new Error(`internal: a directory record of ${length} bytes (the limit is 255)`);
  const DIRECTORY_FLAG = 0x02;
  const fixed = concat([
    new Uint8Array([length, 0]), // record length, extended attribute record length
    both32(r.location),
    both32(r.size),
    recordDate(r.time),
    new Uint8Array([r.directory ? DIRECTORY_FLAG : 0, 0, 0]), // flags, file unit size, interleave gap
    both16(1), // volume sequence number
    new Uint8Array([r.identifier.length]),
  ]);
  const out = new Uint8Array(length);
  out.set(fixed, 0);
  out.set(r.identifier, 33);
  out.set(r.systemUse, 33 + r.identifier.length + (r.identifier.length % 2 === 0 ? 1 : 0));
  return out;
}

/** Where each record starts when records of these lengths are packed into sectors */
function offsets(lengths: readonly number[]): { at: number[]; end: number } {
  const at: number[] = [];
  let pos = 0;
  for (const len of lengths) {
    if (Math.floor(pos / SECTOR) !== Math.floor((pos + len - 1) / SECTOR)) pos = Math.ceil(pos / SECTOR) * SECTOR;
    at.push(pos);
    pos += len;
  }
  return { at, end: pos };
}

/** Sectors a directory extent of records with these lengths occupies (at least one) */
export function directorySectors(lengths: readonly number[]): number {
  return sectorsFor(offsets(lengths).end, true);
}

/** The directory extent: the encoded records packed into whole sectors */
export function packDirectory(records: readonly DirectoryRecord[]): Uint8Array {
  const encoded = records.map(encodeRecord);
  const { at } = offsets(encoded.map((e) => e.length));
  const out = new Uint8Array(directorySectors(encoded.map((e) => e.length)) * SECTOR);
  encoded.forEach((e, i) => out.set(e, at[i]));
  return out;
}
