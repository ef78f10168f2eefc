/**
 * REPORT.md: the report (bundle/report.ts) as Markdown tables for people.
 * Guarantees: pure; the same facts as report.json, nothing more.
 */
import type { Report } from "./report.js";
import { reportSections } from "./changes-text.js";
import { hasChanges } from "./changes.js";
import { messages } from "../core/messages.js";
import { GENERATED_NOTICE } from "../core/generated.js";

const M = messages.changes;

/** "## Changed since the previous output": the change sections (the same text gen prints), as Markdown lists. */
function changesMarkdown(r: Report): string[] {
  const c = r.changes;
  const head = ["## " + M.title, "", !c.compared ? `${M.first}.` : hasChanges(c) ? `${M.carried}.` : `${M.none}.`, ""];
  if (!hasChanges(c)) return head;
  return [...head, ...reportSections(c, r.nodes).flatMap((s) => [`### ${s.title}`, "", ...s.items.map((i) => (i.startsWith("  ") ? `   ${i.trimStart()}` : `- ${i}`)), ""])];
}

const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

/** "no limit", or what the cloud counts against its limit and whether it fits. */
const budget = (n: Report["nodes"][number]) => (n.limit === null ? "no limit" : n.fits ? `fits: ${n.counted} ≤ ${n.limit}` : `too large: ${n.counted} > ${n.limit}`);

export function reportMarkdown(r: Report): string {
  const lines = [
    `# Cluster ${r.cluster}`,
    "",
    `Kubernetes ${r.kubernetesVersion}, API endpoint ${r.endpoint}. Budget: ${r.cloud}. ${GENERATED_NOTICE}`,
    "",
    ...(r.warnings.length ? ["## Warnings", "", ...r.warnings.map((w) => `- ${w}`), ""] : []),
    "## Nodes",
    "",
    row(["node", "role", "address", "OS", "first-boot document", "form", "bytes", "budget"]),
    row(["---", "---", "---", "---", "---", "---", "---:", "---"]),
    ...r.nodes.map((n) =>
      row([n.name, n.init ? `${n.role} (kubeadm init)` : n.join === "credential" ? `${n.role} ${M.joinsWithCredential}` : n.role, n.publicAddress ? `${n.address} (public ${n.publicAddress})` : n.address, n.os, n.document, n.form, n.bytes, budget(n)]),
    ),
    "",
    `Upload: ${r.upload.how}.${r.upload.source ? ` Limit: ${r.upload.source}.` : ""}`,
    "",
    "## Certificates",
    "",
    row(["id", "subject", "issuer", "not after", "held by"]),
    row(["---", "---", "---", "---", "---"]),
    ...r.certificates.map((c) => row([c.id, c.subject, c.issuer, c.notAfter, c.holders.join(", ")])),
    "",
    "## Secrets",
    "",
    row(["secret", "held by"]),
    row(["---", "---"]),
    ...r.secrets.map((s) => row([s.name, s.holders.join(", ")])),
    "",
    "## Images",
    "",
    r.images.manifest ? `${r.images.count} images in ${r.images.registry}; manifest: ${r.images.manifest}.` : `${r.images.count} images, pulled from their upstream registries.`,
    "",
    "## Next",
    "",
    ...r.next.map((n, i) => `${i + 1}. ${n}`),
    "",
    ...changesMarkdown(r),
  ];
  return lines.join("\n");
}
