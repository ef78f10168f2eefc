/**
 * renderFlannelManifest: /etc/kubernetes/kubeseed/flannel.yaml (0644, root:root), on the init node
 * only; kubeseed-bootstrap applies it with admin.conf after kubeadm init. Written after flannel's
 * documented deployment (Documentation/kube-flannel.yml of the release in model/images.ts FLANNEL_IMAGES; references from imageRef, so airgap mode points them at the registry): namespace
 * kube-flannel (pod security "privileged"), the flannel ServiceAccount, ClusterRole and binding, the
 * kube-flannel-cfg ConfigMap and the kube-flannel-ds DaemonSet.
 * Differences from upstream, all on purpose: net-conf.json's Network is the model's pod CIDR (it must
 * equal kubeadm's networking.podSubnet, from which the controller manager allocates node CIDRs), and
 * flanneld gets --iface=<private interface> (`eth1`, or `eth1.100` with a VLAN) so that the VXLAN
 * traffic stays on the private network instead of following the default route.
 * Guarantees: pure; documents in a fixed order, each with keys apiVersion, kind, metadata, then the body.
 * Does not: install the standard CNI plugins (bridge, portmap, host-local come with kubernetes-cni).
 */
import { FLANNEL_IMAGES, imageRef } from "../../model/images.js";
import type { ClusterModel } from "../../model/types.js";
import { privateInterfaceName } from "../cloud-init/network-config.js";
import type { NodeRenderInput } from "../node-input.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { toYaml } from "../yaml.js";


export const FLANNEL_NAMESPACE = "kube-flannel";

const labels = { tier: "node", "k8s-app": "flannel", app: "flannel" };

const CNI_CONF = {
  name: "cbr0",
  cniVersion: "0.3.1",
  plugins: [
    { type: "flannel", delegate: { hairpinMode: true, isDefaultGateway: true } },
    { type: "portmap", capabilities: { portMappings: true } },
  ],
};

function rbac(): unknown[] {
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: FLANNEL_NAMESPACE, labels: { "k8s-app": "flannel", "pod-security.kubernetes.io/enforce": "privileged" } },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "flannel", namespace: FLANNEL_NAMESPACE, labels: { "k8s-app": "flannel" } } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "flannel", labels: { "k8s-app": "flannel" } },
      rules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
        { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["nodes/status"], verbs: ["patch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "flannel", labels: { "k8s-app": "flannel" } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "flannel" },
      subjects: [{ kind: "ServiceAccount", name: "flannel", namespace: FLANNEL_NAMESPACE }],
    },
  ];
}

function configMap(podCIDR: string): unknown {
  const netConf = { Network: podCIDR, EnableNFTables: false, Backend: { Type: "vxlan" } };
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "kube-flannel-cfg", namespace: FLANNEL_NAMESPACE, labels },
    data: {
      "cni-conf.json": `${JSON.stringify(CNI_CONF, null, 2)}\n`,
      "net-conf.json": `${JSON.stringify(netConf, null, 2)}\n`,
    },
  };
}

function daemonSet(iface: string, model: ClusterModel): unknown {
  const copy = (from: string, to: string) => ({ command: ["cp"], args: ["-f", from, to] });
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "kube-flannel-ds", namespace: FLANNEL_NAMESPACE, labels },
    spec: {
      selector: { matchLabels: { app: "flannel" } },
      template: {
        metadata: { labels: { tier: "node", app: "flannel" } },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] }],
              },
            },
          },
          hostNetwork: true,
          priorityClassName: "system-node-critical",
          tolerations: [{ operator: "Exists", effect: "NoSchedule" }],
          serviceAccountName: "flannel",
          initContainers: [
            {
              name: "install-cni-plugin",
              image: imageRef(model, FLANNEL_IMAGES.cniPlugin),
              ...copy("/flannel", "/opt/cni/bin/flannel"),
              volumeMounts: [{ name: "cni-plugin", mountPath: "/opt/cni/bin" }],
            },
            {
              name: "install-cni",
              image: imageRef(model, FLANNEL_IMAGES.flannel),
              ...copy("/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"),
              volumeMounts: [
                { name: "cni", mountPath: "/etc/cni/net.d" },
                { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
              ],
            },
          ],
          containers: [
            {
              name: "kube-flannel",
              image: imageRef(model, FLANNEL_IMAGES.flannel),
              command: ["/opt/bin/flanneld"],
              args: ["--ip-masq", "--kube-subnet-mgr", `--iface=${iface}`],
              resources: { requests: { cpu: "100m", memory: "50Mi" } },
              securityContext: { privileged: false, capabilities: { add: ["NET_ADMIN", "NET_RAW"] } },
              env: [
                { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                { name: "EVENT_QUEUE_DEPTH", value: "5000" },
                { name: "CONT_WHEN_CACHE_NOT_READY", value: "false" },
              ],
              volumeMounts: [
                { name: "run", mountPath: "/run/flannel" },
                { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
                { name: "xtables-lock", mountPath: "/run/xtables.lock" },
              ],
            },
          ],
          volumes: [
            { name: "run", hostPath: { path: "/run/flannel" } },
            { name: "cni-plugin", hostPath: { path: "/opt/cni/bin" } },
            { name: "cni", hostPath: { path: "/etc/cni/net.d" } },
            { name: "flannel-cfg", configMap: { name: "kube-flannel-cfg" } },
            { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
          ],
        },
      },
    },
  };
}

/** The multi-document manifest; the same for every node that gets it (the init node). */
export function renderFlannelManifest(input: NodeRenderInput): string {
  const docs = [...rbac(), configMap(input.model.kubernetes.podCIDR), daemonSet(privateInterfaceName(input), input.model)];
  return GENERATED_HEADER + docs.map((d) => `---\n${toYaml(d)}`).join("");
}
