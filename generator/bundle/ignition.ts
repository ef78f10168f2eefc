/**
 * Per-node Ignition config from the node's resolved file tree: nodes/NODE/ignition.json (0600: it holds
 * the node's keys), for nodes whose OS is Fedora CoreOS or Flatcar. The Kubernetes downloads get their
 * sha256 from the files lock (NAME.files.lock.json next to the profile, read by io/files-lock.ts).
 * Guarantees: pure; same inputs → same bytes. Throws a UserError naming every URL the lock lacks
 * (kubeseed never computes or invents a hash: this machine cannot fetch the files).
 */
import type { Diagnostic } from "../core/diagnostics.js";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { ignitionPath } from "../core/layout.js";
import { renderIgnitionConfig, type VerifiedDownload } from "../render/ignition/config.js";
import { kubernetesDownloads, type FilesLock } from "../render/ignition/downloads.js";
import type { IgnitionOs } from "../render/ignition/os.js";
import type { NodeFile, NodeRenderInput } from "../render/node-input.js";
import type { Artifact } from "./artifact.js";

const M = messages.ignition;

/** The node's downloads with their hashes from the lock; a UserError listing every missing one. */
export function verifiedDownloads(input: NodeRenderInput, lock: FilesLock): VerifiedDownload[] {
  const downloads = kubernetesDownloads(input.model, input.node);
  const missing = downloads.filter((d) => !lock.files[d.upstream]);
  if (missing.length) {
    const file = lock.file;
    const diagnostics: Diagnostic[] = missing.map((d) => ({
      severity: "error",
      code: "files-lock-missing",
      path: ["spec", "host", "kubernetesPackages"],
      message: M.hashMissing(d.upstream, file),
      hint: M.hashMissingHint(d.upstream),
    }));
    throw new UserError(M.lockIncomplete(file, missing.length, input.node.name, input.node.os), diagnostics);
  }
  return downloads.map((d) => ({ ...d, sha256: lock.files[d.upstream].sha256 }));
}

export function ignitionArtifacts(input: NodeRenderInput, files: NodeFile[], os: IgnitionOs, lock: FilesLock): Artifact[] {
  const config = renderIgnitionConfig(input, files, os, { version: input.model.host.ignitionVersion, downloads: verifiedDownloads(input, lock) });
  return [{ path: ignitionPath(input.node.name), mode: 0o600, contents: config, sensitive: true, node: input.node.name, kind: "ignition" }];
}
