/**
 * output/NAME/registry/files.json: every node package an air-gapped cluster needs (node-packages.ts):
 * the .deb packages of the Debian nodes with the exact version where kubeseed pins it, the upstream
 * apt repositories they come from, the rule save-packages resolves dependencies by, and the files the
 * Ignition nodes download (upstream URL, sha256 from the files lock, where nodes fetch them); plus the
 * registry host's file server that serves them all (mirror.sh push-packages fills it) and the apt
 * source line the Debian nodes use.
 * Guarantees: pure; the order of node-packages.ts; repositories listed only when a package uses them.
 */
import type { ClusterModel } from "../../model/types.js";
import { flatRepositoryLine, flatRepositoryUrl } from "../cloud-init/airgap-apt.js";
import type { FilesLock } from "../ignition/downloads.js";
import { DEPENDENCY_RULE, mirroredFiles, nodePackages, upstreamRepositories } from "./node-packages.js";

export const FILES_FORMAT = "kubeseed.files/v1";

export function renderFilesJson(model: ClusterModel, lock: FilesLock): string {
  const p = model.registry.packages;
  const packages = nodePackages(model);
  const used = new Set(packages.flatMap((x) => x.from));
  const doc = {
    format: FILES_FORMAT,
    cluster: model.name,
    kubernetesVersion: model.kubernetes.version.full,
    architectures: model.registry.architectures,
    server: {
      url: p.url,
      repository: flatRepositoryUrl(model),
      aptSource: flatRepositoryLine(model),
      signed: p.key !== undefined,
      files: `${p.addressUrl ?? p.url}files/`,
    },
    repositories: upstreamRepositories(model).filter((r) => used.has(r.id)),
    dependencies: DEPENDENCY_RULE,
    packages,
    files: mirroredFiles(model, lock),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
