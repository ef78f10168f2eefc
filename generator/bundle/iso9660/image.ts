/**
 * buildIso9660: a few small files → the bytes of an ISO 9660 image with Rock Ridge and Joliet, as
 * `genisoimage -volid ID -joliet -rock` lays them out (a NoCloud seed is one: three files in the root).
 *
 * Layout, in 2048-byte sectors:
 *   0–15 system area (zero) · 16 primary descriptor · 17 Joliet descriptor · 18 terminator ·
 *   19/20 L/M path tables of the primary tree · 21/22 those of the Joliet tree ·
 *   primary root directory (Rock Ridge in every record) · Joliet root directory ·
 *   one continuation sector holding the Rock Ridge ER entry · the files, in name order, each from a
 *   sector boundary (an empty file takes no sector and points at sector 0).
 *
 * Guarantees: pure and deterministic — the bytes depend only on the arguments (every timestamp is
 * `time`; no padding area, no random or host data); the volume space size is the image length;
 * owners are uid/gid 0, the root directory is 0555, each file keeps the permission bits of its
 * `mode`. Does not: hold subdirectories, symlinks or files of 4 GiB and more, nor make the image
 * bootable. Invalid names or volume ids are internal errors (the callers pass fixed names).
 * isoImage also says where the image holds each file's contents and its system area (pieces), so that
 * archives deflate those bytes once, not again inside every image.
 */
import type { ContentPiece } from "../artifact.js";
import { ascii, concat, SECTOR, sectorsFor, ucs2Name } from "./fields.js";
import { jolietDescriptor, pathTable, primaryDescriptor, terminator, type VolumeFields } from "./descriptors.js";
import { directorySectors, packDirectory, PARENT, recordLength, SELF, type DirectoryRecord } from "./directory.js";
import { assertDistinct, compareJoliet, comparePrimary, fileNames, levelOneIdentifier, type FileNames } from "./names.js";
import { ce, er, nm, px, rr, sp, S_IFDIR, S_IFREG, tf } from "./rock-ridge.js";

export interface IsoFile {
  /** the real name (Rock Ridge and Joliet): portable characters, at most 64 */
  name: string;
  contents: Uint8Array;
  /** POSIX permission bits recorded in Rock Ridge */
  mode: number;
}

export interface IsoImageInput {
  /** volume identifier, e.g. `cidata`: letters, digits and `_`, at most 16 (fits both descriptors) */
  volumeId: string;
  applicationId: string;
  /** every date in the image */
  time: Date;
  files: readonly IsoFile[];
}

const FIRST_PATH_TABLE = 19;
/** Sectors 0–15, zero: one object for every image (a piece of each), never written to. */
const SYSTEM_AREA = new Uint8Array(16 * SECTOR);
const ROOT_MODE = S_IFDIR | 0o555;
const MAX_FILE = 0xffffffff;

interface Named {
  file: IsoFile;
  names: FileNames;
}

interface Placed extends Named {
  location: number;
}

/**
 * Fields that do not depend on the files' sizes (system use areas, descriptors) come out the same for
 * every image of a run (a seed for each of 1,000 nodes): each is made once per key. The bytes are
 * shared, so they are only ever copied into an image, never changed.
 */
const made = new Map<string, Uint8Array>();
function once(key: string, make: () => Uint8Array): Uint8Array {
  let bytes = made.get(key);
  if (bytes === undefined) {
    if (made.size >= 256) made.clear();
    made.set(key, (bytes = make()));
  }
  return bytes;
}

/** The Rock Ridge entries of the primary root's "." record; CE names the continuation sector */
function rootSelfUse(time: Date, ceSector: number): Uint8Array {
  return once(`self ${time.getTime()} ${ceSector}`, () => concat([sp(), rr(false), px(ROOT_MODE, 2), tf(time), ce(ceSector, 0, er().length)]));
}

function fileUse(n: Named, time: Date): Uint8Array {
  const mode = S_IFREG | (n.file.mode & 0o7777);
  return once(`file ${time.getTime()} ${mode} ${n.names.name}`, () => concat([rr(true), nm(n.names.name), px(mode, 1), tf(time)]));
}

function parentUse(time: Date): Uint8Array {
  return once(`parent ${time.getTime()}`, () => concat([rr(false), px(ROOT_MODE, 2), tf(time)]));
}

const primaryId = (n: Named) => ascii(levelOneIdentifier(n.names), levelOneIdentifier(n.names).length);

/** The image's bytes. */
export function buildIso9660(input: IsoImageInput): Uint8Array {
  return isoImage(input).bytes;
}

