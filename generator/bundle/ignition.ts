/**
 * Per-node Ignition config from the node's resolved file tree: nodes/NODE/ignition.json (0600: it holds
 * the node's keys), for nodes whose OS is Fedora CoreOS or Flatcar. The Kubernetes downloads get their
 * sha256 from the files lock (NAME.files.lock.json next to the profile, read by io/files-lock.ts).
 * Guarantees: pure; same inputs → same bytes. `checkFilesLock` throws one UserError naming every URL
 * the lock lacks, each once, with the nodes that download it, before anything is issued or rendered
 * (kubeseed never computes or invents a hash: this machine cannot fetch the files).
 */
import type { Diagnostic } from "../core/diagnostics.js";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { ignitionPath } from "../core/layout.js";
import { renderIgnitionConfig, type VerifiedDownload } from "../render/ignition/config.js";
import { kubernetesDownloads, type FilesLock } from "../render/ignition/downloads.js";
import { isIgnitionOs, type IgnitionOs } from "../render/ignition/os.js";
import type { ClusterModel } from "../model/types.js";
import type { NodeFile, NodeRenderInput } from "../render/node-input.js";
import type { Artifact } from "./artifact.js";

const M = messages.ignition;

/** Every URL the cluster's Ignition nodes download that the lock lacks → the nodes that download it. */
function missingDownloads(model: ClusterModel, lock: FilesLock): Map<string, string[]> {
  const missing = new Map<string, string[]>();
  for (const node of model.nodes.filter((n) => isIgnitionOs(n.os))) {
    for (const d of kubernetesDownloads(model, node)) {
      if (lock.files[d.upstream]) continue;
      if (!missing.has(d.upstream)) missing.set(d.upstream, []);
      missing.get(d.upstream)!.push(node.name);
    }
  }
  return missing;
}

/** Throws one UserError listing every download of every Ignition node that the lock has no hash for. */
export function checkFilesLock(model: ClusterModel, lock: FilesLock): void {
  const missing = missingDownloads(model, lock);
  if (missing.size === 0) return;
  const diagnostics: Diagnostic[] = [...missing.keys()].map((url) => ({
    severity: "error",
    code: "files-lock-missing",
    path: ["spec", "host", "kubernetesPackages"],
    message: M.hashMissing(url, lock.file),
    hint: M.hashMissingHint(url),
  }));
  const nodes = [...new Set([...missing.values()].flat())];
  throw new UserError(M.lockIncomplete(lock.file, missing.size, nodes), diagnostics);
}

/** The node's downloads with their hashes from the lock (checkFilesLock has made sure every one is there). */
export function verifiedDownloads(input: NodeRenderInput, lock: FilesLock): VerifiedDownload[] {
  return kubernetesDownloads(input.model, input.node).map((d) => {
    const entry = lock.files[d.upstream];
    if (!entry) throw new Error(`internal: ${d.upstream} has no hash in ${lock.file} after checkFilesLock`);
    return { ...d, sha256: entry.sha256 };
  });
}

export function ignitionArtifacts(input: NodeRenderInput, files: NodeFile[], os: IgnitionOs, lock: FilesLock): Artifact[] {
  const config = renderIgnitionConfig(input, files, os, { version: input.model.host.ignitionVersion, downloads: verifiedDownloads(input, lock) });
  return [{ path: ignitionPath(input.node.name), mode: 0o600, contents: config, sensitive: true, node: input.node.name, kind: "ignition" }];
}
