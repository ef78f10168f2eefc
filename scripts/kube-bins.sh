#!/usr/bin/env bash
# Builds the real Kubernetes programs the kubeadm consumer tests drive (no Debian package carries
# them) from the k8s.io/kubernetes Go module, into a cache outside the repository:
#   ${KUBESEED_CACHE:-$HOME/.cache/kubeseed}/kube-static/<version>/<binary>
# (test/helpers/kube-bins.ts looks them up by the same rule). Every binary is static (CGO_ENABLED=0, as
# Kubernetes' release build makes them), so the same file serves the host tests, the rehearsal
# cluster's container images and its node packages (scripts/cluster-images.sh).
#
#   bash scripts/kube-bins.sh                       the set the tests need (see DEFAULT_SET)
#   bash scripts/kube-bins.sh v1.34.10 kubeadm ...  the named binaries of one version
#
# How: `go mod download` fetches the module source (its staging/ and vendor/ are empty in the module
# zip), a writable copy gets its go.work removed and every `replace k8s.io/X => ./staging/...` turned
# into the published k8s.io/X v0.MINOR.PATCH module, then `go build ./cmd/<binary>` with the version
# stamped as Kubernetes' own build does (hack/lib/version.sh). sum.golang.org may be unreachable, so
# checksums are not looked up (GOSUMDB=off); the module proxy is the source.
# Guarantees: a binary already in the cache is never rebuilt; each binary appears atomically (built
# under a temporary name, then renamed), so an interrupted run leaves no half-written file; the build
# time of each binary is printed. Without `go` it says so and exits 0 (the tests then skip, or fail
# under CI). It does not check a cached binary's version: delete the file to force a rebuild.
set -euo pipefail

# kubeadm of both config APIs (v1beta3 < 1.31 ≤ v1beta4), and every program of a v1.34.10 node: the
# kubeadm suite's control plane and the rehearsal cluster's images and packages
FULL_SET=(kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
DEFAULT_SET=(
  "v1.30.14 kubeadm"
  "v1.34.10 ${FULL_SET[*]}"
)

cache="${KUBESEED_CACHE:-${HOME:-/root}/.cache/kubeseed}/kube-static"

if ! command -v go >/dev/null 2>&1; then
  echo "kube-bins: go is not installed, so kubeadm, kube-apiserver and kube-controller-manager are not built; the kubeadm consumer tests (test/consumers/kubeadm) will skip, or fail when CI is set. Install Go ≥ 1.24 and rerun: bash scripts/kube-bins.sh" >&2
  exit 0
fi

export GOSUMDB=off GOTOOLCHAIN=local CGO_ENABLED=0

work=""
cleanup() {
  if [ -n "$work" ] && [ -d "$work" ]; then
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# build VERSION BINARY... : builds the missing binaries of one version.
build() {
  local version=$1
  shift
  if ! [[ $version =~ ^v1\.([0-9]+)\.([0-9]+)$ ]]; then
    echo "kube-bins: '$version' is not an exact Kubernetes version like v1.34.10" >&2
    return 2
  fi
  local minor=${BASH_REMATCH[1]} patch=${BASH_REMATCH[2]}
  local dest="$cache/$version" missing=() bin
  for bin in "$@"; do
    if [ -x "$dest/$bin" ]; then
      echo "kube-bins: $bin $version is cached: $dest/$bin" >&2
    else
      missing+=("$bin")
    fi
  done
  [ "${#missing[@]}" -gt 0 ] || return 0

  local json dir
  json=$(go mod download -json "k8s.io/kubernetes@$version")
  dir=$(printf '%s\n' "$json" | sed -n -E 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p')
  if [ -z "$dir" ] || [ ! -f "$dir/go.mod" ]; then
    echo "kube-bins: go mod download k8s.io/kubernetes@$version gave no source directory:" >&2
    printf '%s\n' "$json" >&2
    return 1
  fi

  mkdir -p "$dest"
  work=$(mktemp -d "$cache/.src-$version.XXXXXX")
  cp -r "$dir/." "$work/"
  chmod -R u+w "$work"
  rm -f "$work/go.work" "$work/go.work.sum"
  # k8s.io/sample-* are staging examples no binary imports; the proxy does not serve every release of them
  sed -i -E -e '/^[[:space:]]*k8s\.io\/sample-[a-z-]+ (v0\.0\.0|=>)/d' \
    -e "s#^[[:space:]]*(k8s\\.io/[a-z0-9-]+) => \\./staging/src/k8s\\.io/[a-z0-9-]+#\\t\\1 => \\1 v0.$minor.$patch#" "$work/go.mod"

  local pkg ldflags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done

  local start tmp pkgs=()
  for bin in "${missing[@]}"; do
    if [ ! -d "$work/cmd/$bin" ]; then
      echo "kube-bins: k8s.io/kubernetes@$version has no cmd/$bin" >&2
      return 2
    fi
    pkgs+=("./cmd/$bin")
  done
  tmp=$(mktemp -d "$dest/.build.XXXXXX")
  start=$(date +%s)
  echo "kube-bins: building ${missing[*]} $version ..." >&2
  if ! (cd "$work" && go build -mod=mod -trimpath -ldflags "-s -w$ldflags" -o "$tmp/" "${pkgs[@]}"); then
    rm -rf "$tmp"
    echo "kube-bins: building ${missing[*]} $version failed" >&2
    return 1
  fi
  for bin in "${missing[@]}"; do mv -f "$tmp/$bin" "$dest/$bin"; done
  rmdir "$tmp"
  echo "kube-bins: built ${missing[*]} $version in $(($(date +%s) - start))s: $dest" >&2
  cleanup
  work=""
}

if [ "$#" -eq 0 ]; then
  for entry in "${DEFAULT_SET[@]}"; do
    read -r -a words <<<"$entry"
    build "${words[@]}"
  done
elif [ "$#" -ge 2 ]; then
  build "$@"
else
  echo "usage: bash scripts/kube-bins.sh [VERSION BINARY...]" >&2
  exit 2
fi
