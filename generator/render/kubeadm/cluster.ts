/**
 * The cluster-wide documents of the init node. kubeadm uploads ClusterConfiguration to the
 * kube-system/kubeadm-config ConfigMap and every joining control plane reuses it, so nothing in it
 * may be node-specific.
 * Fields and their order follow cmd/kubeadm/app/apis/kubeadm/{v1beta3,v1beta4}/types.go.
 *
 * Decisions:
 * - apiServer extraArgs: encryption-provider-config (the file sits in /etc/kubernetes/pki, which
 *   kubeadm already mounts into kube-apiserver as the k8s-certs volume) and service-node-port-range
 *   from the model. No bind-address: the flag would be cluster-wide, and one node's address there
 *   breaks every other control plane; kube-apiserver keeps its default (all interfaces) so it answers
 *   on the private address, 127.0.0.1 and the public address its certificate carries. The host
 *   firewall decides what is reachable. A VIP balancer on the control planes therefore has to listen
 *   on a port other than bindPort (or per-node bind-address needs kubeadm `patches`).
 * - v1beta4: certificateValidityPeriod / caCertificateValidityPeriod / encryptionAlgorithm from
 *   model.pki so `kubeadm certs renew` keeps the profile's choices. v1beta3 has none of these; with
 *   ECDSA keys it gets featureGates.PublicKeysECDSA (kubeadm 1.19–1.30 feature gate, deprecated in
 *   1.31 in favour of encryptionAlgorithm) so renewals keep ECDSA too.
 *
 * KubeletConfiguration and KubeProxyConfiguration travel with it: kubeadm init uploads them too
 * (kube-system ConfigMaps kubelet-config and kube-proxy), so joining nodes get the same settings.
 * - KubeletConfiguration, kubelet.config.k8s.io/v1beta1 (staging/src/k8s.io/kubelet/config/v1beta1/
 *   types.go): systemd cgroups (kubeadm's default since 1.22, matching containerd's SystemdCgroup),
 *   cluster DNS = the tenth service IP as kubeadm, client-certificate rotation on (off in external-CA
 *   mode, where the controller-manager signs nothing), and a self-signed
 *   serving certificate (serverTLSBootstrap false: its CSRs would need an approver nobody runs).
 * - KubeProxyConfiguration, kubeproxy.config.k8s.io/v1alpha1 (staging/src/k8s.io/kube-proxy/config/
 *   v1alpha1/types.go): clusterCIDR = pod CIDR; mode iptables, the Linux default in every release
 *   kubeseed supports (nftables is GA only from 1.33 and still not the default).
 * Guarantees: pure; every value comes from the model.
 */
import type { ClusterModel } from "../../model/types.js";
import type { KeyAlgorithm } from "../../profile/schema.js";
import { CA_SIGNER, ENCRYPTION_CONFIG, PKI_DIR } from "../../plan/plan.js";
import { ETCD_CLIENT } from "../bootstrap/data.js";
import { auditArgs, auditVolumes } from "./audit.js";
import { compact, extraArgs, hours, isV1beta4, type Doc } from "./common.js";
import { apiServerCertSANs, etcdCertSANs } from "./sans.js";

/** registry.k8s.io is kubeadm's default; a later issue switches it to the local registry. */
export const IMAGE_REPOSITORY = "registry.k8s.io";
/** kubeadm's default local etcd data directory (v1beta3/v1beta4 defaults.go DefaultEtcdDataDir). */
export const ETCD_DATA_DIR = "/var/lib/etcd";

/** v1beta4 EncryptionAlgorithmType values (types.go); ECDSA-P384 exists from 1.34 (checked by profile rules). */
export const ENCRYPTION_ALGORITHMS: Record<KeyAlgorithm, string> = {
  "rsa-2048": "RSA-2048",
  "rsa-3072": "RSA-3072",
  "rsa-4096": "RSA-4096",
  "ecdsa-p256": "ECDSA-P256",
  "ecdsa-p384": "ECDSA-P384",
};

