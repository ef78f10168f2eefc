/**
 * What a generation changes compared with the previous output: nodes added and removed, every added,
 * changed or removed file per node (with what the operator does about it, bundle/push-actions.ts) and
 * for the operator, every certificate issued, re-issued (and why) or dropped, and whether the secrets
 * file is new. `gen plan` prints it without writing, `gen` prints it after a run, REPORT.md and
 * manifest.json carry it.
 *
 * A node's files are nodes/NODE/files/<on-node path> (core/layout.ts); its first-boot documents (cloud-init/,
 * ignition.json) change with them and are listed as "reprovision" (needed only to provision it anew).
 * A removed node's role is read from its previous files: control planes carry pki/sa.key whichever way
 * their certificates are issued (pre-issued or by kubeadm on the node) and in external-CA mode too.
 * Guarantees: pure and deterministic (nodes in profile order, then removed ones by name; files by path).
 */
import { nodeDir, nodeFilePath, parseNodePath, type NodePlace } from "../core/layout.js";
import type { IssueResult } from "../pki/issue.js";
import type { ReissueReason } from "../pki/reissue.js";
import { kubeadmIssuedPaths, PKI_DIR } from "../plan/plan.js";
import type { ClusterPlan } from "../plan/types.js";
import { comparedPath } from "./manifest.js";
import { nodeFileAction, type FileAction } from "./push-actions.js";

export type Change = "added" | "changed" | "removed";

export interface FileChange extends FileAction {
  /** on-node path for node files, output path for the operator's */
  path: string;
  change: Change;
}

export interface NodeChanges {
  node: string;
  status: "added" | "removed" | "changed";
  role: string;
  files: FileChange[];
}

export interface CertChange {
  id: string;
  change: "issued" | "reissued" | "dropped";
  reason?: ReissueReason;
  added?: string[];
  dropped?: string[];
  /** the previous certificate's notAfter (reason expiry) */
  notAfter?: string;
}

export interface Changes {
  /** false on the first generation (or when the previous output could not be read) */
  compared: boolean;
  nodes: NodeChanges[];
  operator: FileChange[];
  certificates: CertChange[];
  /** the secrets file was created by this run (new CAs, keys, token) */
  secretsCreated: boolean;
  /** the step of a cluster-CA rotation this output renders (pki/rotation.ts) */
  caRotation?: string;
}

/** True when the changes hold anything at all. */
export function hasChanges(c: Changes): boolean {
  return !c.compared || c.secretsCreated || c.nodes.length > 0 || c.operator.length > 0 || c.certificates.length > 0;
}

/** The node's place of an output path that belongs to a node's changes: its files and first-boot documents. */
function nodePlace(path: string): NodePlace | undefined {
  const p = parseNodePath(path);
  return p && (p.kind === "file" || p.kind === "cloud-init" || p.kind === "ignition") ? p : undefined;
}

function diffPaths(before: Record<string, string>, after: Record<string, string>): [string, Change][] {
  const out: [string, Change][] = [];
  for (const p of Object.keys(after)) if (!(p in before)) out.push([p, "added"]);
  for (const p of Object.keys(after)) if (p in before && before[p] !== after[p]) out.push([p, "changed"]);
  for (const p of Object.keys(before)) if (!(p in after)) out.push([p, "removed"]);
  return out.filter(([p]) => comparedPath(p)).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Certificate ids per on-node file of every node (files that carry a certificate or a kubeconfig with one). */
function certOfFile(plan: ClusterPlan): Map<string, string> {
  const kubeconfigCert = new Map(plan.kubeconfigs.map((k) => [k.id, k.certId]));
  const out = new Map<string, string>();
  for (const n of plan.nodes) {
    for (const f of n.files) {
      const s = f.source;
      const id = s.kind === "cert" || s.kind === "key" ? s.certId : s.kind === "kubeconfig" ? kubeconfigCert.get(s.kubeconfigId) : undefined;
      if (id) out.set(nodeFilePath(n.node.name, f.path), id);
    }
  }
  return out;
}

export function certificateChanges(issue: IssueResult): CertChange[] {
  const issued = issue.issued.map((id): CertChange => {
    const r = issue.reasons[id];
    if (!r || r.reason === "new") return { id, change: "issued" };
    return { id, change: "reissued", reason: r.reason, ...(r.added ? { added: r.added, dropped: r.dropped } : {}), ...(r.reason === "expiry" ? { notAfter: r.notAfter } : {}) };
  });
  return [...issued, ...issue.removed.map((id): CertChange => ({ id, change: "dropped" }))].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The changes from `before` (the previous output's file hashes; undefined: none) to `after`. */
export function computeChanges(plan: ClusterPlan, issue: IssueResult, secretsCreated: boolean, before: Record<string, string> | undefined, after: Record<string, string>): Changes {
  const certificates = certificateChanges(issue);
  const rotation = plan.model.caRotation ? { caRotation: plan.model.caRotation } : {};
  if (!before) return { compared: false, nodes: [], operator: [], certificates, secretsCreated, ...rotation };
  const certs = certOfFile(plan);
  const renewedOnly = new Set(certificates.filter((c) => c.reason === "expiry").map((c) => c.id));
  const byNode = new Map<string, FileChange[]>();
  const operator: FileChange[] = [];
  // computed only for a node that lost files (a re-run of 1,000 unchanged workers asks for none)
  const issuedOnNodes = new Map<string, Set<string>>();
  const kubeadmIssued = (name: string) => {
    if (!issuedOnNodes.has(name)) {
      const n = plan.nodes.find((x) => x.node.name === name);
      issuedOnNodes.set(name, n ? kubeadmIssuedPaths(plan.model, n.node) : new Set());
    }
    return issuedOnNodes.get(name)!;
  };
  for (const [path, change] of diffPaths(before, after)) {
    const place = nodePlace(path);
    if (!place) {
      operator.push({ path, change, kind: "operator" });
      continue;
    }
    const { node, onNode } = place;
    const cert = certs.get(path);
    const action: FileAction = !onNode
      ? { kind: "reprovision" }
      : change === "removed" && kubeadmIssued(node).has(onNode)
        ? { kind: "kubeadm-issued" }
        : nodeFileAction(plan.model, onNode, change === "changed" && !!cert && renewedOnly.has(cert));
    if (!byNode.has(node)) byNode.set(node, []);
    byNode.get(node)!.push({ path: onNode ?? place.rel, change, ...action });
  }
  const had = (name: string) => Object.keys(before).some((p) => p.startsWith(`${nodeDir(name)}/`));
  const nodes: NodeChanges[] = plan.nodes
    .filter((n) => byNode.has(n.node.name))
    .map((n) => ({ node: n.node.name, status: had(n.node.name) ? "changed" : "added", role: n.node.role, files: byNode.get(n.node.name)! }));
  const current = new Set(plan.nodes.map((n) => n.node.name));
  for (const name of [...byNode.keys()].filter((x) => !current.has(x)).sort()) {
    const role = nodeFilePath(name, `${PKI_DIR}/sa.key`) in before ? "control-plane" : "worker";
    nodes.push({ node: name, status: "removed", role, files: byNode.get(name)! });
  }
  return { compared: true, nodes, operator, certificates, secretsCreated, ...rotation };
}
