/**
 * Every container image a cluster needs, as DATA (STYLE rule 9), and the one function that turns an
 * image into the reference rendered files use. Sources: docs/sources.md#kubeadm-images (kubeadm's
 * images.go; its list per patch release is model/versions.ts), flannel's manifest,
 * kubeadm's HA guide for the static-pod balancer, ingress-nginx's baremetal manifests (digest-pinned).
 *
 * Air-gap mapping: an image `<upstream>/<path>:<tag>` lives in the registry at
 * `<registry authority>/<prefix>/<path>:<tag>`, the path the runtime asks for when a containerd mirror
 * with `override_path` points the upstream host at `<registry>/v2/<prefix>` (render/registry). The one
 * exception is kubeadm's rule for CoreDNS: under a custom imageRepository kubeadm asks for
 * `<repo>/coredns:<tag>`, not `<repo>/coredns/coredns` (cmd/kubeadm/app/images/images.go), so the image
 * is published under both paths.
 * Guarantees: pure; the list order is fixed (kubeadm's `config images list` order, then add-ons).
 */
import { lookupVersion } from "./versions.js";
import type { ClusterModel } from "./types.js";

export interface ImageName {
  /** upstream registry host, e.g. registry.k8s.io */
  registry: string;
  /** repository path, e.g. coredns/coredns */
  path: string;
  tag: string;
  /** digest the upstream manifest pins, when it pins one */
  digest?: string;
}

export interface ClusterImage {
  /** who needs it, e.g. kubeadm, flannel, haproxy (static pod) */
  component: string;
  source: ImageName;
  /** paths under the registry prefix that must hold it (the first is what kubeseed renders) */
  targetPaths: string[];
}

/**
 * flannel v0.28.4 and the CNI plugin image its Documentation/kube-flannel.yml pairs with it (flannel
 * publishes on ghcr.io since v0.26). v0.28.4, not an older release: the rehearsal cluster builds every
 * image from source (scripts/rehearsal/recipes.ts), and the Go module proxy serves flannel v0.28.x but
 * not v0.26.x.
 */
export const FLANNEL_IMAGES = {
  flannel: { registry: "ghcr.io", path: "flannel-io/flannel", tag: "v0.28.4" },
  cniPlugin: { registry: "ghcr.io", path: "flannel-io/flannel-cni-plugin", tag: "v1.9.1-flannel1" },
} as const satisfies Record<string, ImageName>;

/** keepalived image: kubeadm's HA guide uses osixia/keepalived (it reads /container/service/keepalived/assets). */
export const BALANCER_IMAGES = {
  haproxy: { registry: "docker.io", path: "library/haproxy", tag: "2.8.14" },
  keepalived: { registry: "docker.io", path: "osixia/keepalived", tag: "2.0.20" },
} as const satisfies Record<string, ImageName>;

/** ingress-nginx release per Kubernetes minor (its support matrix), images as its manifests pin them. */
const INGRESS_NGINX: readonly { minors: [number, number]; controller: ImageName; certgen: ImageName }[] = [
  ingress([28, 28], "v1.12.8", "8f8343060688fb2a85752b7345a988d0d3c890d774e18e80b9e8730756e5b530", "v1.6.4", "bcfc926ed57831edf102d62c5c0e259572591df4796ef1420b87f9cf6092497f"),
  ingress([29, 29], "v1.13.9", "d803625b20d471400fdae9dce0fdd076c0361f8f7e1ecee0dcd2f84fa0d196f8", "v1.6.9", "01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd"),
  ingress([30, 30], "v1.14.5", "af3312d040dbe8d503001a1094b248e8be372f70f317a4bc35f81fb312bff3a8", "v1.6.9", "01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd"),
  ingress([31, 99], "v1.15.1", "594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1", "v1.6.9", "01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd"),
];

function ingress(minors: [number, number], controller: string, cDigest: string, certgen: string, gDigest: string) {
  return {
    minors,
    controller: { registry: "registry.k8s.io", path: "ingress-nginx/controller", tag: controller, digest: `sha256:${cDigest}` },
    certgen: { registry: "registry.k8s.io", path: "ingress-nginx/kube-webhook-certgen", tag: certgen, digest: `sha256:${gDigest}` },
  };
}

/** The ingress-nginx release of the cluster's Kubernetes minor (the newest row beyond the table). */
export function ingressNginxImages(model: ClusterModel): { controller: ImageName; certgen: ImageName } {
  const minor = model.kubernetes.version.minor;
  return INGRESS_NGINX.find((r) => minor >= r.minors[0] && minor <= r.minors[1]) ?? INGRESS_NGINX[INGRESS_NGINX.length - 1];
}

const one = (component: string, source: ImageName): ClusterImage => ({ component, source, targetPaths: [source.path] });

/** Every image of the cluster, in a fixed order: kubeadm's list, the CNI, the HA pods, add-ons. */
export function clusterImages(model: ClusterModel): ClusterImage[] {
  const v = model.kubernetes.version;
  const row = lookupVersion(v.full);
  if (!row) throw new Error(`internal: no image row for ${v.full} (validation admits only supported versions)`);
  const k8s = (path: string, tag: string) => one("kubeadm", { registry: "registry.k8s.io", path, tag });
  const images: ClusterImage[] = [
    k8s("kube-apiserver", v.full),
    k8s("kube-controller-manager", v.full),
    k8s("kube-scheduler", v.full),
    k8s("kube-proxy", v.full),
    { component: "kubeadm", source: { registry: "registry.k8s.io", path: "coredns/coredns", tag: row.coredns }, targetPaths: ["coredns", "coredns/coredns"] },
    k8s("pause", row.pause),
    k8s("etcd", row.etcd),
    one("flannel", FLANNEL_IMAGES.cniPlugin),
    one("flannel", FLANNEL_IMAGES.flannel),
  ];
  if (model.loadBalancer === "static-pods") images.push(one("haproxy (static pod)", BALANCER_IMAGES.haproxy), one("keepalived (static pod)", BALANCER_IMAGES.keepalived));
  if (model.registry.addons.includes("ingress-nginx")) {
    const rel = ingressNginxImages(model);
    images.push(one("ingress-nginx", rel.controller), one("ingress-nginx", rel.certgen));
  }
  return images;
}

/** `registry/path:tag`: how images.json and images.lock.json name an upstream image. */
export const lockKey = (i: ImageName) => `${i.registry}/${i.path}:${i.tag}`;

/** The digest to pin: images.lock.json's (keyed by lockKey), else the upstream's pin. */
export function imageDigest(model: ClusterModel, i: ImageName): string | undefined {
  return model.registry.digests[lockKey(i)] ?? i.digest;
}

/**
 * The reference a rendered file uses for an image: upstream online, the registry in airgap mode;
 * `@sha256:…` appended whenever the digest is known. `path` selects one of the target paths.
 */
export function imageRef(model: ClusterModel, i: ImageName, path = i.path): string {
  const digest = imageDigest(model, i);
  const name = model.registry.mode === "airgap" ? `${model.registry.repository}/${path}` : `${i.registry}/${path}`;
  return `${name}:${i.tag}${digest ? `@${digest}` : ""}`;
}
