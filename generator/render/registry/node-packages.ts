/**
 * Every node package an air-gapped cluster must bring along (spec.registry.mode: airgap), as DATA:
 * what files.json lists and mirror.sh save-packages fetches on a connected machine.
 * - Debian nodes (cloud-init): the .deb packages they install — kubeadm, kubelet and kubectl of the
 *   exact version (pkgs.k8s.io names them <version>-1.1) with cri-tools and kubernetes-cni, which come
 *   as their dependencies from the same minor repository (version: the newest there at save time), and
 *   the Debian 12 packages kubeseed's cloud-init installs (render/cloud-init/packages.ts: HOST_PACKAGES
 *   per node, BASE_PACKAGES when the profile asks), at the newest bookworm version (main, -updates or
 *   -security).
 * - Ignition nodes (kubernetesPackages: download): the release files of render/ignition/downloads.ts,
 *   with their upstream URL and the files lock's sha256, served at their mirror path.
 * Dependencies are not listed here: save-packages lets apt resolve them (DEPENDENCY_RULE) and records
 * each .deb with its exact version and sha256 in files.lock.json.
 * Guarantees: pure; packages in first-use order (Kubernetes first, then each node's list in profile
 * order); node names in profile order; files in download-table order.
 */
import { OS_TABLE } from "../../model/os.js";
import type { ClusterModel } from "../../model/types.js";
import { debianPackageVersion, kubernetesAptRepo } from "../cloud-init/install-kubernetes.js";
import { basePackageList, HOST_PACKAGES } from "../cloud-init/packages.js";
import { kubernetesDownloads, mirrorPath, type FilesLock } from "../ignition/downloads.js";

/** The Debian release every cloud-init node runs. */
export const DEBIAN_RELEASE = "bookworm";
export const DEBIAN_MIRROR = "http://deb.debian.org/debian";
export const DEBIAN_SECURITY_MIRROR = "http://deb.debian.org/debian-security";
/** debian-archive-keyring's keyring, on the machine that runs save-packages */
export const DEBIAN_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

export const DEPENDENCY_RULE =
  "every Depends, Pre-Depends and Recommends (cloud-init and apt-get install recommends), resolved by apt for a system with nothing installed, minus debootstrap's minbase (the archive's Priority: required packages, apt and what they depend on), which every Debian 12 image has";

export interface AptRepository {
  /** how packages name it */
  id: "bookworm" | "bookworm-updates" | "bookworm-security" | "kubernetes";
  url: string;
  /** "/" for a flat repository */
  suite: string;
  component: string | null;
  /** how save-packages verifies it: a keyring file there, or the URL of the key it fetches */
  key: string;
}

export function upstreamRepositories(model: ClusterModel): AptRepository[] {
  const debian = (id: AptRepository["id"], url: string): AptRepository => ({ id, url, suite: id, component: "main", key: DEBIAN_KEYRING });
  const k8s = kubernetesAptRepo(model);
  return [
    debian(DEBIAN_RELEASE, DEBIAN_MIRROR),
    debian(`${DEBIAN_RELEASE}-updates`, DEBIAN_MIRROR),
    debian(`${DEBIAN_RELEASE}-security`, DEBIAN_SECURITY_MIRROR),
    { id: "kubernetes", url: k8s, suite: "/", component: null, key: `${k8s}Release.key` },
  ];
}

const DEBIAN_IDS: AptRepository["id"][] = ["bookworm", "bookworm-updates", "bookworm-security"];

export interface NodePackage {
  name: string;
  /** the exact version kubeseed pins; null: the newest in its repositories when save-packages runs */
  version: string | null;
  /** the repositories it may come from (the newest version among them wins) */
  from: AptRepository["id"][];
  /** kubernetes (kubeseed-install-kubernetes), kubernetes-dependency, host (kubeseed's node files), base (seed 000's list) */
  reason: "kubernetes" | "kubernetes-dependency" | "host" | "base";
  nodes: string[];
}

/** pkgs.k8s.io packages: the three kubeseed-install-kubernetes installs, then their dependencies. */
const KUBERNETES_PACKAGES: readonly { name: string; pinned: boolean }[] = [
  { name: "kubeadm", pinned: true },
  { name: "kubelet", pinned: true },
  { name: "kubectl", pinned: true },
  { name: "cri-tools", pinned: false },
  { name: "kubernetes-cni", pinned: false },
];

/** The .deb packages of the cloud-init nodes. */
export function nodePackages(model: ClusterModel): NodePackage[] {
  const byName = new Map<string, NodePackage>();
  const add = (name: string, node: string, reason: NodePackage["reason"], version: string | null, from: AptRepository["id"][]) => {
    const p = byName.get(name) ?? byName.set(name, { name, version, from, reason, nodes: [] }).get(name)!;
    if (!p.nodes.includes(node)) p.nodes.push(node);
  };
  const debs = model.nodes.filter((n) => OS_TABLE[n.os].provisioning === "cloud-init");
  for (const n of debs.filter((d) => d.kubernetesPackages === "apt")) {
    for (const k of KUBERNETES_PACKAGES) add(k.name, n.name, k.pinned ? "kubernetes" : "kubernetes-dependency", k.pinned ? debianPackageVersion(model) : null, ["kubernetes"]);
  }
  for (const n of debs) {
    for (const p of HOST_PACKAGES(model, n)) add(p, n.name, "host", null, DEBIAN_IDS);
    for (const p of basePackageList(model)) add(p, n.name, "base", null, DEBIAN_IDS);
  }
  return [...byName.values()];
}

export interface MirroredFile {
  name: string;
  /** where it is published: the files lock's key */
  upstream: string;
  /** where the nodes fetch it (the registry host's file server) */
  url: string;
  /** its place in the tree save-packages writes and the file server serves */
  path: string;
  /** from the files lock; null when the lock lacks it */
  sha256: string | null;
  nodes: string[];
}

/** The files Ignition nodes download, one entry per upstream URL. */
export function mirroredFiles(model: ClusterModel, lock: FilesLock): MirroredFile[] {
  const byUrl = new Map<string, MirroredFile>();
  for (const n of model.nodes) {
    for (const d of kubernetesDownloads(model, n)) {
      const f = byUrl.get(d.upstream) ?? byUrl.set(d.upstream, { name: d.name, upstream: d.upstream, url: d.url, path: mirrorPath(d.upstream), sha256: lock.files[d.upstream]?.sha256 ?? null, nodes: [] }).get(d.upstream)!;
      f.nodes.push(n.name);
    }
  }
  return [...byUrl.values()];
}
