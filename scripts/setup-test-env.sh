#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian 12 machine (run as root), printing the
# time of each phase:
# - the Debian packages of the real consumers the tests drive (openssl, etcd, kubectl, cloud-init, sshd,
#   nft, containerd, haproxy, keepalived, shellcheck, ignition, docker-registry, skopeo, isoinfo/xorriso,
#   QEMU, gnupg) and of the rehearsal cluster (podman + runc, debootstrap, dnsmasq);
# - podman's API socket (testcontainers);
# - the npm dependencies (npm ci, which builds dist/);
# - the Kubernetes programs (scripts/kube-bins.sh) and the rest of a cluster (etcd, CoreDNS, flannel, the
#   CNI plugins, crictl, pause: scripts/addon-bins.sh through the rehearsal's --prepare), the Debian 12
#   node image, the images and packages of the air gap — all built from source once and cached in
#   ~/.cache/kubeseed (KUBESEED_CACHE); a warm cache makes these phases take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

phase_start=$(date +%s)
phase() {
  local now
  now=$(date +%s)
  echo "setup: $1 took $((now - phase_start)) s" >&2
  phase_start=$now
}

packages=(openssl etcd-server etcd-client cloud-init openssh-server nftables containerd haproxy keepalived shellcheck podman runc debootstrap curl ignition docker-registry skopeo apt-utils unzip libarchive-tools genisoimage xorriso cloud-image-utils gnupg dnsmasq-base gcc libc6-dev)
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: apt-get install ${missing[*]}" >&2
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# QEMU for the seed ISO test's VM (scripts/iso-kernel.sh), without its recommends (a GUI stack)
if ! dpkg-query -W -f='${Status}' qemu-system-x86 2>/dev/null | grep -q "install ok installed"; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends qemu-system-x86 >/dev/null
fi
# Debian's etcd-server package starts a system etcd on 2379; the tests run their own on other ports.
systemctl stop etcd >/dev/null 2>&1 || true
# haproxy, keepalived and the registry are only read and run by the tests, never as system services here.
systemctl disable --now haproxy keepalived docker-registry >/dev/null 2>&1 || true
phase "Debian packages"

bash scripts/podman-service.sh
npm ci --no-audit --no-fund --loglevel=error
phase "podman socket and npm ci (with the dist/ build)"

bash scripts/kube-bins.sh
phase "Kubernetes programs (kube-bins.sh)"

# the rehearsal clusters of test/e2e: everything their air gap serves, built and cached, nothing started
for profile in test/e2e/profiles/single.yaml test/e2e/profiles/external-etcd.yaml profiles/lab.yaml; do
  bash scripts/cluster-up.sh "$profile" --prepare --workdir "/var/tmp/kubeseed-rehearsal/prepare-$(basename "$profile" .yaml)"
done
phase "rehearsal: addons, node image, images and packages (cluster-up.sh --prepare)"
