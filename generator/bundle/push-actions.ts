/**
 * What the operator does with a changed file of a node that already runs (STYLE rule 9: a data table):
 * push it and run a command, or nothing because only the first boot reads it, or apply it with
 * kubectl. Rows are matched in order against the on-node path; the first match wins.
 * - first-boot: the kubeadm config, the discovery kubeconfig, kubeseed-bootstrap and its unit, the
 *   package installer: read once by the first boot; a joined node never reads them again.
 * - push: copy the file to the node (same path, mode, owner root:root), then run `then` there.
 * - apply: the CNI manifest, which kubeseed-bootstrap applied once; a change is applied with kubectl.
 * A certificate re-issued only because it was about to expire is "renewed": control planes renew their
 * own copies (kubeseed-renew-certs.timer), so it needs pushing only to a node whose renewal is off.
 * A control-plane file that left the output because kubeadm issues it on the node now
 * (pki.controlPlaneCertificates: on-node) is "kubeadm-issued": the node keeps it, nothing is pushed
 * or deleted (bundle/changes.ts decides it from plan/plan.ts kubeadmIssuedPaths).
 * Guarantees: pure; every on-node path gets an action (the last row matches everything).
 */
import { messages } from "../core/messages.js";
import type { ClusterModel } from "../model/types.js";

export type ActionKind = "push" | "first-boot" | "apply" | "renewed" | "operator" | "reprovision" | "kubeadm-issued";

export interface FileAction {
  kind: ActionKind;
  /** the command to run on the node after pushing (kind push), or the kubectl command (kind apply) */
  then?: string;
}

const C = messages.changes.then;
const CONTROL_PLANE_PODS = "etcd|kube-apiserver|kube-controller-manager|kube-scheduler";

interface Row {
  match: RegExp;
  kind: "push" | "first-boot" | "apply";
  then?: (model: ClusterModel) => string | undefined;
}

const balancerPod = (name: string, service: string) => (m: ClusterModel) => (m.loadBalancer === "static-pods" ? C.restartPods(name) : C.reload(service));

export const PUSH_ACTIONS: readonly Row[] = [
  { match: /^\/etc\/kubernetes\/kubeadm\/(config\.yaml|discovery\.conf)$/, kind: "first-boot" },
  { match: /\/kubeseed-(bootstrap|install-kubernetes)$|\/kubeseed-bootstrap\.service$/, kind: "first-boot" },
  { match: /^\/etc\/kubernetes\/kubeseed\/flannel\.yaml$/, kind: "apply", then: () => C.applyCni },
  { match: /^\/etc\/kubernetes\/manifests\//, kind: "push", then: () => C.kubeletWatches },
  { match: /^\/etc\/kubernetes\/kubelet\.conf$/, kind: "push", then: () => C.restart("kubelet") },
  { match: /^\/etc\/kubernetes\/(pki\/|[^/]+\.conf$)/, kind: "push", then: () => C.restartPods(CONTROL_PLANE_PODS) },
  { match: /kubeseed-renew-certs(\.service|\.timer)?$|^\/etc\/kubernetes\/kubeadm\/renew\.yaml$/, kind: "push", then: () => C.enableTimer },
  { match: /^\/etc\/haproxy\//, kind: "push", then: balancerPod("haproxy", "haproxy") },
  { match: /^\/etc\/keepalived\//, kind: "push", then: balancerPod("keepalived", "keepalived") },
  { match: /^\/etc\/(containerd\/|crictl\.yaml$)/, kind: "push", then: () => C.restart("containerd") },
  { match: /^\/etc\/ssh\//, kind: "push", then: () => C.reload("ssh") },
  { match: /^\/etc\/(modules-load|sysctl)\.d\//, kind: "push", then: () => C.restart("systemd-modules-load systemd-sysctl") },
  { match: /^\/etc\/kubeseed\/nftables\.nft$|kubeseed-firewall\.service$/, kind: "push", then: () => C.restartFirewall },
  { match: /./, kind: "push" },
];

/** The action for a changed node file at `path` (on-node); `renewedOnly`: its certificate was re-issued for expiry alone. */
export function nodeFileAction(model: ClusterModel, path: string, renewedOnly: boolean): FileAction {
  const row = PUSH_ACTIONS.find((r) => r.match.test(path))!;
  if (renewedOnly && row.kind === "push") return { kind: "renewed" };
  const then = row.then?.(model);
  return then ? { kind: row.kind, then } : { kind: row.kind };
}
