/**
 * ClusterPlan: per node, which certificates, kubeconfigs and files it receives. Pure data, no secrets:
 * certificates are referenced by id and issued later by pki/issueCerts.
 */
import type { ClusterModel, NodeModel } from "../model/types.js";

/** kubeadm's three CAs, always present */
export type CoreCaId = "kubernetes" | "etcd" | "front-proxy";
/** every CA: the core three and the air-gapped registry's, made only when a profile needs it */
export type CaId = CoreCaId | "registry";

export type ExtKeyUsage = "serverAuth" | "clientAuth";

/** What to issue; its content (not its id) decides whether a stored certificate is still valid. */
export interface CertRequest {
  /** stable id, e.g. "node/kube-cp-1/apiserver" or "kubeconfig/admin" */
  id: string;
  /** name of the row in pki/profiles.ts that produced it */
  profile: string;
  signer: CaId;
  commonName: string;
  organizations: string[];
  extKeyUsages: ExtKeyUsage[];
  dnsNames: string[];
  ipAddresses: string[];
}

export interface KubeconfigRequest {
  /** stable id, e.g. "node/kube-cp-1/admin.conf" */
  id: string;
  clusterName: string;
  server: string;
  /** user name in the kubeconfig (kubeadm uses the CN) */
  userName: string;
  /** client certificate id; absent for token-based kubeconfigs */
  certId?: string;
  /** bootstrap-token authentication instead of a client certificate */
  bootstrapToken?: boolean;
}

export type FileSource =
  | { kind: "ca-cert"; ca: CaId }
  | { kind: "ca-key"; ca: CaId }
  /** the CA that signs, alone (ca-cert may be a bundle of two during a CA rotation) */
  | { kind: "ca-signer"; ca: CaId }
  | { kind: "cert"; certId: string }
  | { kind: "key"; certId: string }
  | { kind: "sa-key" }
  | { kind: "sa-pub" }
  | { kind: "kubeconfig"; kubeconfigId: string }
  | { kind: "encryption-config" }
  | { kind: "join-info" }
  | { kind: "render"; renderer: NodeRendererId }
  /** containerd's hosts.toml for one registry host (air-gap mirror, render/registry/hosts-toml.ts) */
  | { kind: "registry-hosts"; host: string }
  /** a cluster-wide operator document (render/registry) */
  | { kind: "cluster-doc"; doc: ClusterDocId };

/** Operator documents rendered from the model alone (see bundle/cluster-docs.ts). */
export type ClusterDocId =
  | "images.json"
  | "images.txt"
  | "mirror.sh"
  | "registry-config"
  | "registries.conf"
  | "policy.json"
  | "registries.d"
  | "files.json"
  | "registry-service"
  | "ingress-lb-haproxy";

/** Per-node text files rendered from the model and the join data (see bundle/node-renderers.ts). */
export type NodeRendererId =
  | "hosts"
  | "sshd"
  | "modules"
  | "sysctl"
  | "containerd"
  | "crictl"
  | "nftables"
  | "firewall-unit"
  | "install-kubernetes"
  | "packages-key"
  | "kubeadm-config"
  | "bootstrap-script"
  | "bootstrap-unit"
  | "renew-script"
  | "renew-service"
  | "renew-timer"
  | "renew-config"
  | "haproxy"
  | "keepalived"
  | "keepalived-check"
  | "haproxy-pod"
  | "keepalived-pod"
  | "flannel"
  | "ingress-nginx"
  | "audit-policy"
  | "etcd-kubelet-config"
  | "etcd-kubelet-dropin";

/** One file on a node (or in the operator tree), with its on-node path and mode. */
export interface PlannedFile {
  /** absolute on-node path, e.g. /etc/kubernetes/pki/ca.crt */
  path: string;
  mode: number;
  owner: string;
  source: FileSource;
  sensitive: boolean;
}

export interface NodePlan {
  node: NodeModel;
  files: PlannedFile[];
}

export interface ClusterPlan {
  model: ClusterModel;
  certs: CertRequest[];
  kubeconfigs: KubeconfigRequest[];
  nodes: NodePlan[];
  /** operator material under output/NAME/ (paths relative to it) */
  operator: PlannedFile[];
}
