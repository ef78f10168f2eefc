/**
 * The Kubernetes programs a node without a package manager downloads at first boot
 * (kubernetesPackages: download), as a DATA table: kubeadm, kubelet and kubectl from the Kubernetes
 * release (the "without a package manager" path of the kubeadm install guide), crictl from cri-tools and
 * the CNI plugins, at the URLs kubernetes/release builds its packages from
 * (cmd/krel/templates/latest/metadata.yaml). Ignition fetches each one as a remote file and checks its
 * `verification.hash`; the two archives are unpacked by kubeseed-unpack-binaries.service (units.ts),
 * because Ignition cannot unpack.
 * Architecture: amd64 only (the URLs carry it; another architecture is one more column here).
 * Air gap (spec.registry.mode: airgap): each file is fetched from the registry host's file server
 * instead, at <packages url>files/<upstream host>/<upstream path> (mirror.sh push-packages puts it
 * there), named by the registry's address: Ignition fetches in the initramfs, before the node's
 * /etc/hosts exists. The files lock stays keyed by the upstream URL.
 * Guarantees: pure; the same model and node give the same list, in table order.
 */
import type { ClusterModel, NodeModel } from "../../model/types.js";
import { OS_TABLE } from "../../model/os.js";

/** format line of NAME.files.lock.json (io/files-lock.ts reads it, mirror.sh save-packages writes it) */
export const FILES_LOCK_FORMAT = "kubeseed.files-lock/v1";

export const ARCH = "amd64";
/** containernetworking/plugins release: the version kubespray pins and tests with current Kubernetes */
export const CNI_PLUGINS_VERSION = "v1.9.1";
/** Ignition writes the archives here; the unpack unit reads them. */
export const DOWNLOAD_DIR = "/opt/kubeseed/downloads";
/** where containerd and flannel look for CNI plugins (render/host/containerd.ts bin_dir) */
export const CNI_BIN_DIR = "/opt/cni/bin";

export interface Download {
  /** short name, e.g. kubeadm or crictl */
  name: string;
  /** where the node fetches it: the upstream, or the registry host's file server in airgap mode */
  url: string;
  /** where it is published (the files lock's key) */
  upstream: string;
  /** on-node path Ignition writes */
  path: string;
  mode: number;
  /** a .tar.gz that kubeseed-unpack-binaries.service unpacks into this directory */
  unpackTo?: string;
}

/** crictl follows the Kubernetes minor (cri-tools v1.N.0 for Kubernetes 1.N, as the packages require). */
export function crictlVersion(model: ClusterModel): string {
  return `v${model.kubernetes.version.major}.${model.kubernetes.version.minor}.0`;
}

/** The file's place in the tree mirror.sh serves: files/<host>/<path> of its upstream URL. */
export function mirrorPath(upstream: string): string {
  return `files/${upstream.replace(/^[a-z]+:\/\//, "")}`;
}

export function kubernetesDownloads(model: ClusterModel, node: NodeModel): Download[] {
  const server = model.registry.mode === "airgap" ? model.registry.packages.addressUrl : undefined;
  return upstreamDownloads(model, node).map(({ url, ...d }) => ({ ...d, upstream: url, url: server ? `${server}${mirrorPath(url)}` : url }));
}

function upstreamDownloads(model: ClusterModel, node: NodeModel): Omit<Download, "upstream">[] {
  if (node.kubernetesPackages !== "download") return [];
  const bin = OS_TABLE[node.os].binDir;
  const v = model.kubernetes.version.full;
  const crictl = crictlVersion(model);
  const crictlFile = `crictl-${crictl}-linux-${ARCH}.tar.gz`;
  const cniFile = `cni-plugins-linux-${ARCH}-${CNI_PLUGINS_VERSION}.tgz`;
  const release = (b: string): Omit<Download, "upstream"> => ({ name: b, url: `https://dl.k8s.io/release/${v}/bin/linux/${ARCH}/${b}`, path: `${bin}/${b}`, mode: 0o755 });
  return [
    release("kubeadm"),
    release("kubelet"),
    release("kubectl"),
    {
      name: "crictl",
      url: `https://github.com/kubernetes-sigs/cri-tools/releases/download/${crictl}/${crictlFile}`,
      path: `${DOWNLOAD_DIR}/${crictlFile}`,
      mode: 0o644,
      unpackTo: bin,
    },
    {
      name: "cni-plugins",
      url: `https://github.com/containernetworking/plugins/releases/download/${CNI_PLUGINS_VERSION}/${cniFile}`,
      path: `${DOWNLOAD_DIR}/${cniFile}`,
      mode: 0o644,
      unpackTo: CNI_BIN_DIR,
    },
  ];
}

/**
 * NAME.files.lock.json next to the profile, as read by io/files-lock.ts: URL → sha256 (lower-case hex)
 * of the file at that URL, and where the value came from. Written on a connected machine (the air-gap
 * mirror script) or by hand from the published checksums; kubeseed never computes it.
 */
export interface FilesLock {
  /** display path of the lock file (whether or not it exists), for messages */
  file: string;
  files: Record<string, { sha256: string; source?: string }>;
}

/** No lock file: every download lacks its hash (the name is the one io/files-lock.ts looks for). */
export const NO_FILES_LOCK: FilesLock = { file: "<profile>.files.lock.json", files: {} };
