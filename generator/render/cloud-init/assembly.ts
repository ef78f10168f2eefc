/**
 * Each PEM travels once in a cloud-init document. A kubeconfig embeds the base64 of PEM files (the
 * cluster CA, its client certificate and key): base64 inside the document's text, which gzip cannot
 * fold into the copies of the same PEMs elsewhere. `withAssembly` replaces every file that declares
 * such embedded PEMs (NodeFile.embeds) by a template under ASSEMBLY_DIR/files/<path>, in which each
 * embedded base64 is the reference `@base64:<file>@`: <file> is the node file with exactly that PEM
 * when there is one (e.g. /etc/kubernetes/pki/ca.crt), else the PEM itself, written once under
 * ASSEMBLY_DIR/parts/<file name>.<n>.crt|key (kubeconfig names are unique on a node). On first boot, before kubeadm, kubeseed-bootstrap builds each template back into
 * its file (render/bootstrap/functions.ts assemble_files); `expandTemplate` is the same rule in
 * TypeScript, for tests.
 * Guarantees: pure; expanding each template with the delivered files gives the original contents byte
 * for byte (checked here: an internal error otherwise); files without embeds pass through unchanged and
 * in order. Does not: apply to Ignition, which writes whole files (no text-in-text base64 there).
 */
import { ASSEMBLY_DIR } from "../bootstrap/data.js";
import type { NodeFile } from "../node-input.js";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const REFERENCE = /@base64:([^@\n]+)@/g;

/** The template's text with every reference replaced by the base64 of the file it names. */
export function expandTemplate(template: string, read: (path: string) => string): string {
  return template.replace(REFERENCE, (_, path: string) => b64(read(path)));
}

/** The delivery list of a cloud-init node: templates and parts instead of files with embedded PEMs. */
export function withAssembly(files: NodeFile[]): NodeFile[] {
  const pathOf = new Map<string, string>();
  for (const f of files) if (!f.embeds && !pathOf.has(f.contents)) pathOf.set(f.contents, f.path);
  const delivered = new Map(files.filter((f) => !f.embeds).map((f) => [f.path, f.contents]));
  const out: NodeFile[] = [];
  for (const f of files) {
    if (!f.embeds?.length) {
      out.push(f);
      continue;
    }
    let template = f.contents;
    f.embeds.forEach((pem, i) => {
      let ref = pathOf.get(pem);
      if (!ref) {
        ref = `${ASSEMBLY_DIR}/parts/${f.path.split("/").pop()}.${i + 1}.${pem.includes("PRIVATE KEY") ? "key" : "crt"}`;
        out.push({ path: ref, mode: 0o600, owner: "root:root", contents: pem });
        delivered.set(ref, pem);
      }
      template = template.split(b64(pem)).join(`@base64:${ref}@`);
    });
    const rebuilt = expandTemplate(template, (p) => delivered.get(p) ?? "");
    if (rebuilt !== f.contents || !template.endsWith("\n")) throw new Error(`internal: ${f.path} cannot be assembled from its template`);
    out.push({ path: `${ASSEMBLY_DIR}/files${f.path}`, mode: f.mode, owner: f.owner, contents: template });
  }
  return out;
}
