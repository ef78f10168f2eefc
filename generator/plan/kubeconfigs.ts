/**
 * Kubeconfig profiles: kubeadm's kubeconfig set as a DATA table (cmd/kubeadm/app/phases/kubeconfig/
 * kubeconfig.go, docs/sources.md#kubeconfigs-per-user). Each row names the user (the client certificate's
 * CN and O), the server rule and which nodes receive it at /etc/kubernetes/FILE.
 * "endpoint" = https://controlPlaneEndpoint; "local" = https://<node address>:<bindPort> (kubeadm
 * points controller-manager and scheduler at their own node's apiserver); "kubelet" = local on a
 * control plane where kubeadm's ControlPlaneKubeletLocalMode is on (1.33+, model/kubeadm-rules.ts),
 * else the endpoint.
 */
import type { ClusterModel, NodeModel } from "../model/types.js";
import { isControlPlane } from "../model/roles.js";

/** a late joiner's discovery kubeconfig (JoinConfiguration discovery.file.kubeConfigPath) */
export const DISCOVERY_KUBECONFIG = "/etc/kubernetes/kubeadm/discovery.conf";

export interface KubeconfigProfile {
  file: string;
  /** on-node path when it is not /etc/kubernetes/FILE */
  path?: string;
  /** where a node gets it; "cluster" rows use one shared certificate, "node" rows one per node */
  scope: "cluster" | "node";
  server: "endpoint" | "local" | "kubelet";
  applies: (model: ClusterModel, node: NodeModel) => boolean;
  commonName: (node: NodeModel) => string;
  organizations: (model: ClusterModel) => string[];
  /** authenticate with the bootstrap token instead of a client certificate */
  bootstrapToken?: boolean;
  /** kubeadm's kubeconfig phase writes it on a control plane when it is missing (pki.controlPlaneCertificates: on-node) */
  kubeadmWrites?: boolean;
}

const isCp = (_: ClusterModel, n: NodeModel) => isControlPlane(n);

export const KUBECONFIG_PROFILES: readonly KubeconfigProfile[] = [
  {
    file: "admin.conf",
    kubeadmWrites: true,
    scope: "cluster",
    server: "endpoint",
    applies: isCp,
    commonName: () => "kubernetes-admin",
    organizations: (m) => [m.kubeadm.adminGroup],
  },
  {
    file: "super-admin.conf",
    kubeadmWrites: true,
    scope: "cluster",
    server: "endpoint",
    applies: (m, n) => m.kubeadm.superAdmin && n.init,
    commonName: () => "kubernetes-super-admin",
    organizations: () => ["system:masters"],
  },
  {
    file: "controller-manager.conf",
    kubeadmWrites: true,
    scope: "node",
    server: "local",
    applies: isCp,
    commonName: () => "system:kube-controller-manager",
    organizations: () => [],
  },
  {
    file: "scheduler.conf",
    kubeadmWrites: true,
    scope: "node",
    server: "local",
    applies: isCp,
    commonName: () => "system:kube-scheduler",
    organizations: () => [],
  },
  {
    file: "kubelet.conf",
    kubeadmWrites: true,
    scope: "node",
    // 1.33+: kubeadm expects the init node's kubelet.conf at its own apiserver and warns about any other
    // URL (cmd/kubeadm/app/cmd/phases/init/kubeconfig.go, feature gate ControlPlaneKubeletLocalMode)
    server: "kubelet",
    // kubeadm join refuses an existing kubelet.conf (preflight FileAvailable--etc-kubernetes-kubelet.conf,
    // cmd/kubeadm/app/preflight/checks.go JoinNodeChecks): joining control planes TLS-bootstrap their
    // kubelet; pre-issued workers get it and the bootstrap script names that check to ignore. In
    // external-CA mode nothing signs a CSR, so joining control planes get it too (and ignore the check).
    applies: (m, n) => n.init || (n.role === "worker" && m.pki.workerKubelet === "pre-issued") || (isControlPlane(n) && m.pki.externalCA),
    commonName: (n) => `system:node:${n.name}`,
    organizations: () => ["system:nodes"],
  },
  {
    // a late joiner's discovery and TLS-bootstrap credential (JoinConfiguration discovery.file): kubeadm
    // join reads the cluster CA and the API endpoint from it and hands it to the kubelet as its bootstrap
    // kubeconfig, whose CSR for its own name the controller manager approves (group system:nodes may
    // renew its own client certificate: kubeadm's kubeadm:node-autoapprove-certificate-rotation);
    // kubeseed-bootstrap deletes it once kubeadm join succeeded
    file: "discovery.conf",
    path: DISCOVERY_KUBECONFIG,
    scope: "node",
    server: "endpoint",
    applies: (m, n) => !n.init && m.join.method === "credential",
    commonName: (n) => `system:node:${n.name}`,
    organizations: () => ["system:nodes"],
  },
  {
    file: "bootstrap-kubelet.conf",
    scope: "cluster",
    server: "endpoint",
    // never placed on a node: kubeadm join writes it from the discovery data and refuses an existing one
    // (preflight FileAvailable--etc-kubernetes-bootstrap-kubelet.conf); the operator gets a copy
    applies: () => false,
    commonName: () => "tls-bootstrap-token-user",
    organizations: () => [],
    bootstrapToken: true,
  },
];
