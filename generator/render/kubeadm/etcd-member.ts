/**
 * A dedicated etcd member of the external etcd topology (seed 003, kubeadm's "Set up a High Availability
 * etcd Cluster with kubeadm"): the node runs no Kubernetes node, only a kubelet in standalone mode that
 * runs the etcd static Pod which `kubeadm init phase etcd local --config <this config>` writes. So the
 * member's flags, image and probes are exactly kubeadm's for the cluster's version (its etcd image is the
 * one kubeadm's `config images list` names and the air-gap mirror already carries), and kubeadm's
 * preflight check of the external etcd version passes (kubeadm 1.34 wants etcd ≥ 3.5.24; Debian 12's
 * etcd-server package is 3.4).
 *
 * Rendered here:
 * - the member's kubeadm config: InitConfiguration (node name, its private address) and a
 *   ClusterConfiguration whose etcd.local.extraArgs name every member in `initial-cluster` (kubeadm's
 *   guide); kubeadm's defaults give the rest (name = node name, advertise and listen URLs on the
 *   private address and 127.0.0.1, data dir /var/lib/etcd, the pre-placed certificates in
 *   /etc/kubernetes/pki/etcd);
 * - the standalone kubelet's configuration (the guide's: no API server, no authentication but local,
 *   listening on 127.0.0.1, static Pods from /etc/kubernetes/manifests) and the systemd drop-in that
 *   starts the kubelet with only that configuration.
 * Guarantees: pure; the same member list on every member (profile order).
 */
import { OS_TABLE } from "../../model/os.js";
import type { ClusterModel } from "../../model/types.js";
import { ETCD_KUBELET_CONFIG, STATIC_POD_DIR } from "../../plan/host-files.js";
import type { NodeRenderInput } from "../node-input.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { toYaml } from "../yaml.js";
import { IMAGE_REPOSITORY, ETCD_DATA_DIR } from "./cluster.js";
import { CRI_SOCKET, extraArgs, type Doc } from "./common.js";

/** NAME=https://ADDRESS:2380 of every member, in profile order. */
export function initialCluster(model: ClusterModel): string {
  return model.etcd.members.map((name) => `${name}=https://${model.nodes.find((n) => n.name === name)!.address}:2380`).join(",");
}

/** The two documents `kubeadm init phase etcd local` reads on the member. */
export function etcdMemberDocuments(input: NodeRenderInput): Doc[] {
  const { model, node } = input;
  return [
    {
      apiVersion: model.kubeadm.configApiVersion,
      kind: "InitConfiguration",
      nodeRegistration: { name: node.name, criSocket: CRI_SOCKET },
      localAPIEndpoint: { advertiseAddress: node.address, bindPort: model.bindPort },
    },
    {
      apiVersion: model.kubeadm.configApiVersion,
      kind: "ClusterConfiguration",
      etcd: { local: { dataDir: ETCD_DATA_DIR, extraArgs: extraArgs(model, { "initial-cluster": initialCluster(model), "initial-cluster-state": "new" }) } },
      kubernetesVersion: model.kubernetes.version.full,
      certificatesDir: "/etc/kubernetes/pki",
      imageRepository: model.registry.mode === "airgap" ? model.registry.repository : IMAGE_REPOSITORY,
      clusterName: model.kubernetes.clusterName,
    },
  ];
}

/** /etc/kubernetes/kubelet-etcd.yaml: a kubelet that only runs the static Pods of this host. */
export function renderEtcdKubeletConfig(): string {
  const doc = {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false } },
    authorization: { mode: "AlwaysAllow" },
    cgroupDriver: "systemd",
    address: "127.0.0.1",
    containerRuntimeEndpoint: CRI_SOCKET,
    staticPodPath: STATIC_POD_DIR,
  };
  return GENERATED_HEADER + toYaml(doc);
}

/** The kubelet drop-in: replaces the packages' ExecStart (10-kubeadm.conf) by the standalone one. */
export function renderEtcdKubeletDropIn(input: NodeRenderInput): string {
  const bin = OS_TABLE[input.node.os].binDir;
  return `${GENERATED_HEADER}# The kubelet of an etcd member runs only its static Pods (etcd), without an API server.
[Service]
ExecStart=
ExecStart=${bin}/kubelet --config=${ETCD_KUBELET_CONFIG}
Restart=always
`;
}
