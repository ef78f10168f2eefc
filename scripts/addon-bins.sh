#!/usr/bin/env bash
# Builds, from source, the programs of a cluster's images and node packages that are not in the
# k8s.io/kubernetes module (scripts/kube-bins.sh builds those), into a cache outside the repository:
#   ${KUBESEED_CACHE:-$HOME/.cache/kubeseed}/addons/<name>-<version>/<binary>
#
#   bash scripts/addon-bins.sh NAME VERSION [NAME VERSION ...]
#
#   etcd VERSION          go.etcd.io/etcd/server/v3 (etcd), go.etcd.io/etcd/etcdctl/v3 and etcdutl/v3
#   coredns VERSION       github.com/coredns/coredns (coredns)
#   flannel VERSION       github.com/flannel-io/flannel (flanneld)
#   cni-plugins VERSION   github.com/containernetworking/plugins: every Linux plugin (bridge, host-local, …)
#   flannel-cni VERSION   the flannel CNI plugin of github.com/containernetworking/plugins plugins/meta/flannel
#                         (only releases before v1.0.0 have it)
#   cri-tools VERSION     sigs.k8s.io/cri-tools (crictl)
#   pause VERSION         build/pause/linux/pause.c of the k8s.io/kubernetes module (KUBE_VERSION, default
#                         v1.34.10, whose build/pause/Makefile must name this TAG), static gcc build
# VERSION without the leading v (3.6.5, 1.12.1, 0.28.4, …).
#
# Source changes, the fewest that let the module build from the Go module proxy alone (GOSUMDB=off, as
# kube-bins.sh): etcd's `=> ../` replaces are dropped (its sibling modules are published at the same
# version); flannel's import of pkg/backend/tencentvpc is dropped (its Tencent Cloud SDK module is not
# served; the backend is only for Tencent Cloud VPCs). Everything else is built as released, static:
# CGO_ENABLED=0, except flanneld, whose udp backend is C (linked with -static).
# Guarantees: a component already cached is never rebuilt; each appears atomically (built in a
# temporary folder, then renamed); prints the build time of each.
set -euo pipefail
export GOSUMDB=off GOTOOLCHAIN=local CGO_ENABLED=0
cache="${KUBESEED_CACHE:-${HOME:-/root}/.cache/kubeseed}/addons"
mkdir -p "$cache"

