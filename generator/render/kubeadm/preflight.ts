/**
 * kubeadm's preflight policy per node: the checks `kubeadm join` must be told to ignore because kubeseed
 * placed the files they guard before the join. The bootstrap script passes them as
 * --ignore-preflight-errors (render/bootstrap/script.ts).
 * Guarantees: pure; an empty list for every node that needs none (the first control plane, every node
 * joining with the bootstrap token).
 */
import type { NodeRenderInput } from "../node-input.js";
import { isControlPlane } from "../../model/roles.js";

/**
 * A pre-issued worker keeps its kubelet.conf and ca.crt, and a joining control plane in external-CA mode
 * its kubelet.conf, which kubeadm join would otherwise refuse (cmd/kubeadm/app/preflight/checks.go,
 * JoinNodeChecks). Not yet proven by a real kubeadm join.
 */
export function ignoredPreflightErrors(i: NodeRenderInput): string[] {
  if (i.node.role === "worker" && i.model.pki.workerKubelet === "pre-issued") {
    return ["FileAvailable--etc-kubernetes-kubelet.conf", "FileAvailable--etc-kubernetes-pki-ca.crt"];
  }
  if (isControlPlane(i.node) && !i.node.init && i.model.pki.externalCA) return ["FileAvailable--etc-kubernetes-kubelet.conf"];
  return [];
}
