/**
 * The node-package half of output/NAME/registry/mirror.sh (mirror.ts splices the parts in), for the
 * packages of files.json (node-packages.ts):
 *   save-packages [DIR]   on a connected Debian 12 machine (apt, curl, debian-archive-keyring; no root,
 *                         nothing of the host's apt state touched: a private apt configuration under
 *                         DIR/apt with its own sources, lists, cache and an empty dpkg status): apt
 *                         resolves the .deb packages with their dependencies (DEPENDENCY_RULE) from
 *                         Debian bookworm and the pkgs.k8s.io minor repository (its key fetched from
 *                         Release.key, as install-kubernetes.ts does online) for each architecture and
 *                         downloads them into the flat repository DIR/debs; the Ignition downloads go to
 *                         DIR/files/<host>/<path>, checked against the files lock's sha256;
 *                         DIR/files.lock.json (kubeseed.files-lock/v1, usable as NAME.files.lock.json)
 *                         records each file's URL, sha256 and, for a .deb, package, version and
 *                         architecture; then index-packages.
 *   index-packages [DIR]  Packages, Packages.gz and Release of DIR/debs (apt-ftparchive); SIGN_BY=<key>
 *                         signs Release (InRelease, Release.gpg), checked against the profile's
 *                         packagesKey when it has one. Works offline.
 *   push-packages [DIR] [DEST]  replaces DEST/debs and DEST/files with DIR's (DEST: the folder the
 *                         registry host's static file server serves at the profile's packages URL).
 * Environment: ONLY="name …" saves only those packages of files.json (with their dependencies) and no
 * Ignition file; KEEP_MINBASE=1 keeps debootstrap's minbase; DEBIAN_MIRROR,
 * DEBIAN_SECURITY_MIRROR and DEBIAN_KEYRING replace Debian's mirrors and keyring.
 * Guarantees: pure; package and file lists are node-packages.ts'; bash, passes shellcheck.
 */
import type { ClusterModel } from "../../model/types.js";
import { shQuote } from "../bootstrap/shell.js";
import { FILES_LOCK_FORMAT, type FilesLock } from "../ignition/downloads.js";
import { DEBIAN_KEYRING, DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR, mirroredFiles, nodePackages, upstreamRepositories } from "./node-packages.js";

export const DEFAULT_PACKAGES_DIR = "packages";
export const DEFAULT_PACKAGES_DEST = "/srv/kubeseed";

export interface ScriptPart {
  /** lines of the script's header comment */
  help: string;
  /** variable definitions */
  vars: string;
  /** function definitions */
  functions: string;
  /** `case` entries of the command dispatch */
  cases: string;
  /** the commands, for the usage line */
  usage: string;
}