work=""
cleanup() { if [ -n "$work" ] && [ -d "$work" ]; then chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"; fi; }
trap cleanup EXIT

# source MODULE@VERSION: a writable copy of the module's source in $work/src
source_of() {
  local json dir
  json=$(go mod download -json "$1")
  dir=$(printf '%s\n' "$json" | sed -n -E 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p')
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    echo "addon-bins: go mod download $1 gave no source:" >&2
    printf "%s\n" "$json" >&2
    return 1
  fi
  mkdir -p "$work/src"
  cp -r "$dir/." "$work/src/"
  chmod -R u+w "$work/src"
}

# gobuild OUT PACKAGE...: static build into $work/out
gobuild() {
  (cd "$work/src" && go build -mod=mod -trimpath -ldflags "-s -w $LDFLAGS" -o "$work/out/" "$@")
}

build() {
  local name=$1 version=$2 dest="$cache/$1-$2" start
  if [ -d "$dest" ]; then echo "addon-bins: $name $version is cached: $dest" >&2; return 0; fi
  work=$(mktemp -d "$cache/.build-$name-$version.XXXXXX")
  mkdir -p "$work/out"
  start=$(date +%s)
  echo "addon-bins: building $name $version ..." >&2
  LDFLAGS=""
  case "$name" in
    etcd)
      source_of "go.etcd.io/etcd/server/v3@v$version"
      sed -i -E '/^[[:space:]]*go\.etcd\.io\/etcd\/[a-z0-9/]+ => \.\.\//d' "$work/src/go.mod"
      LDFLAGS="-X go.etcd.io/etcd/api/v3/version.GitSHA=v$version"
      (cd "$work/src" && go build -mod=mod -trimpath -ldflags "-s -w $LDFLAGS" -o "$work/out/etcd" .)
      local tool
      for tool in etcdctl etcdutl; do
        rm -rf "$work/src"
        source_of "go.etcd.io/etcd/$tool/v3@v$version"
        sed -i -E '/^[[:space:]]*go\.etcd\.io\/etcd\/[a-z0-9/]+ => \.\.\//d' "$work/src/go.mod"
        (cd "$work/src" && go build -mod=mod -trimpath -ldflags "-s -w" -o "$work/out/$tool" .)
      done
      ;;
    coredns)
      source_of "github.com/coredns/coredns@v$version"
      LDFLAGS="-X github.com/coredns/coredns/coremain.GitCommit=v$version"
      gobuild .
      ;;
    flannel)
      source_of "github.com/flannel-io/flannel@v$version"
      sed -i '/flannel\/pkg\/backend\/tencentvpc"/d' "$work/src/main.go"
      rm -rf "$work/src/pkg/backend/tencentvpc"
      # the udp backend is C (cgo), as upstream builds it: linked statically
      LDFLAGS="-X github.com/flannel-io/flannel/pkg/version.Version=v$version -linkmode external -extldflags -static"
      (cd "$work/src" && CGO_ENABLED=1 go build -mod=mod -trimpath -ldflags "-s -w $LDFLAGS" -o "$work/out/flanneld" .)
      ;;
    cni-plugins)
      source_of "github.com/containernetworking/plugins@v$version"
      LDFLAGS="-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=v$version"
      local pkgs=() d
      for d in "$work"/src/plugins/{main,ipam,meta}/*/; do
        d=${d%/}
        case "$(basename "$d")" in windows) continue ;; esac
        pkgs+=("./${d#"$work/src/"}")
      done
      gobuild "${pkgs[@]}"
      ;;
    flannel-cni)
      source_of "github.com/containernetworking/plugins@v$version"
      [ -d "$work/src/plugins/meta/flannel" ] || { echo "addon-bins: containernetworking/plugins v$version has no plugins/meta/flannel (only releases before v1.0.0 do)" >&2; return 2; }
      LDFLAGS="-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=v$version"
      gobuild ./plugins/meta/flannel
      ;;
    cri-tools)
      source_of "sigs.k8s.io/cri-tools@v$version"
      LDFLAGS="-X sigs.k8s.io/cri-tools/pkg/version.Version=v$version"
      (cd "$work/src" && go build -mod=mod -trimpath -ldflags "-s -w $LDFLAGS" -o "$work/out/crictl" ./cmd/crictl)
      ;;
    pause)
      local kube=${KUBE_VERSION:-v1.34.10}
      source_of "k8s.io/kubernetes@$kube"
      grep -qE "^TAG \?= $version\$" "$work/src/build/pause/Makefile" ||
        { echo "addon-bins: k8s.io/kubernetes@$kube builds pause $(sed -n -E 's/^TAG \?= //p' "$work/src/build/pause/Makefile"), not $version (set KUBE_VERSION)" >&2; return 2; }
      gcc -Os -Wall -Werror -static -DVERSION="v$version" -o "$work/out/pause" "$work/src/build/pause/linux/pause.c"
      ;;
    *)
      echo "addon-bins: unknown component '$name'" >&2
      return 2
      ;;
  esac
  mv "$work/out" "$dest"
  cleanup
  work=""
  echo "addon-bins: built $name $version in $(($(date +%s) - start))s: $dest" >&2
}

if [ "$#" -eq 0 ] || [ $(($# % 2)) -ne 0 ]; then
  echo "usage: bash scripts/addon-bins.sh NAME VERSION [NAME VERSION ...]" >&2
  exit 2
fi
command -v go >/dev/null 2>&1 || { echo "addon-bins: go is not installed (Go >= 1.24 is needed)" >&2; exit 1; }
while [ "$#" -gt 0 ]; do
  build "$1" "$2"
  shift 2
done
