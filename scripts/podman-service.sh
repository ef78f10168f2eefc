#!/usr/bin/env bash
# Prepares podman as the Docker-compatible engine testcontainers drives (docs/sources.md#testbed-podman):
# runc instead of crun, cgroupfs, no default ulimits, and the API socket at /run/podman/podman.sock.
# Idempotent; leaves the service running in the background.
set -euo pipefail
mkdir -p /etc/containers /run/podman
if ! grep -q 'runtime = "runc"' /etc/containers/containers.conf 2>/dev/null; then
  cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
fi
if ! curl -sf --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null 2>&1; then
  # from /: the service's containers (conmon) inherit its working directory, and fail to start once
  # that directory is gone (a removed checkout or temporary folder the service was started from)
  (cd / && exec nohup podman system service --time=0 unix:///run/podman/podman.sock >/tmp/podman-service.log 2>&1) &
  for _ in $(seq 1 50); do
    curl -sf --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
curl -sf --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null
