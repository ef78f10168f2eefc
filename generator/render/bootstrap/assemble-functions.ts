/**
 * The first step of kubeseed-bootstrap on cloud-init nodes, as bash functions: unpack_pems writes the
 * PEM files the first-boot document carried as one DER pack back as PEM text (render/cloud-init/pem-pack.ts),
 * assemble_files turns the delivered templates into the kubeconfigs (render/cloud-init/assembly.ts).
 * Part of stepFunctions' text (functions.ts), with the same guarantees: pure, `bash -n` and shellcheck
 * clean, every path under "$ROOT", a failure fails the step with a status.
 */
import { messages } from "../../core/messages.js";
import { shText, shVar } from "./shell.js";

const m = messages.bootstrap;

/** unpack_pems and assemble_files, each followed by a blank line. */
export function assembleFunctions(): string {
  return `# the PEM files the first-boot document carried as one DER pack: each line of $ASSEMBLY_DIR/pems is
# "offset length label mode owner path" (label's spaces as _); the file is the PEM of those bytes of pems.der
unpack_pems() {
  local offset length label mode owner path target
  [ -f "$ASSEMBLY_DIR/pems" ] || return 0
  while read -r offset length label mode owner path; do
    target="$ROOT$path"
    mkdir -p "$(dirname "$target")"
    (
      umask 077
      printf -- '-----BEGIN %s-----\\n' "\${label//_/ }"
      dd if="$ASSEMBLY_DIR/pems.der" iflag=skip_bytes,count_bytes skip="$offset" count="$length" bs=65536 status=none | base64 -w 64
      printf -- '-----END %s-----\\n' "\${label//_/ }"
    ) >"$target.kubeseed-new"
    chmod "$mode" "$target.kubeseed-new"
    chown "$owner" "$target.kubeseed-new"
    mv -f "$target.kubeseed-new" "$target"
  done <"$ASSEMBLY_DIR/pems"
}

# first the PEM pack, then every template under $ASSEMBLY_DIR/files becomes the file at its own path, each
# @base64:PATH@ in it replaced by the base64 of PATH (one line, as base64 -w0 writes it), with the
# template's mode and owner; then the folder goes. Nothing to do when the first-boot document carried
# neither (Ignition).
assemble_files() {
  local template target line pre rest path post
  [ -d "$ASSEMBLY_DIR" ] || return 0
  step assemble ${shText(m.assemble(shVar("ASSEMBLY_DIR")))}
  unpack_pems
  [ -d "$ASSEMBLY_DIR/files" ] || { rm -rf "$ASSEMBLY_DIR"; return 0; }
  while IFS= read -r -d '' template; do
    target="$ROOT\${template#"$ASSEMBLY_DIR/files"}"
    mkdir -p "$(dirname "$target")"
    (
      umask 077
      while IFS= read -r line; do
        while [[ "$line" == *@base64:*@* ]]; do
          pre="\${line%%@base64:*}" rest="\${line#*@base64:}"
          path="\${rest%%@*}" post="\${rest#*@}"
          line="$pre$(base64 -w0 "$ROOT$path")$post"
        done
        printf '%s\\n' "$line"
      done <"$template" >"$target.kubeseed-new"
    )
    chmod --reference="$template" "$target.kubeseed-new"
    chown --reference="$template" "$target.kubeseed-new"
    mv -f "$target.kubeseed-new" "$target"
  done < <(find "$ASSEMBLY_DIR/files" -type f -print0 | sort -z)
  rm -rf "$ASSEMBLY_DIR"
}

`;
}
