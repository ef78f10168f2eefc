#!/usr/bin/env bash
# Removes what scripts/cluster-up.sh made for a cluster: its containers, networks, DHCP server and
# work directory (the build caches under ~/.cache/kubeseed stay).
#
#   scripts/cluster-down.sh CLUSTER [--workdir DIR] [--keep-workdir]
set -euo pipefail
exec node "$(dirname "$0")/rehearsal/run.mjs" down "$@"
