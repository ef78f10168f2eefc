/**
 * An ASCII-armored OpenPGP public key, as `gpg --armor --export KEY` writes it (RFC 4880 §6 armor,
 * §4.2 packet framing; RFC 9580 for version 6 keys), checked before it is written into mirror.sh and
 * onto every node's apt keyring.
 * Guarantees: pure; returns why `text` is not such a key (a messages.ts text) or undefined. Checks the
 * armor exactly (header line, armor headers, blank line, base64 lines, the CRC-24 checksum when
 * present, footer line, nothing after it), then that the data is a sequence of whole OpenPGP packets
 * that starts with a public-key packet and holds only key material (keys, subkeys, user ids,
 * attributes, signatures, trust). Does not verify signatures or key mathematics.
 */
import { messages } from "../core/messages.js";

const K = messages.profile.pgpKey;
/** The first and last line (the schema's check, shown to editors; pgpPublicKeyProblem checks the rest). */
export const PGP_ARMOR = /^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+\n-----END PGP PUBLIC KEY BLOCK-----\n?$/;
const BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
const END = "-----END PGP PUBLIC KEY BLOCK-----";
const BASE64_LINE = /^[A-Za-z0-9+/]{1,76}={0,2}$/;
const ARMOR_HEADER = /^[A-Za-z][A-Za-z0-9-]*: [\x20-\x7e]*$/;
/** Packet tags a transferable public key consists of (RFC 4880 §11.1, RFC 9580 §10.1). */
const KEY_PACKET_TAGS = new Set([2, 6, 12, 13, 14, 17]);
const PUBLIC_KEY = 6;

/** CRC-24 of RFC 4880 §6.1. */
function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** Why the armor is wrong, or the decoded data. */
function dearmor(text: string): { data: Uint8Array } | { problem: string } {
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) return { problem: K.privateKey };
  const lines = text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  if (lines[0] !== BEGIN || lines[lines.length - 1] !== END) return { problem: K.armorLines };
  let i = 1;
  while (i < lines.length - 1 && lines[i] !== "") {
    if (!ARMOR_HEADER.test(lines[i])) return { problem: K.armorHeader(i + 1) };
    i++;
  }
  if (lines[i] !== "") return { problem: K.armorLines };
  const body = lines.slice(i + 1, -1);
  const checksum = body.length > 0 && /^=[A-Za-z0-9+/]{4}$/.test(body[body.length - 1]) ? body.pop()!.slice(1) : undefined;
  const bad = body.findIndex((l) => !BASE64_LINE.test(l));
  if (bad >= 0 || body.length === 0) return { problem: K.base64(i + 2 + Math.max(bad, 0)) };
  const joined = body.join("");
  if (joined.length % 4 !== 0 || /=[^=]/.test(joined)) return { problem: K.base64(i + 2) };
  const data = new Uint8Array(Buffer.from(joined, "base64"));
  if (checksum !== undefined && crc24(data) !== Buffer.from(checksum, "base64").readUIntBE(0, 3)) return { problem: K.checksum };
  return { data };
}

/** The tags of the packets in `data`, or undefined when it is not a sequence of whole packets. */
function packetTags(data: Uint8Array): number[] | undefined {
  const tags: number[] = [];
  let at = 0;
  while (at < data.length) {
    const head = data[at];
    if ((head & 0x80) === 0) return undefined;
    let tag: number;
    let len: number;
    if (head & 0x40) {
      tag = head & 0x3f;
      const a = data[at + 1];
      if (a === undefined) return undefined;
      if (a < 192) [len, at] = [a, at + 2];
      else if (a < 224) [len, at] = [((a - 192) << 8) + (data[at + 2] ?? NaN) + 192, at + 3];
      else if (a === 255) [len, at] = [((data[at + 2] << 24) | (data[at + 3] << 16) | (data[at + 4] << 8) | data[at + 5]) >>> 0, at + 6];
      else return undefined; // partial body lengths are not allowed in key packets
    } else {
      tag = (head >> 2) & 0x0f;
      const size = [1, 2, 4][head & 0x03];
      if (size === undefined) return undefined; // indeterminate length
      len = 0;
      for (let k = 1; k <= size; k++) len = len * 256 + (data[at + k] ?? NaN);
      at += 1 + size;
    }
    if (!Number.isFinite(len) || at + len > data.length) return undefined;
    tags.push(tag);
    at += len;
  }
  return tags;
}

/** Why `text` is not an armored OpenPGP public key, or undefined when it is one. */
export function pgpPublicKeyProblem(text: string): string | undefined {
  const armor = dearmor(text);
  if ("problem" in armor) return armor.problem;
  const tags = packetTags(armor.data);
  if (!tags || tags.length === 0) return K.packets;
  if (tags[0] !== PUBLIC_KEY) return K.notPublicKey;
  if (tags.some((t) => !KEY_PACKET_TAGS.has(t))) return K.packets;
  return undefined;
}
