/**
 * Volume descriptors (ECMA-119 8.4 primary, 8.5 supplementary as Joliet, 8.3 terminator) and the
 * path tables of a tree that has only its root directory (9.4). The Joliet descriptor is the
 * supplementary one with escape sequence `%/E` (UCS-2 level 3) and all its texts in UCS-2 big
 * endian. Guarantees: pure; each descriptor is exactly one 2048-byte sector; the expiration date is
 * "not specified", every other date is `time`.
 */
import { ascii, both16, both32, concat, SECTOR, u16, u32, ucs2, volumeDate } from "./fields.js";
import { encodeRecord, SELF } from "./directory.js";

export interface VolumeFields {
  volumeId: string;
  applicationId: string;
  /** total sectors of the image */
  volumeSectors: number;
  /** the tree this descriptor describes: its root directory extent and its path tables */
  rootLocation: number;
  rootSize: number;
  pathTableSize: number;
  lPathTable: number;
  mPathTable: number;
  time: Date;
}

/** Joliet UCS-2 level 3 (the supplementary descriptor's escape sequences field, 8.5.6) */
const JOLIET_LEVEL_3 = new Uint8Array([0x25, 0x2f, 0x45]);

function descriptor(f: VolumeFields, joliet: boolean): Uint8Array {
  const text = joliet ? ucs2 : ascii;
  const escapes = new Uint8Array(32);
  if (joliet) escapes.set(JOLIET_LEVEL_3);
  const root = encodeRecord({ location: f.rootLocation, size: f.rootSize, directory: true, time: f.time, identifier: SELF, systemUse: new Uint8Array() });
  const body = concat([
    new Uint8Array([joliet ? 2 : 1]),
    ascii("CD001", 5),
    new Uint8Array([1, 0]), // version, unused (Joliet: volume flags 0)
    text("", 32), // system identifier
    text(f.volumeId, 32),
    new Uint8Array(8),
    both32(f.volumeSectors),
    escapes,
    both16(1), // volume set size
    both16(1), // volume sequence number
    both16(SECTOR), // logical block size
    both32(f.pathTableSize),
    u32(f.lPathTable, true),
    u32(0, true), // no optional L path table
    u32(f.mPathTable, false),
    u32(0, false), // no optional M path table
    root,
    text("", 128), // volume set identifier
    text("", 128), // publisher identifier
    text("", 128), // data preparer identifier
    text(f.applicationId, 128),
    text("", 37), // copyright file identifier
    text("", 37), // abstract file identifier
    text("", 37), // bibliographic file identifier
    volumeDate(f.time), // creation
    volumeDate(f.time), // modification
    volumeDate(undefined), // expiration
    volumeDate(f.time), // effective
    new Uint8Array([1, 0]), // file structure version, reserved
  ]);
  const out = new Uint8Array(SECTOR);
  out.set(body);
  out.fill(0x20, body.length, body.length + 512); // application use: spaces, as genisoimage leaves it
  return out;
}

export function primaryDescriptor(f: VolumeFields): Uint8Array {
  return descriptor(f, false);
}

export function jolietDescriptor(f: VolumeFields): Uint8Array {
  return descriptor(f, true);
}

export function terminator(): Uint8Array {
  const out = new Uint8Array(SECTOR);
  out.set(concat([new Uint8Array([255]), ascii("CD001", 5), new Uint8Array([1])]));
  return out;
}

/** 9.4: the one entry of a root-only tree — identifier 0x00, parent directory number 1 */
export function pathTable(rootLocation: number, littleEndian: boolean): Uint8Array {
  return concat([new Uint8Array([1, 0]), u32(rootLocation, littleEndian), u16(1, littleEndian), new Uint8Array([0, 0])]);
}
