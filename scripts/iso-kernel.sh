#!/usr/bin/env bash
# Prepares, once, a Debian kernel and a tiny initramfs (busybox-static + the iso9660, virtio disk and
# IDE CD-ROM modules) for the seed ISO test: the VM it boots mounts /dev/vda (the image as a disk, as a
# USB stick written with dd) and /dev/sr0 (the image as a CD-ROM) with the kernel's own iso9660 driver,
# prints what it reads, and powers off. Both packages are only downloaded (apt-get download) and
# unpacked, never installed; qemu-system-x86 runs the VM (scripts/setup-test-env.sh installs it).
# Cached in ${KUBESEED_CACHE:-$HOME/.cache/kubeseed}/iso-kernel/<kernel package version>/; prints that
# directory (vmlinuz, initrd.gz) on stdout.
set -euo pipefail

image_pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
version=$(apt-cache policy "$image_pkg" | awk '/Candidate:/ {print $2}')
if [ -z "$image_pkg" ] || [ -z "$version" ]; then
  echo "iso-kernel: no Debian kernel package found (apt-get update?)" >&2
  exit 1
fi
cache="${KUBESEED_CACHE:-${HOME:-/root}/.cache/kubeseed}/iso-kernel/$version"
if [ -f "$cache/vmlinuz" ] && [ -f "$cache/initrd.gz" ]; then echo "$cache"; exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
(cd "$work" && apt-get download -qq "$image_pkg" busybox-static 2>/dev/null)
dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"
dpkg-deb -x "$work"/busybox-static_*.deb "$work/busybox"

root="$work/initramfs"
mkdir -p "$root"/{bin,mods,proc,sys,dev,disk,cdrom}
cp "$work/busybox/bin/busybox" "$root/bin/busybox"
modules="cdrom isofs virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk scsi_common scsi_mod libata ata_piix sr_mod"
for m in $modules; do
  f=$(find "$work/kernel/lib/modules" -name "$m.ko" -o -name "$m.ko.xz" | head -1)
  [ -n "$f" ] || continue # built in, or not a module of this kernel
  case "$f" in *.xz) xz -dc "$f" >"$root/mods/$m.ko" ;; *) cp "$f" "$root/mods/$m.ko" ;; esac
done
cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $modules; do [ -f /mods/\$m.ko ] && insmod /mods/\$m.ko; done
sleep 1
for d in vda:disk sr0:cdrom; do
  echo "=== \${d%%:*}"
  mount -t iso9660 -o ro /dev/\${d%%:*} /\${d##*:} && ls -ln /\${d##*:} && (cd /\${d##*:} && sha256sum *) && umount /\${d##*:}
done
echo "=== kernel"
dmesg | grep 'ISO 9660 Extensions'
echo "=== end"
poweroff -f
EOF
chmod 755 "$root/init"
mkdir -p "$cache"
(cd "$root" && find . | "$root/bin/busybox" cpio -o -H newc 2>/dev/null | gzip -9) >"$cache/initrd.gz.tmp"
cp "$work"/kernel/boot/vmlinuz-* "$cache/vmlinuz"
mv "$cache/initrd.gz.tmp" "$cache/initrd.gz"
echo "$cache"
