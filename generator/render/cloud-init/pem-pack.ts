/**
 * PEM files travel in a cloud-init document as one binary pack. A PEM is base64 text: in a document it
 * costs its own length and gzip finds little to fold in it, while the DER bytes under it are a quarter
 * smaller and share issuer names, OIDs and extensions that gzip does fold (a control plane carries
 * about thirty certificates and keys). `withPemPack` takes every file that is one PEM block in the
 * canonical layout (BEGIN line, base64 in 64-column lines, END line, each ending in "\n") out of the
 * delivery list and puts its DER bytes into PEM_PACK, one after the other, with a line per file in
 * PEM_MANIFEST: `<offset> <length> <label, spaces as _> <mode, octal> <owner> <path>`. On first boot,
 * before anything reads them, kubeseed-bootstrap writes each file back (render/bootstrap/functions.ts
 * unpack_pems: coreutils' dd and base64 -w 64; not tail | head, whose tail dies of SIGPIPE under pipefail once a pack outgrows a pipe's buffer), with its mode and owner; `unpackPem` is the
 * same rule in TypeScript, for tests.
 * Guarantees: pure; the DER of a file re-encodes to its text byte for byte (checked here: a file that
 * would not is left in the list as it is); the pack follows the list's order; no file leaves the list
 * when none is a canonical PEM, and then no pack is added.
 */
import { ASSEMBLY_DIR } from "../bootstrap/data.js";
import type { NodeFile } from "../node-input.js";

export const PEM_PACK = `${ASSEMBLY_DIR}/pems.der`;
export const PEM_MANIFEST = `${ASSEMBLY_DIR}/pems`;

const BLOCK = /^-----BEGIN ([A-Z ]+)-----\n([A-Za-z0-9+/=\n]+)-----END \1-----\n$/;

/** The canonical PEM text of DER bytes under a label. */
export function pemText(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** label and DER of a file that is one canonical PEM block, else undefined. */
function canonical(text: string): { label: string; der: Buffer } | undefined {
  const m = BLOCK.exec(text);
  if (!m) return undefined;
  const der = Buffer.from(m[2].replace(/\n/g, ""), "base64");
  return pemText(m[1], der) === text ? { label: m[1], der } : undefined;
}

/** The file a manifest line describes, rebuilt from the pack (as unpack_pems does on the node). */
export function unpackPem(line: string, pack: Uint8Array): { path: string; mode: number; owner: string; contents: string } {
  const [offset, length, label, mode, owner, path] = line.split(" ");
  const der = pack.subarray(Number(offset), Number(offset) + Number(length));
  return { path, mode: parseInt(mode, 8), owner, contents: pemText(label.replaceAll("_", " "), der) };
}

/** The delivery list with every canonical PEM file moved into the pack (manifest and pack appended). */
export function withPemPack(files: NodeFile[]): NodeFile[] {
  const kept: NodeFile[] = [];
  const ders: Buffer[] = [];
  const lines: string[] = [];
  let offset = 0;
  for (const f of files) {
    const pem = f.binary || /\s/.test(f.path) || /\s/.test(f.owner) ? undefined : canonical(f.contents);
    if (!pem) {
      kept.push(f);
      continue;
    }
    lines.push(`${offset} ${pem.der.length} ${pem.label.replaceAll(" ", "_")} ${f.mode.toString(8).padStart(4, "0")} ${f.owner} ${f.path}`);
    ders.push(pem.der);
    offset += pem.der.length;
  }
  if (!lines.length) return files;
  return [
    ...kept,
    { path: PEM_MANIFEST, mode: 0o600, owner: "root:root", contents: `${lines.join("\n")}\n` },
    { path: PEM_PACK, mode: 0o600, owner: "root:root", contents: "", binary: Buffer.concat(ders) },
  ];
}
