#!/usr/bin/env bash
# Builds (once) the local podman image localhost/kubeseed/debian12-node: a Debian 12 root file system
# with systemd and cloud-init 22.4.2, made by debootstrap from the machine's Debian source (no image
# can be pulled here). The root file system tarball is cached by package list under
# ${KUBESEED_CACHE:-$HOME/.cache/kubeseed}, so later runs only re-import it.
set -euo pipefail
packages="systemd,systemd-sysv,cloud-init,python3-cffi-backend,openssh-server,sudo,iproute2,nftables,ca-certificates,netbase,ifupdown,vlan,locales,procps"
image=localhost/kubeseed/debian12-node:$(printf '%s' "$packages" | sha256sum | cut -c1-12)
cache=${KUBESEED_CACHE:-${HOME:-/root}/.cache/kubeseed}
tarball=$cache/debian12-node-$(printf '%s' "$packages" | sha256sum | cut -c1-12).tar

if podman image exists "$image"; then echo "$image"; exit 0; fi
mkdir -p "$cache"
if [ ! -s "$tarball" ]; then
  rootfs=$(mktemp -d)
  debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" >&2
  echo 'datasource_list: [ NoCloud, None ]' > "$rootfs/etc/cloud/cloud.cfg.d/99-datasource.cfg"
  sed -i 's/^# *en_US.UTF-8/en_US.UTF-8/' "$rootfs/etc/locale.gen"
  chroot "$rootfs" locale-gen >&2
  tar -C "$rootfs" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$rootfs"
fi
podman import --change 'CMD ["/sbin/init"]' "$tarball" "$image" >&2
echo "$image"
