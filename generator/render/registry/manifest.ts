/**
 * output/NAME/registry/images.json and images.txt: every image the cluster needs (model/images.ts), with
 * where it comes from, where it lives in the air-gapped registry, its digest when known (the upstream's
 * pin or images.lock.json) and who needs it. images.txt is the rendered target reference per line.
 * Guarantees: pure; the order of clusterImages; one images.txt line per image (its first target path).
 */
import { clusterImages, imageDigest, imageRef, lockKey } from "../../model/images.js";
import type { ClusterModel } from "../../model/types.js";

export const IMAGES_FORMAT = "kubeseed.images/v1";

export function renderImagesJson(model: ClusterModel): string {
  const images = clusterImages(model).map((i) => ({
    component: i.component,
    source: lockKey(i.source),
    targets: i.targetPaths.map((p) => imageRef(model, i.source, p)),
    tag: i.source.tag,
    digest: imageDigest(model, i.source) ?? null,
  }));
  const doc = {
    format: IMAGES_FORMAT,
    cluster: model.name,
    kubernetesVersion: model.kubernetes.version.full,
    registry: model.registry.repository,
    architectures: model.registry.architectures,
    images,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

export function renderImagesTxt(model: ClusterModel): string {
  return clusterImages(model).map((i) => imageRef(model, i.source, i.targetPaths[0]) + "\n").join("");
}
