/**
 * /usr/local/sbin/kubeseed-install-kubernetes: installs kubeadm, kubelet and kubectl of the exact
 * version from the upstream apt repository of that minor (pkgs.k8s.io, the documented install path:
 * the repository key is fetched at boot, as the Kubernetes install guide does, since kubeseed runs
 * offline) and holds them. Idempotent: does nothing when the exact version is already installed.
 * Air gap (spec.registry.mode: airgap): the same packages from the flat apt repository on the
 * registry host, which cloud-init made the node's only apt source (render/cloud-init/airgap-apt.ts);
 * no key or anything else is fetched from the internet.
 * Guarantees: pure renderer.
 */
import type { ClusterModel } from "../../model/types.js";
import { GENERATED_HEADER } from "../../core/generated.js";

/** pkgs.k8s.io names its Debian packages `<version>-1.1` */
export function debianPackageVersion(model: ClusterModel): string {
  return `${model.kubernetes.version.full.slice(1)}-1.1`;
}

/** The pkgs.k8s.io repository of the version's minor, e.g. https://pkgs.k8s.io/core:/stable:/v1.33/deb/ */
export function kubernetesAptRepo(model: ClusterModel): string {
  const v = model.kubernetes.version;
  return `https://pkgs.k8s.io/core:/stable:/v${v.major}.${v.minor}/deb/`;
}

export function renderInstallKubernetes(model: ClusterModel): string {
  return model.registry.mode === "airgap" ? renderAirgapInstall(model) : renderOnlineInstall(model);
}

function renderAirgapInstall(model: ClusterModel): string {
  const v = model.kubernetes.version;
  return `#!/bin/bash
${GENERATED_HEADER}# Installs kubeadm, kubelet and kubectl ${v.full} from the flat apt repository ${model.registry.packages.url}debs/
# (air gap: cloud-init made it this node's only apt source) and holds them.
set -euo pipefail
version=${debianPackageVersion(model)}
if [ "$(dpkg-query -W -f='\${Version}' kubeadm 2>/dev/null || true)" = "$version" ]; then
  echo "kubeseed-install-kubernetes: kubeadm $version already installed"
  exit 0
fi
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "kubelet=$version" "kubeadm=$version" "kubectl=$version"
apt-mark hold kubelet kubeadm kubectl
`;
}

function renderOnlineInstall(model: ClusterModel): string {
  const v = model.kubernetes.version;
  const pkg = debianPackageVersion(model);
  return `#!/bin/bash
${GENERATED_HEADER}# Installs kubeadm, kubelet and kubectl ${v.full} from the upstream apt repository and holds them.
set -euo pipefail
version=${pkg}
repo=${kubernetesAptRepo(model)}
keyring=/etc/apt/keyrings/kubernetes-apt-keyring.gpg
if [ "$(dpkg-query -W -f='\${Version}' kubeadm 2>/dev/null || true)" = "$version" ]; then
  echo "kubeseed-install-kubernetes: kubeadm $version already installed"
  exit 0
fi
install -d -m 0755 /etc/apt/keyrings
if [ ! -s "$keyring" ]; then
  curl -fsSL "\${repo}Release.key" | gpg --batch --yes --dearmor -o "$keyring"
fi
echo "deb [signed-by=$keyring] $repo /" > /etc/apt/sources.list.d/kubernetes.list
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "kubelet=$version" "kubeadm=$version" "kubectl=$version"
apt-mark hold kubelet kubeadm kubectl
`;
}