export function packagesScript(model: ClusterModel, lock: FilesLock): ScriptPart {
  const p = model.registry.packages;
  const debs = nodePackages(model).map((d) => `  "${d.name}${d.version ? `=${d.version}` : ""}|${d.from.includes("kubernetes") ? "kubernetes" : "debian"}"`);
  const files = mirroredFiles(model, lock).map((f) => `  "${f.upstream}|${f.sha256 ?? "-"}|${f.path}"`);
  const repos = upstreamRepositories(model);
  const mirrorVar = (url: string) => (url === DEBIAN_MIRROR ? "$debian_mirror" : "$security_mirror");
  const debianLines = repos.filter((r) => r.id !== "kubernetes").map((r) => `    echo "deb [signed-by=$debian_keyring] ${mirrorVar(r.url)} ${r.suite} ${r.component}"`);
  const k8sRepo = repos.find((r) => r.id === "kubernetes")!.url;
  const help = `#   ./mirror.sh save-packages [DIR]   on a connected Debian 12 machine (apt, curl; no root): the ${debs.length} packages of
#                            files.json with their dependencies into the flat apt repository DIR/debs (default
#                            ./${DEFAULT_PACKAGES_DIR})${files.length ? `, the ${files.length} Ignition downloads into DIR/files` : ""}, and DIR/files.lock.json
#   ./mirror.sh index-packages [DIR]  Packages and Release of DIR/debs again (apt-ftparchive); SIGN_BY=<key> signs
#   ./mirror.sh push-packages [DIR] [DEST]  DIR's debs/ and files/ into DEST (default ${DEFAULT_PACKAGES_DEST}), the
#                            folder the registry host's static file server serves at ${p.url}
#
# save-packages resolves every Depends, Pre-Depends and Recommends for a system with nothing installed,
# minus debootstrap's minbase (the archive's Priority: required packages, apt and their dependencies),
# which every Debian 12 image has (KEEP_MINBASE=1 keeps them). ONLY="name …" saves only those packages (and no Ignition file). DEBIAN_MIRROR,
# DEBIAN_SECURITY_MIRROR and DEBIAN_KEYRING replace Debian's mirrors and keyring.
`;
  const list = (items: string[]) => (items.length ? `(\n${items.join("\n")}\n)` : "()");
  const vars = `# node packages (files.json): apt name[=version]|upstream (kubernetes: pkgs.k8s.io, debian: bookworm)
debs=${list(debs)}
deb_archs=(${model.registry.architectures.join(" ")})
cluster=${model.name}
kubernetes_repo=${k8sRepo}
debian_mirror=\${DEBIAN_MIRROR:-${DEBIAN_MIRROR}}
security_mirror=\${DEBIAN_SECURITY_MIRROR:-${DEBIAN_SECURITY_MIRROR}}
debian_keyring=\${DEBIAN_KEYRING:-${DEBIAN_KEYRING}}
# Ignition downloads: upstream URL|sha256 from the files lock (or -)|path in the served tree
downloads=${list(files)}
`;
  return { help, vars, functions: functions(model, debianLines), cases: CASES, usage: "save-packages|index-packages [DIR] | push-packages [DIR] [DEST]" };
}

const CASES = `  save-packages) save_packages "\${2:-${DEFAULT_PACKAGES_DIR}}" ;;
  index-packages) index_packages "\${2:-${DEFAULT_PACKAGES_DIR}}" ;;
  push-packages) push_packages "\${2:-${DEFAULT_PACKAGES_DIR}}" "\${3:-${DEFAULT_PACKAGES_DEST}}" ;;
`;