const nonEmpty = (list: string[]) => (list.length ? list : undefined);

/**
 * Stacked: kubeadm's local etcd on every control plane. External (seed 003): the `etcd` nodes' members,
 * reached with the apiserver's etcd client pair; kubeadm then makes no etcd certificate and needs no
 * etcd CA key (certs phase: "External etcd mode").
 */
function etcd(model: ClusterModel): Doc {
  if (model.etcd.topology === "external") {
    return { external: { endpoints: model.etcd.endpoints, caFile: ETCD_CLIENT.ca, certFile: ETCD_CLIENT.cert, keyFile: ETCD_CLIENT.key } };
  }
  const local = compact({
    dataDir: ETCD_DATA_DIR,
    serverCertSANs: nonEmpty(etcdCertSANs(model, "etcd-server")),
    peerCertSANs: nonEmpty(etcdCertSANs(model, "etcd-peer")),
  });
  return { local };
}

function apiServer(model: ClusterModel): Doc {
  const { from, to } = model.kubernetes.nodePortRange;
  const args = { "encryption-provider-config": ENCRYPTION_CONFIG, "service-node-port-range": `${from}-${to}`, ...auditArgs(model) };
  return compact({ extraArgs: extraArgs(model, args), extraVolumes: auditVolumes(model), certSANs: nonEmpty(apiServerCertSANs(model)) });
}

/**
 * controllerManager: only during a CA rotation, when ca.crt is a bundle of two CAs: kube-controller-manager
 * signs with the single signing CA (its --cluster-signing-cert-file takes exactly one certificate).
 */
function controllerManager(model: ClusterModel): Doc | undefined {
  if (!model.caRotation) return undefined;
  return { extraArgs: extraArgs(model, { "cluster-signing-cert-file": CA_SIGNER }) };
}

/** v1beta3 only: the ECDSA feature gate, when the keys are ECDSA. */
function featureGates(model: ClusterModel): Doc | undefined {
  if (isV1beta4(model) || !model.pki.keyAlgorithm.startsWith("ecdsa-")) return undefined;
  return { PublicKeysECDSA: true };
}

export function clusterConfiguration(model: ClusterModel): Doc {
  const v4 = isV1beta4(model);
  const k = model.kubernetes;
  return compact({
    apiVersion: model.kubeadm.configApiVersion,
    kind: "ClusterConfiguration",
    etcd: etcd(model),
    networking: { serviceSubnet: k.serviceCIDR, podSubnet: k.podCIDR, dnsDomain: k.dnsDomain },
    kubernetesVersion: k.version.full,
    controlPlaneEndpoint: model.endpoint.controlPlaneEndpoint,
    apiServer: apiServer(model),
    controllerManager: controllerManager(model),
    certificatesDir: PKI_DIR,
    imageRepository: model.registry.mode === "airgap" ? model.registry.repository : IMAGE_REPOSITORY,
    featureGates: featureGates(model),
    clusterName: k.clusterName,
    encryptionAlgorithm: v4 ? ENCRYPTION_ALGORITHMS[model.pki.keyAlgorithm] : undefined,
    certificateValidityPeriod: v4 ? hours(model.pki.certValidityHours) : undefined,
    caCertificateValidityPeriod: v4 ? hours(model.pki.caValidityHours) : undefined,
  });
}

export function kubeletConfiguration(model: ClusterModel): Doc {
  return {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    cgroupDriver: "systemd",
    clusterDNS: [model.kubernetes.dnsServiceIP],
    clusterDomain: model.kubernetes.dnsDomain,
    // external-CA mode: no signer in the cluster would ever approve a renewal CSR; kubeseed re-issues
    rotateCertificates: !model.pki.externalCA,
    serverTLSBootstrap: false,
  };
}

export function kubeProxyConfiguration(model: ClusterModel): Doc {
  return {
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    clusterCIDR: model.kubernetes.podCIDR,
    mode: "iptables",
  };
}
