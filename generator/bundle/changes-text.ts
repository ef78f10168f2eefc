/**
 * The change summary (bundle/changes.ts) as titled sections of one-line items, shared by the text the
 * CLI prints (`gen plan`, after `gen`) and REPORT.md's "Changed since the previous output", so the
 * two always say the same. Sections: nodes added (how to boot them), nodes removed (the kubectl,
 * kubeadm and etcdctl commands), files to push to running nodes (and what to run then), certificates
 * the nodes renew themselves, manifests to apply, first-boot-only files, the operator's files,
 * certificates issued / re-issued (why) / dropped, and whether the CAs and secrets were kept.
 * Guarantees: pure; empty sections are left out; items in the order of the changes.
 */
import { messages } from "../core/messages.js";
import type { ReissueReason } from "../pki/reissue.js";
import type { CertChange, Changes, FileChange, NodeChanges } from "./changes.js";
import { isControlPlane } from "../model/roles.js";
import { nodeDir } from "../core/layout.js";
import type { Report } from "./report.js";

const M = messages.changes;
/** new certificates named one by one up to this many (a first run of 1,000 workers issues thousands) */
const LISTED = 8;

export interface Section {
  title: string;
  items: string[];
}

const paths = (files: FileChange[]) => files.map((f) => M.file(f.path, f.change)).join(", ");

function why(c: CertChange): string {
  const r = c.reason as ReissueReason;
  if (r === "sans") return M.reasons.sans((c.added ?? []).join(" "), (c.dropped ?? []).join(" "));
  if (r === "expiry") return M.reasons.expiry(c.notAfter ?? "");
  if (r === "new") return "";
  return M.reasons[r];
}

function removed(n: NodeChanges, firstControlPlane: string | undefined): string[] {
  const steps = [M.drain(n.node), M.reset(n.node)];
  if (isControlPlane(n) && firstControlPlane) steps.push(M.etcdGone(n.node, firstControlPlane));
  steps.push(M.deleteNode(n.node));
  return [M.removedNode(n.node, n.role), ...steps.map((s, i) => `  ${i + 1}. ${s}`)];
}

/** Items of the nodes that stay: one per node and action kind. */
function running(nodes: NodeChanges[], kind: FileChange["kind"], line: (node: string, files: FileChange[]) => string[]): string[] {
  return nodes.filter((n) => n.status === "changed").flatMap((n) => {
    const files = n.files.filter((f) => f.kind === kind);
    return files.length ? line(n.node, files) : [];
  });
}

/** What the sections say about a node of the output: its first-boot document and how it joins. */
export type NodeInfo = (node: string) => { document: string; join: "init" | "token" | "credential" };

/** The sections of `c`; `firstControlPlane` names a control plane that stays (for etcdctl). */
export function changeSections(c: Changes, node: NodeInfo, firstControlPlane?: string): Section[] {
  const s: Section[] = [];
  const add = (title: string, items: string[]) => {
    if (items.length) s.push({ title, items });
  };
  add(M.sections.added, c.nodes.filter((n) => n.status === "added").map((n) => M.addedNode(n.node, n.role, node(n.node).document, node(n.node).join)));
  add(M.sections.removed, c.nodes.filter((n) => n.status === "removed").flatMap((n) => removed(n, firstControlPlane)));
  add(
    M.sections.push,
    running(c.nodes, "push", (node, files) => {
      const byThen = new Map<string, FileChange[]>();
      for (const f of files) byThen.set(f.then ?? "", [...(byThen.get(f.then ?? "") ?? []), f]);
      return [...byThen.entries()].map(([then, fs]) => M.push(node, paths(fs), then || undefined));
    }),
  );
  add(M.sections.renewed, running(c.nodes, "renewed", (node, files) => [M.renewed(node, paths(files))]));
  add(M.sections.kubeadmIssued, running(c.nodes, "kubeadm-issued", (node, files) => [M.kubeadmIssued(node, paths(files))]));
  add(M.sections.apply, running(c.nodes, "apply", (node, files) => files.map((f) => M.apply(node, f.path, f.then!))));
  add(M.sections.firstBoot, [
    ...running(c.nodes, "first-boot", (node, files) => [M.firstBootFiles(node, paths(files))]),
    ...running(c.nodes, "reprovision", (node, files) => [M.reprovision(node, paths(files))]),
  ]);
  add(M.sections.operator, c.operator.map((f) => M.operatorFile(f.path, f.change)));
  const issued = c.certificates.filter((x) => x.change === "issued").map((x) => x.id);
  add(M.sections.certificates, [
    ...(issued.length ? [M.issued(issued.length, issued.length > LISTED ? M.andMore(issued.slice(0, LISTED).join(", "), issued.length - LISTED) : issued.join(", "))] : []),
    ...c.certificates.filter((x) => x.change === "reissued").map((x) => M.reissued(x.id, why(x))),
    ...c.certificates.filter((x) => x.change === "dropped").map((x) => M.dropped(x.id)),
  ]);
  s.push({ title: M.sections.secrets, items: [c.secretsCreated ? M.secretsCreated : M.secretsKept, ...(c.caRotation ? [M.caRotation(c.caRotation)] : [])] });
  return s;
}

/** Plain text for the terminal: the first line (first generation / nothing / the title), then the sections. */
export function changesText(c: Changes, sections: Section[], changed: boolean): string {
  const head = !c.compared ? M.first : changed ? `${M.title}:` : M.none;
  const body = changed ? sections.map((x) => `${x.title}:\n${x.items.map((i) => `  ${i}`).join("\n")}`).join("\n") : "";
  return `${head}\n${body ? `${body}\n` : ""}`;
}

/**
 * The sections of `c` for an output whose report lists `nodes`: each node's document and join from its
 * row (a node without one: its folder, joining with the token), and the first control plane for etcdctl.
 */
export function reportSections(c: Changes, nodes: readonly Report["nodes"][number][]): Section[] {
  const info: NodeInfo = (node) => nodes.find((n) => n.name === node) ?? { document: `${nodeDir(node)}/`, join: "token" };
  return changeSections(c, info, nodes.find(isControlPlane)?.name);
}
