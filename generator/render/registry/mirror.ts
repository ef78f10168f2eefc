/**
 * output/NAME/registry/mirror.sh: moves every image of the manifest into the air-gapped registry with
 * skopeo (docs/sources.md#moving-images), in two halves so the images can travel on a USB stick:
 *   save [DIR]  on a connected machine: copy each upstream image into the OCI layout DIR (reference
 *               name = the source reference; digests preserved; the profile's architectures) and
 *               write DIR/images.lock.json with the digest of what was saved;
 *   push [DIR]  next to the registry: copy each image from DIR to every target path in the registry
 *               (TLS trusting the registry CA next to the script, or plain HTTP; SIGN_BY signs; with
 *               spec.registry.signatures an unsigned push is refused unless ALLOW_UNSIGNED=1).
 * images.lock.json placed next to the profile makes the next `gen` pin every rendered image by digest.
 * The node packages of files.json have their own steps (save-packages, index-packages, push-packages:
 * packages-script.ts).
 * Guarantees: pure; the image list is clusterImages' (the same as images.json); bash, passes shellcheck.
 */
import { clusterImages, lockKey } from "../../model/images.js";
import type { ClusterModel } from "../../model/types.js";
import { NO_FILES_LOCK, type FilesLock } from "../ignition/downloads.js";
import { packagesScript } from "./packages-script.js";
import { GENERATED_HEADER } from "../../core/generated.js";

export const IMAGE_LOCK_FORMAT = "kubeseed.images-lock/v1";

export function renderMirrorScript(model: ClusterModel, lock: FilesLock = NO_FILES_LOCK): string {
  const signaturesRequired = model.registry.signatures !== undefined;
  const r = model.registry;
  const pkgs = packagesScript(model, lock);
  const archs = r.architectures;
  // an upstream digest pin names the multi-arch index: such images are copied whole (docs/sources.md#moving-images)
  const entries = clusterImages(model).map((i) => `  "${lockKey(i.source)}|${i.targetPaths.join(" ")}|${i.source.digest ?? "-"}"`);
  // one architecture: that platform's image (global --override-arch); several: the whole index
  const global = archs.length === 1 ? `(--override-os linux --override-arch ${archs[0]})` : "()";
  const copyFlags = archs.length === 1 ? "()" : "(--multi-arch all)";
  const tls = r.tls === "ca" ? `(--dest-cert-dir "$cert_dir")` : "(--dest-tls-verify=false)";
  return `#!/usr/bin/env bash
${GENERATED_HEADER}# Mirrors the ${entries.length} images of cluster ${model.name} (Kubernetes ${model.kubernetes.version.full}) into ${r.repository}.
#
#   ./mirror.sh save [DIR]   on a connected machine: every image (${archs.join(", ")}; digests preserved) into
#                            the OCI layout DIR (default ./images), and DIR/images.lock.json
#   ./mirror.sh push [DIR]   next to the registry: every image from DIR into ${r.repository}
${pkgs.help}#
# Put DIR/images.lock.json next to the profile: the next \`gen\` pins every rendered image by digest.
# Environment: REGISTRY (default ${r.authority}) is where push goes; CERT_DIR (default: this
# folder) holds the registry CA as ca.crt; SIGN_BY=<key id> signs each pushed image (skopeo --sign-by,
# GPG), writing the signatures where the lookaside-staging of REGISTRIES_D (a registries.d folder) says.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
registry=\${REGISTRY:-${r.authority}}
prefix=${r.prefix}
cert_dir=\${CERT_DIR:-$here}
# source reference|target paths under the prefix|upstream digest pin (copied as the whole index) or -
images=(
${entries.join("\n")}
)
global=${global}
copy_flags=${copyFlags}
${pkgs.vars}
usage() {
  echo "usage: $0 save|push [DIR] | ${pkgs.usage}" >&2
  exit 2
}

save() {
  local dir=$1 entry src pin from digest first=1 g c
  mkdir -p "$dir"
  {
    echo "{"
    echo '  "format": "${IMAGE_LOCK_FORMAT}",'
    echo '  "images": {'
  } >"$dir/images.lock.json.tmp"
  for entry in "\${images[@]}"; do
    src=\${entry%%|*}
    pin=\${entry##*|}
    from=$src
    g=("\${global[@]}")
    c=("\${copy_flags[@]}")
    if [ "$pin" != "-" ]; then
      from="\${src%:*}@$pin"
      g=()
      c=(--multi-arch all)
    fi
    echo "mirror: save $from" >&2
    skopeo "\${g[@]}" copy --retry-times 3 "\${c[@]}" --preserve-digests "docker://$from" "oci:$dir:$src"
    digest=$(skopeo inspect --raw "oci:$dir:$src" | sha256sum | cut -d' ' -f1)
    [ "$first" = 1 ] || echo "," >>"$dir/images.lock.json.tmp"
    first=0
    printf '    "%s": "sha256:%s"' "$src" "$digest" >>"$dir/images.lock.json.tmp"
  done
  printf '\\n  }\\n}\\n' >>"$dir/images.lock.json.tmp"
  mv "$dir/images.lock.json.tmp" "$dir/images.lock.json"
  echo "mirror: saved \${#images[@]} images in $dir; lock: $dir/images.lock.json" >&2
}

push() {
  local dir=$1 entry src paths path tag c
  local tls=${tls}
  local sign=()
  if [ -n "\${SIGN_BY:-}" ]; then sign=(--sign-by "$SIGN_BY"); fi
  if [ -n "\${REGISTRIES_D:-}" ]; then sign+=(--registries.d "$REGISTRIES_D"); fi
${signaturesRequired ? `  # the profile's policy (spec.registry.signatures) accepts only signed images
  if [ -z "\${SIGN_BY:-}" ] && [ "\${ALLOW_UNSIGNED:-}" != 1 ]; then
    echo "mirror: the cluster's policy accepts only signed images: set SIGN_BY=<GPG key id> (or ALLOW_UNSIGNED=1 to push unsigned ones)" >&2
    exit 1
  fi
` : ""}
  [ -f "$dir/index.json" ] || { echo "mirror: $dir is not an OCI layout (run save first)" >&2; exit 1; }
  for entry in "\${images[@]}"; do
    src=\${entry%%|*}
    paths=\${entry#*|}
    paths=\${paths%|*}
    tag=\${src##*:}
    c=("\${copy_flags[@]}")
    if [ "\${entry##*|}" != "-" ]; then c=(--multi-arch all); fi
    for path in $paths; do
      echo "mirror: push $src -> $registry/$prefix/$path:$tag" >&2
      skopeo copy --retry-times 3 "\${c[@]}" --preserve-digests "\${tls[@]}" "\${sign[@]}" "oci:$dir:$src" "docker://$registry/$prefix/$path:$tag"
    done
  done
  echo "mirror: pushed \${#images[@]} images to $registry/$prefix" >&2
}

${pkgs.functions}
case "\${1:-}" in
  save) save "\${2:-images}" ;;
  push) push "\${2:-images}" ;;
${pkgs.cases}  *) usage ;;
esac
`;
}