/** The image's bytes, and its pieces: the system area and each non-empty file's contents, where they lie. */
export function isoImage(input: IsoImageInput): { bytes: Uint8Array; pieces: ContentPiece[] } {
  if (!/^[A-Za-z0-9_]{1,16}$/.test(input.volumeId)) throw new Error(`internal: ${JSON.stringify(input.volumeId)} is not a volume id for the ISO image`);
  const { time } = input;
  const named = input.files.map((file) => {
    if (file.contents.length > MAX_FILE) throw new Error(`internal: ${file.name} is too large for one ISO 9660 extent`);
    return { file, names: fileNames(file.name) };
  });
  assertDistinct(named.map((n) => n.names));

  // sizes first: record lengths do not depend on locations
  const primaryIds = [...named].sort((a, b) => comparePrimary(a.names, b.names));
  const jolietIds = [...named].sort((a, b) => compareJoliet(a.names, b.names));
  const primaryLengths = [
    recordLength({ identifier: SELF, systemUse: rootSelfUse(time, 0) }),
    recordLength({ identifier: PARENT, systemUse: parentUse(time) }),
    ...primaryIds.map((n) => recordLength({ identifier: primaryId(n), systemUse: fileUse(n, time) })),
  ];
  const dot = recordLength({ identifier: SELF, systemUse: new Uint8Array() });
  const jolietLengths = [dot, dot, ...jolietIds.map((n) => recordLength({ identifier: ucs2Name(n.names.name), systemUse: new Uint8Array() }))];

  const primaryRoot = FIRST_PATH_TABLE + 4;
  const primarySectors = directorySectors(primaryLengths);
  const jolietRoot = primaryRoot + primarySectors;
  const jolietSectors = directorySectors(jolietLengths);
  const ceSector = jolietRoot + jolietSectors;
  let next = ceSector + 1;
  const placed = new Map<string, Placed>();
  for (const n of primaryIds) {
    const sectors = sectorsFor(n.file.contents.length);
    placed.set(n.file.name, { ...n, location: sectors ? next : 0 });
    next += sectors;
  }
  const volumeSectors = next;

  const dirRecord = (location: number, sectors: number, identifier: Uint8Array, systemUse: Uint8Array): DirectoryRecord => ({
    location,
    size: sectors * SECTOR,
    directory: true,
    time,
    identifier,
    systemUse,
  });
  const fileRecord = (p: Placed, identifier: Uint8Array, systemUse: Uint8Array): DirectoryRecord => ({
    location: p.location,
    size: p.file.contents.length,
    directory: false,
    time,
    identifier,
    systemUse,
  });
  const primaryDir = packDirectory([
    dirRecord(primaryRoot, primarySectors, SELF, rootSelfUse(time, ceSector)),
    dirRecord(primaryRoot, primarySectors, PARENT, parentUse(time)),
    ...primaryIds.map((n) => fileRecord(placed.get(n.file.name)!, primaryId(n), fileUse(n, time))),
  ]);
  const jolietDir = packDirectory([
    dirRecord(jolietRoot, jolietSectors, SELF, new Uint8Array()),
    dirRecord(jolietRoot, jolietSectors, PARENT, new Uint8Array()),
    ...jolietIds.map((n) => fileRecord(placed.get(n.file.name)!, ucs2Name(n.names.name), new Uint8Array())),
  ]);

  const common = { volumeId: input.volumeId, applicationId: input.applicationId, volumeSectors, pathTableSize: pathTable(0, true).length, time };
  const primary: VolumeFields = { ...common, rootLocation: primaryRoot, rootSize: primarySectors * SECTOR, lPathTable: FIRST_PATH_TABLE, mPathTable: FIRST_PATH_TABLE + 1 };
  const joliet: VolumeFields = { ...common, rootLocation: jolietRoot, rootSize: jolietSectors * SECTOR, lPathTable: FIRST_PATH_TABLE + 2, mPathTable: FIRST_PATH_TABLE + 3 };

  const image = new Uint8Array(volumeSectors * SECTOR);
  const put = (sector: number, bytes: Uint8Array) => image.set(bytes, sector * SECTOR);
  // every field of a descriptor is in its key (the date as JSON gives it, to the millisecond)
  put(16, once(`primary ${JSON.stringify(primary)}`, () => primaryDescriptor(primary)));
  put(17, once(`joliet ${JSON.stringify(joliet)}`, () => jolietDescriptor(joliet)));
  put(18, once("terminator", terminator));
  put(FIRST_PATH_TABLE, pathTable(primaryRoot, true));
  put(FIRST_PATH_TABLE + 1, pathTable(primaryRoot, false));
  put(FIRST_PATH_TABLE + 2, pathTable(jolietRoot, true));
  put(FIRST_PATH_TABLE + 3, pathTable(jolietRoot, false));
  put(primaryRoot, primaryDir);
  put(jolietRoot, jolietDir);
  put(ceSector, once("er", er));
  const pieces: ContentPiece[] = [{ at: 0, bytes: SYSTEM_AREA }];
  for (const p of placed.values()) {
    if (!p.location) continue;
    put(p.location, p.file.contents);
    pieces.push({ at: p.location * SECTOR, bytes: p.file.contents });
  }
  return { bytes: image, pieces };
}
