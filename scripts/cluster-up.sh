#!/usr/bin/env bash
# Rehearse a profile locally: boots every node of PROFILE as a podman container from its own generated
# NoCloud seed, air-gapped, with every image and package built from source, and waits until the cluster
# is up. README "Rehearse a profile locally" says what it needs and how long it takes.
#
#   scripts/cluster-up.sh PROFILE [--workdir DIR] [--hold NODE]... [--timeout SECONDS]
#
# PROFILE: a name (profiles/NAME.yaml) or a path. DIR (default /var/tmp/kubeseed-rehearsal/CLUSTER)
# holds the generated output, its own secrets file, the nodes' state and the operator kubeconfig.
# --hold NODE leaves NODE off; run again with the same DIR to boot it. Needs root (podman, bridges).
set -euo pipefail
exec node "$(dirname "$0")/rehearsal/run.mjs" up "$@"
