/**
 * ClusterDocId → renderer: the operator documents rendered from the model (output/NAME/registry/,
 * output/NAME/load-balancer/) and
 * the files lock (files.json and mirror.sh name the Ignition downloads with their hashes).
 * Guarantees: every id has exactly one renderer (checked by the type).
 */
import type { ClusterModel } from "../model/types.js";
import type { ClusterDocId } from "../plan/types.js";
import type { FilesLock } from "../render/ignition/downloads.js";
import { renderPolicyJson, renderRegistriesConf, renderRegistriesD } from "../render/registry/containers.js";
import { renderRegistryConfig, renderRegistryServiceDropIn } from "../render/registry/distribution.js";
import { renderFilesJson } from "../render/registry/files-json.js";
import { renderImagesJson, renderImagesTxt } from "../render/registry/manifest.js";
import { renderMirrorScript } from "../render/registry/mirror.js";
import { renderIngressLoadBalancer } from "../render/addons/ingress-lb.js";

export const CLUSTER_DOCS: Record<ClusterDocId, (model: ClusterModel, lock: FilesLock) => string> = {
  "images.json": renderImagesJson,
  "images.txt": renderImagesTxt,
  "mirror.sh": renderMirrorScript,
  "registry-config": renderRegistryConfig,
  "registry-service": renderRegistryServiceDropIn,
  "registries.conf": renderRegistriesConf,
  "policy.json": renderPolicyJson,
  "registries.d": renderRegistriesD,
  "files.json": renderFilesJson,
  "ingress-lb-haproxy": renderIngressLoadBalancer,
};
