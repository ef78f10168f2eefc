/**
 * Version-dependent kubeadm behaviour, as a table keyed by minor version (STYLE rule 9).
 * Sources: docs/sources.md#kubeadm-129-admin-conf; kubeadm v1.29 release notes (admin.conf moved to the
 * kubeadm:cluster-admins group and super-admin.conf was added, kubernetes/kubernetes#121305;
 * O removed from etcd client certs, #119859/#120521); v1beta4 arrived in 1.31.
 */
import type { ClusterModel, KubernetesVersion } from "./types.js";

/** kubeadm binds kube-apiserver-kubelet-client to system:kubelet-api-admin (#138957 and its cherry-picks). */
function kubeletApiAdminBinding(v: KubernetesVersion): boolean {
  if (v.major > 1 || v.minor >= 35) return true;
  return (v.minor === 34 && v.patch >= 8) || (v.minor === 33 && v.patch >= 12);
}

export function kubeadmRules(v: KubernetesVersion): ClusterModel["kubeadm"] {
  const since129 = v.major > 1 || v.minor >= 29;
  return {
    configApiVersion: v.minor >= 31 ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3",
    superAdmin: since129,
    adminGroup: since129 ? "kubeadm:cluster-admins" : "system:masters",
    // kubernetes/kubernetes#121837 (1.29): apiserver-kubelet-client moved from system:masters to
    // kubeadm:cluster-admins; #138957 (1.33.12, 1.34.8 and later patches): no group at all, kubeadm init
    // binds the user kube-apiserver-kubelet-client to system:kubelet-api-admin instead
    // (ClusterRoleBinding kubeadm:apiserver-kubelet-client) — a pre-issued certificate says what kubeadm's would.
    apiserverKubeletClientGroup: !since129 ? "system:masters" : kubeletApiAdminBinding(v) ? undefined : "kubeadm:cluster-admins",
    etcdClientGroup: since129 ? undefined : "system:masters",
    // feature gate ControlPlaneKubeletLocalMode, on by default from 1.33 (kubernetes/kubeadm#2271)
    controlPlaneKubeletLocal: v.major > 1 || v.minor >= 33,
  };
}

export function parseVersion(text: string): KubernetesVersion {
  const [major, minor, patch] = text.replace(/^v/, "").split(".").map(Number);
  return { full: text, major, minor, patch };
}
