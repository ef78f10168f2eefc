#!/usr/bin/env bash
# Builds (once) the local podman image localhost/kubeseed/debian12-node: a Debian 12 root file system
# with systemd and cloud-init 22.4.2, made by debootstrap from the machine's Debian source (no image
# can be pulled here), standing in for a Debian 12 cloud image: what such an image carries (systemd,
# cloud-init, sshd, sudo, iproute2, ifupdown and a DHCP client, python3, ca-certificates) and nothing
# kubeseed installs itself (containerd, the Kubernetes packages, haproxy, … come from the node's
# user-data, from the flat apt repository of the air gap in the rehearsal cluster).
# The root file system tarball is cached by recipe under ${KUBESEED_CACHE:-$HOME/.cache/kubeseed}, so
# later runs only re-import it. Prints the image name.
#
# Testbed-only adjustments (this VM, not a real node; never in generated files), in the image only:
# - /usr/local/sbin/runc: this VM has no CAP_SYS_RESOURCE, so runc cannot set the negative
#   oom_score_adj the kubelet asks for its pods (sandbox start fails with "can't get final child's PID
#   from pipe: EOF"); the wrapper raises a negative process.oomScoreAdj to 0, then runs the real runc
#   (/usr/sbin/runc, installed later from the node's packages). PATH finds /usr/local/sbin first.
# - getty@tty1 masked: a container has no console to log in on.
# - systemd-modules-load skips itself without /lib/modules/<kernel> (a container has none; the modules
#   this kernel needs are built in): otherwise the first boot's `systemctl restart
#   systemd-modules-load` fails on modprobe, which a real node's kernel modules satisfy.
set -euo pipefail
packages="systemd,systemd-sysv,cloud-init,python3-cffi-backend,openssh-server,sudo,iproute2,nftables,ca-certificates,netbase,ifupdown,isc-dhcp-client,vlan,locales,procps"
recipe=$(printf '%s\n' "$packages" "$(sed -n '/# --- testbed adjustments/,$p' "$0")" | sha256sum | cut -c1-12)
image=localhost/kubeseed/debian12-node:$recipe
cache=${KUBESEED_CACHE:-${HOME:-/root}/.cache/kubeseed}
tarball=$cache/debian12-node-$recipe.tar

if podman image exists "$image"; then echo "$image"; exit 0; fi
mkdir -p "$cache"
if [ ! -s "$tarball" ]; then
  rootfs=$(mktemp -d)
  debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" >&2
  echo 'datasource_list: [ NoCloud, None ]' > "$rootfs/etc/cloud/cloud.cfg.d/99-datasource.cfg"
  sed -i 's/^# *en_US.UTF-8/en_US.UTF-8/' "$rootfs/etc/locale.gen"
  chroot "$rootfs" locale-gen >&2
  # --- testbed adjustments (see the header) ---
  cat > "$rootfs/usr/local/sbin/runc" <<'WRAPPER'
#!/usr/bin/python3
# Testbed only (kubeseed scripts/node-image.sh): this VM lacks CAP_SYS_RESOURCE, so a negative
# oom_score_adj cannot be set; raise it to 0 in the bundle's config.json or the exec process file.
import json, os, sys

def clamp(path, process_key):
    try:
        with open(path) as f:
            spec = json.load(f)
    except (OSError, ValueError):
        return
    proc = spec.get("process", {}) if process_key else spec
    if isinstance(proc, dict) and proc.get("oomScoreAdj", 0) < 0:
        proc["oomScoreAdj"] = 0
        with open(path, "w") as f:
            json.dump(spec, f)

args = sys.argv[1:]
for i, a in enumerate(args):
    value = args[i + 1] if i + 1 < len(args) else None
    if a in ("--bundle", "-b") and value:
        clamp(os.path.join(value, "config.json"), True)
    elif a.startswith("--bundle="):
        clamp(os.path.join(a.split("=", 1)[1], "config.json"), True)
    elif a in ("--process", "-p") and value:
        clamp(value, False)
    elif a.startswith("--process="):
        clamp(a.split("=", 1)[1], False)
os.execv("/usr/sbin/runc", ["runc"] + args)
WRAPPER
  chmod 0755 "$rootfs/usr/local/sbin/runc"
  ln -sf /dev/null "$rootfs/etc/systemd/system/getty@tty1.service"
  mkdir -p "$rootfs/etc/systemd/system/systemd-modules-load.service.d"
  printf '[Unit]\nConditionDirectoryNotEmpty=/lib/modules/%%v\n' > "$rootfs/etc/systemd/system/systemd-modules-load.service.d/testbed.conf"
  tar -C "$rootfs" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$rootfs"
fi
podman import --change 'CMD ["/sbin/init"]' "$tarball" "$image" >&2
echo "$image"
