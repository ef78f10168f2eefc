/**
 * The node files that are not PKI: host configuration, the kubeadm config, the bootstrap script and
 * unit, the CNI manifest. A DATA table (STYLE rule 9): on-node path, mode, which nodes get it, and the
 * renderer that writes it (bundle/node-renderers.ts). The cloud-init and Ignition documents both carry
 * exactly these files, so a node never gets different files depending on the format.
 */
import { OS_TABLE } from "../model/os.js";
import type { ClusterModel, NodeModel } from "../model/types.js";
import type { NodeRendererId, PlannedFile } from "./types.js";
import { BOOTSTRAP_PROGRAM, BOOTSTRAP_UNIT_NAME } from "../core/node-names.js";
import { isControlPlane } from "../model/roles.js";

interface HostFileRow {
  renderer: NodeRendererId;
  /** on-node path, or a function of the node where its OS decides the directory */
  path: string | ((node: NodeModel) => string);
  mode: number;
  /** holds a secret (the bootstrap token) */
  sensitive?: boolean;
  applies: (model: ClusterModel, node: NodeModel) => boolean;
}

const always = () => true;
/** The node firewall table exists: seed 000's input rules, or only the metadata block (render/host/nftables.ts). */
export const firewallTable = (m: ClusterModel) => m.host.firewall === "nftables" || m.host.blockMetadata;
const withFirewall = firewallTable;
const isCp = (_: ClusterModel, n: NodeModel) => isControlPlane(n);
const etcdMember = (_: ClusterModel, n: NodeModel) => n.role === "etcd";
/** a control plane that renews its own certificates (pki.renewal: timer; not in external-CA mode, where no node holds a CA key) */
const renewing = (m: ClusterModel, n: NodeModel) => isControlPlane(n) && m.pki.renewal === "timer" && !m.pki.externalCA;
const balancer = (m: ClusterModel, n: NodeModel) => m.loadBalancer !== "none" && isControlPlane(n);
const balancerPods = (m: ClusterModel, n: NodeModel) => balancer(m, n) && m.loadBalancer === "static-pods";
/** an air-gapped Debian node whose flat apt repository is signed (render/cloud-init/airgap-apt.ts) */
const signedPackages = (m: ClusterModel, n: NodeModel) =>
  m.registry.mode === "airgap" && m.registry.packages.key !== undefined && OS_TABLE[n.os].provisioning === "cloud-init";

export const BOOTSTRAP_SCRIPT = `/usr/local/sbin/${BOOTSTRAP_PROGRAM}`;
/** kubeseed-bootstrap in the node OS's directory for local programs (Flatcar: /opt/bin, model/os.ts) */
export const bootstrapScriptPath = (node: NodeModel) => `${OS_TABLE[node.os].sbinDir}/${BOOTSTRAP_PROGRAM}`;
/** kubeseed-renew-certs in the node OS's directory for local programs, on control planes (render/renewal/) */
export const renewScriptPath = (node: NodeModel) => `${OS_TABLE[node.os].sbinDir}/kubeseed-renew-certs`;
export const INSTALL_KUBERNETES_SCRIPT = "/usr/local/sbin/kubeseed-install-kubernetes";
export const KUBEADM_CONFIG = "/etc/kubernetes/kubeadm/config.yaml";
export const FLANNEL_MANIFEST = "/etc/kubernetes/kubeseed/flannel.yaml";
export const FIREWALL_RULESET = "/etc/kubeseed/nftables.nft";
export const HAPROXY_CONFIG = "/etc/haproxy/haproxy.cfg";
export const KEEPALIVED_CONFIG = "/etc/keepalived/keepalived.conf";
export const KEEPALIVED_CHECK = "/etc/keepalived/check_apiserver.sh";
export const STATIC_POD_DIR = "/etc/kubernetes/manifests";
export const PACKAGES_KEY = "/etc/apt/keyrings/kubeseed-packages.asc";
/** seed 001's path of the audit policy; the log goes to /var/log/kubernetes/audit/ (render/kubeadm/audit.ts) */
export const AUDIT_POLICY = "/etc/kubernetes/audit/policy.yaml";
export const INGRESS_MANIFEST = "/etc/kubernetes/kubeseed/ingress-nginx.yaml";
/** an etcd member's standalone kubelet: its configuration and the drop-in that runs it (kubeadm's HA etcd guide) */
export const ETCD_KUBELET_CONFIG = "/etc/kubernetes/kubelet-etcd.yaml";
export const ETCD_KUBELET_DROPIN = "/etc/systemd/system/kubelet.service.d/20-kubeseed-etcd.conf";

