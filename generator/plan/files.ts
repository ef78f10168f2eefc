/**
 * Small constructors for planned files with kubeadm's modes: private keys 0600, certificates and
 * public keys 0644 (docs/sources.md#pki-file-modes).
 */
import type { CaId, FileSource, PlannedFile } from "./types.js";

export function keyFile(source: FileSource, path: string): PlannedFile {
  return { path, mode: 0o600, owner: "root:root", source, sensitive: true };
}

export function publicFile(source: FileSource, path: string): PlannedFile {
  return { path, mode: 0o644, owner: "root:root", source, sensitive: false };
}

/** base "…/ca" → { cert: "…/ca.crt", key: "…/ca.key" } */
export function caFiles(ca: CaId, base: string): { cert: PlannedFile; key: PlannedFile } {
  return { cert: publicFile({ kind: "ca-cert", ca }, `${base}.crt`), key: keyFile({ kind: "ca-key", ca }, `${base}.key`) };
}

export function certFiles(certId: string, base: string): PlannedFile[] {
  return [publicFile({ kind: "cert", certId }, `${base}.crt`), keyFile({ kind: "key", certId }, `${base}.key`)];
}