function functions(model: ClusterModel, debianLines: string[]): string {
  return `${packagesKeyFunction(model)}fail() {
  echo "mirror: $*" >&2
  exit 1
}

# ONLY="name …" limits save-packages to those packages
wanted() {
  if [ -z "\${ONLY:-}" ]; then return 0; fi
  case " $ONLY " in
    *" $1 "*) return 0 ;;
  esac
  return 1
}

apt_sources() {
  local dir=$1 k8s=$2
  [ -r "$debian_keyring" ] || fail "$debian_keyring is missing (apt-get install debian-archive-keyring)"
  {
${debianLines.join("\n")}
  } >"$dir/apt/sources.list"
  if [ "$k8s" = 1 ]; then
    curl -fsSL --retry 3 -o "$dir/apt/kubernetes.asc" "\${kubernetes_repo}Release.key"
    echo "deb [signed-by=$dir/apt/kubernetes.asc] $kubernetes_repo /" >>"$dir/apt/sources.list"
  fi
}

# apt with a private configuration under DIR/apt/ARCH: resolve, download, keep what images lack
save_debs() {
  local dir=$1 arch=$2 state file url name rest version deb_arch target sum
  shift 2
  state=$dir/apt/$arch
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/sources.list.d" "$state/preferences.d" "$state/log"
  : >"$state/status"
  local opts=(-o "Dir::State=$state" -o "Dir::State::status=$state/status" -o "Dir::Cache=$state/cache"
    -o "Dir::Etc::sourcelist=$dir/apt/sources.list" -o "Dir::Etc::sourceparts=$state/sources.list.d"
    -o "Dir::Etc::preferences=$state/preferences" -o "Dir::Etc::preferencesparts=$state/preferences.d"
    -o "Dir::Log=$state/log" -o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
    -o APT::Install-Recommends=true -o APT::Install-Suggests=false -o Debug::NoLocking=true)
  echo "mirror: resolve $* ($arch)" >&2
  apt-get -q "\${opts[@]}" update >&2
  # usr-is-merged: as debootstrap does, so that apt resolves init-system-helpers' "usrmerge | usr-is-merged"
  # as a Debian 12 image has it (usrmerge would drag perl in, and the minbase below would wrongly hold it)
  apt-get -qq "\${opts[@]}" install -y --print-uris "$@" usr-is-merged | sed -n "s/^'\\([^']*\\)' \\([^ ]*\\) .*/\\2 \\1/p" >"$state/uris"
  # debootstrap's minbase, which every Debian image has: the archive's Priority: required packages
  # (a .deb's own Priority field can differ), apt, usr-is-merged, and what they depend on
  apt-cache "\${opts[@]}" dumpavail | awk '/^Package: /{p=$2} /^Priority: required$/{print p}' | sort -u >"$state/required"
  xargs -r -a "$state/required" apt-get -qq "\${opts[@]}" -o APT::Install-Recommends=false install -y --print-uris apt usr-is-merged |
    sed -n "s/^'[^']*' \\([^_]*\\)_.*/\\1/p" | sort -u >"$state/minbase"
  # (--print-uris names only what is not in the cache yet: both lists before the download)
  apt-get -q "\${opts[@]}" install -y --download-only "$@" usr-is-merged >&2
  while read -r file url; do
    name=\${file%%_*}
    if [ "\${KEEP_MINBASE:-}" != 1 ] && grep -Fxq "$name" "$state/minbase"; then continue; fi
    rest=\${file#*_}
    version=\${rest%_*}
    version=\${version//%3a/:}
    deb_arch=\${rest##*_}
    deb_arch=\${deb_arch%.deb}
    target=\${name}_\${version#*:}_$deb_arch.deb
    if [ -f "$dir/debs/$target" ]; then continue; fi
    mv "$state/cache/archives/$file" "$dir/debs/$target"
    sum=$(sha256sum "$dir/debs/$target" | cut -d' ' -f1)
    echo "$url|$sum|$name|$version|$deb_arch|debs/$target" >>"$dir/apt/lock.entries"
  done <"$state/uris"
}

# one Ignition download: upstream URL|sha256|path
save_download() {
  local dir=$1 url want path sum
  url=\${2%%|*}
  want=\${2#*|}
  want=\${want%%|*}
  path=\${2##*|}
  [ "$want" != - ] || fail "the files lock has no sha256 for $url"
  mkdir -p "$(dirname "$dir/$path")"
  echo "mirror: save $url" >&2
  curl -fsSL --retry 3 -o "$dir/$path" "$url"
  sum=$(sha256sum "$dir/$path" | cut -d' ' -f1)
  [ "$sum" = "$want" ] || fail "$url has sha256 $sum, the files lock says $want"
  echo "$url|$sum||||$path" >>"$dir/apt/lock.entries"
}

write_files_lock() {
  local dir=$1 url sum name version arch path first=1
  {
    echo "{"
    echo '  "format": "${FILES_LOCK_FORMAT}",'
    echo '  "files": {'
    while IFS='|' read -r url sum name version arch path; do
      [ "$first" = 1 ] || echo ","
      first=0
      if [ -n "$name" ]; then
        printf '    "%s": {"sha256": "%s", "source": "mirror.sh save-packages", "package": "%s", "version": "%s", "architecture": "%s", "path": "%s"}' "$url" "$sum" "$name" "$version" "$arch" "$path"
      else
        printf '    "%s": {"sha256": "%s", "source": "mirror.sh save-packages, checked against the files lock", "path": "%s"}' "$url" "$sum" "$path"
      fi
    done < <(sort -u "$dir/apt/lock.entries")
    printf '\\n  }\\n}\\n'
  } >"$dir/files.lock.json.tmp"
  mv "$dir/files.lock.json.tmp" "$dir/files.lock.json"
}

save_packages() {
  local dir=$1 entry name arch k8s=0 want=()
  if [ -d "$dir" ] && [ ! -f "$dir/files.lock.json" ] && [ -n "$(ls -A "$dir")" ]; then
    fail "$dir is not empty and has no files.lock.json: not a package folder of this script"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  rm -rf "$dir/debs" "$dir/files" "$dir/apt"
  mkdir -p "$dir/debs" "$dir/apt"
  : >"$dir/apt/lock.entries"
  for entry in "\${debs[@]}"; do
    name=\${entry%%|*}
    if ! wanted "\${name%%=*}"; then continue; fi
    want+=("$name")
    if [ "\${entry##*|}" = kubernetes ]; then k8s=1; fi
  done
  if [ "\${#want[@]}" -gt 0 ]; then
    apt_sources "$dir" "$k8s"
    for arch in "\${deb_archs[@]}"; do save_debs "$dir" "$arch" "\${want[@]}"; done
  fi
  if [ -z "\${ONLY:-}" ]; then
    for entry in "\${downloads[@]}"; do save_download "$dir" "$entry"; done
  fi
  write_files_lock "$dir"
  index_packages "$dir"
  echo "mirror: saved $(grep -c . "$dir/apt/lock.entries") files in $dir; lock: $dir/files.lock.json" >&2
}

index_packages() {
  local dir=$1
  [ -d "$dir/debs" ] || fail "$dir/debs does not exist (run save-packages first)"
  command -v apt-ftparchive >/dev/null || fail "apt-ftparchive is missing (apt-get install apt-utils)"
  rm -f "$dir/debs/Packages" "$dir/debs/Packages.gz" "$dir/debs/Release" "$dir/debs/InRelease" "$dir/debs/Release.gpg"
  (
    cd "$dir/debs"
    apt-ftparchive packages . >../Packages.tmp
    mv ../Packages.tmp Packages
    gzip -9nc Packages >Packages.gz
    apt-ftparchive -o APT::FTPArchive::Release::Origin=kubeseed -o "APT::FTPArchive::Release::Label=kubeseed $cluster" release . >../Release.tmp
    mv ../Release.tmp Release
  )
  if [ -n "\${SIGN_BY:-}" ]; then
    gpg --batch --yes --local-user "$SIGN_BY" --digest-algo SHA512 --clearsign --output "$dir/debs/InRelease" "$dir/debs/Release"
    gpg --batch --yes --local-user "$SIGN_BY" --digest-algo SHA512 --armor --detach-sign --output "$dir/debs/Release.gpg" "$dir/debs/Release"
  fi
${model.registry.packages.key ? signedCheck() : ""}  echo "mirror: indexed $(find "$dir/debs" -name '*.deb' | wc -l) packages in $dir/debs" >&2
}

push_packages() {
  local dir=$1 dest=$2 part
  [ -f "$dir/debs/Release" ] || fail "$dir/debs has no Release (run save-packages or index-packages first)"
${model.registry.packages.key ? `  [ -f "$dir/debs/InRelease" ] || fail "$dir/debs is not signed, the nodes refuse it: SIGN_BY=<the packagesKey's key> $0 index-packages $dir"\n` : ""}  mkdir -p "$dest"
  for part in debs files; do
    if [ ! -d "$dir/$part" ]; then continue; fi
    rm -rf "\${dest:?}/$part.new"
    cp -R "$dir/$part" "$dest/$part.new"
    chmod -R a+rX "$dest/$part.new"
    rm -rf "\${dest:?}/$part"
    mv "$dest/$part.new" "$dest/$part"
  done
  echo "mirror: $dest holds the package tree: serve that folder at ${model.registry.packages.url}" >&2
}
`;
}

/** index-packages with spec.registry.packagesKey: the signature must be that key's. */
function signedCheck(): string {
  return `  if [ ! -f "$dir/debs/InRelease" ]; then
    echo "mirror: $dir/debs is unsigned; the nodes accept it only signed by the profile's packagesKey: SIGN_BY=<that key> $0 index-packages $dir" >&2
  else
    local keyring
    keyring=$(mktemp)
    packages_key | gpg --dearmor >"$keyring"
    if ! gpgv --keyring "$keyring" "$dir/debs/InRelease" 2>/dev/null; then
      rm -f "$keyring"
      fail "$dir/debs/InRelease is not signed by the profile's packagesKey"
    fi
    rm -f "$keyring"
  fi
`;
}

/**
 * The profile's packagesKey as a function of the script (only with one). The key is one single-quoted
 * word (shQuote), which no content can close; a heredoc would end at any line equal to its delimiter.
 */
function packagesKeyFunction(model: ClusterModel): string {
  const key = model.registry.packages.key;
  if (!key) return "";
  return `# spec.registry.packagesKey: the key the nodes check the flat repository's signature with
packages_key() {
  printf '%s\\n' ${shQuote(key.trimEnd())}
}

`;
}
