/**
 * System Use Sharing Protocol (SUSP 1.10) and Rock Ridge (RRIP 1.10, "RRIP_1991A") entries, the set
 * `genisoimage -rock` writes: SP, CE and ER (SUSP), RR, PX, NM and TF (RRIP). The root's "." record
 * carries SP first (the Linux kernel and libisofs look for it at the start of that system use area)
 * and a CE that points at the ER entry, which names the extension (the kernel switches Rock Ridge
 * on when it meets ER; isoinfo and xorriso need SP + ER too). Guarantees: pure; each function
 * returns one complete entry (signature, length, version 1, data).
 */
import { ascii, both32, concat, recordDate } from "./fields.js";

function entry(signature: string, data: Uint8Array): Uint8Array {
  if (data.length + 4 > 255) throw new Error(`internal: the ${signature} entry is longer than 255 bytes`);
  return concat([ascii(signature, 2), new Uint8Array([data.length + 4, 1]), data]);
}

/** SUSP 5.3: "system use sharing protocol in use", no bytes skipped */
export function sp(): Uint8Array {
  return entry("SP", new Uint8Array([0xbe, 0xef, 0]));
}

/** SUSP 5.1: the rest of this record's system use area is `length` bytes at `offset` of sector `block` */
export function ce(block: number, offset: number, length: number): Uint8Array {
  return entry("CE", concat([both32(block), both32(offset), both32(length)]));
}

/** RRIP 1.10 4.3: the extension identifier, descriptor and source texts the standard gives for RRIP_1991A */
export const RRIP = {
  id: "RRIP_1991A",
  descriptor: "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS",
  source: "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.",
} as const;

/** SUSP 5.5: extension reference for Rock Ridge, version 1 */
export function er(): Uint8Array {
  const { id, descriptor, source } = RRIP;
  const head = new Uint8Array([id.length, descriptor.length, source.length, 1]);
  return entry("ER", concat([head, ascii(id, id.length), ascii(descriptor, descriptor.length), ascii(source, source.length)]));
}

/** RRIP 1.09 "RR" flags: which Rock Ridge entries this record carries (read by the Linux kernel) */
const RR_FLAG = { PX: 0x01, NM: 0x08, TF: 0x80 } as const;

export function rr(withName: boolean): Uint8Array {
  return entry("RR", new Uint8Array([RR_FLAG.PX | RR_FLAG.TF | (withName ? RR_FLAG.NM : 0)]));
}

/** RRIP 4.1.1: POSIX mode (with the S_IFDIR / S_IFREG type bits), link count, uid, gid — 36 bytes */
export function px(mode: number, links: number, uid = 0, gid = 0): Uint8Array {
  return entry("PX", concat([both32(mode), both32(links), both32(uid), both32(gid)]));
}

/** RRIP 4.1.4: the real file name, whole (no continuation) */
export function nm(name: string): Uint8Array {
  return entry("NM", concat([new Uint8Array([0]), ascii(name, name.length)]));
}

/** RRIP 4.1.6: modification, access and attribute-change times in the 7-byte form */
export function tf(t: Date): Uint8Array {
  const MODIFY_ACCESS_ATTRIBUTES = 0x0e;
  const d = recordDate(t);
  return entry("TF", concat([new Uint8Array([MODIFY_ACCESS_ATTRIBUTES]), d, d, d]));
}

/** POSIX file type bits for PX */
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