/** The add-on manifests the init node applies after the CNI, in this order. */
export function addonManifests(model: ClusterModel): string[] {
  return model.ingress ? [INGRESS_MANIFEST] : [];
}

export const HOST_FILES: readonly HostFileRow[] = [
  { renderer: "hosts", path: "/etc/hosts", mode: 0o644, applies: always },
  { renderer: "sshd", path: "/etc/ssh/sshd_config.d/10-kubeseed.conf", mode: 0o644, applies: always },
  { renderer: "modules", path: "/etc/modules-load.d/kubernetes.conf", mode: 0o644, applies: always },
  { renderer: "sysctl", path: "/etc/sysctl.d/90-kubernetes.conf", mode: 0o644, applies: always },
  { renderer: "containerd", path: "/etc/containerd/config.toml", mode: 0o644, applies: always },
  { renderer: "crictl", path: "/etc/crictl.yaml", mode: 0o644, applies: always },
  { renderer: "nftables", path: FIREWALL_RULESET, mode: 0o600, applies: withFirewall },
  { renderer: "firewall-unit", path: "/etc/systemd/system/kubeseed-firewall.service", mode: 0o644, applies: withFirewall },
  { renderer: "install-kubernetes", path: INSTALL_KUBERNETES_SCRIPT, mode: 0o755, applies: (_, n) => n.kubernetesPackages === "apt" },
  { renderer: "packages-key", path: PACKAGES_KEY, mode: 0o644, applies: signedPackages },
  { renderer: "kubeadm-config", path: KUBEADM_CONFIG, mode: 0o600, sensitive: true, applies: always },
  { renderer: "bootstrap-script", path: bootstrapScriptPath, mode: 0o755, applies: always },
  { renderer: "bootstrap-unit", path: `/etc/systemd/system/${BOOTSTRAP_UNIT_NAME}`, mode: 0o644, applies: always },
  // certificate renewal on control planes (render/renewal/data.ts)
  { renderer: "renew-script", path: renewScriptPath, mode: 0o755, applies: renewing },
  { renderer: "renew-service", path: "/etc/systemd/system/kubeseed-renew-certs.service", mode: 0o644, applies: renewing },
  { renderer: "renew-timer", path: "/etc/systemd/system/kubeseed-renew-certs.timer", mode: 0o644, applies: renewing },
  { renderer: "renew-config", path: "/etc/kubernetes/kubeadm/renew.yaml", mode: 0o644, applies: renewing },
  { renderer: "haproxy", path: HAPROXY_CONFIG, mode: 0o644, applies: balancer },
  { renderer: "keepalived", path: KEEPALIVED_CONFIG, mode: 0o644, applies: balancer },
  { renderer: "keepalived-check", path: KEEPALIVED_CHECK, mode: 0o755, applies: balancer },
  // kubeadm writes its own static pod manifests 0600; these sit beside them
  { renderer: "haproxy-pod", path: `${STATIC_POD_DIR}/haproxy.yaml`, mode: 0o600, applies: balancerPods },
  { renderer: "keepalived-pod", path: `${STATIC_POD_DIR}/keepalived.yaml`, mode: 0o600, applies: balancerPods },
  { renderer: "flannel", path: FLANNEL_MANIFEST, mode: 0o644, applies: (_, n) => n.init },
  { renderer: "ingress-nginx", path: INGRESS_MANIFEST, mode: 0o644, applies: (m, n) => n.init && m.ingress !== undefined },
  // kube-apiserver reads it through the hostPath mount of render/kubeadm/audit.ts
  { renderer: "audit-policy", path: AUDIT_POLICY, mode: 0o600, applies: (m, n) => isCp(m, n) && m.audit !== undefined },
  { renderer: "etcd-kubelet-config", path: ETCD_KUBELET_CONFIG, mode: 0o644, applies: etcdMember },
  { renderer: "etcd-kubelet-dropin", path: ETCD_KUBELET_DROPIN, mode: 0o644, applies: etcdMember },
];

export function hostFiles(model: ClusterModel, node: NodeModel): PlannedFile[] {
  return HOST_FILES.filter((r) => r.applies(model, node)).map((r) => ({
    path: typeof r.path === "string" ? r.path : r.path(node),
    mode: r.mode,
    owner: "root:root",
    source: { kind: "render", renderer: r.renderer },
    sensitive: r.sensitive ?? false,
  }));
}
