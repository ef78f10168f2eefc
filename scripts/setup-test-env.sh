#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian 12 machine (run as root): the real
# consumers the tests drive (openssl, etcd, kubectl, cloud-init, sshd, nft, containerd, haproxy,
# keepalived, shellcheck),
# podman + runc + debootstrap for the first-boot test (podman's API socket is started here), and the
# npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

packages=(openssl etcd-server etcd-client cloud-init openssh-server nftables containerd haproxy keepalived shellcheck podman runc debootstrap curl ignition docker-registry skopeo apt-utils unzip genisoimage xorriso cloud-image-utils gnupg)
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

bash scripts/podman-service.sh

bash scripts/kube-bins.sh
npm ci --no-audit --no-fund --loglevel=error
