/**
 * What the kubeadm documents share:
 * 1. the API shapes that differ between kubeadm.k8s.io/v1beta3 (< 1.31) and v1beta4 (1.31+), decided
 *    from model.kubeadm.configApiVersion (field names: k8s.io/kubernetes
 *    cmd/kubeadm/app/apis/kubeadm/{v1beta3,v1beta4}/types.go);
 * 2. nodeRegistration, used by InitConfiguration and JoinConfiguration (types.go
 *    NodeRegistrationOptions: name, criSocket, taints, kubeletExtraArgs, ...).
 * Guarantees: pure; argument lists sorted by name (byte-stable output); node-ip is always the private
 * address (render/node-input.ts nodeIP); labels the kubelet may not set on itself are left out, never
 * passed through (the kubelet would refuse to start).
 */
import type { ClusterModel, NodeModel, Taint } from "../../model/types.js";
import { nodeIP, type NodeRenderInput } from "../node-input.js";
import { isControlPlane } from "../../model/roles.js";

/** kubeadm's default CRI socket for containerd (cmd/kubeadm/app/constants: DefaultCRISocket on Linux). */
export const CRI_SOCKET = "unix:///run/containerd/containerd.sock";

/** A plain YAML mapping; key order is insertion order (see render/yaml.ts). */
export type Doc = Record<string, unknown>;

export function isV1beta4(model: ClusterModel): boolean {
  return model.kubeadm.configApiVersion === "kubeadm.k8s.io/v1beta4";
}

/**
 * extraArgs / kubeletExtraArgs: v1beta3 has `map[string]string`, v1beta4 `[]Arg` of {name, value}
 * (v1beta4 types.go `type Arg struct { Name, Value }`). Sorted by name; empty input gives undefined
 * so the field is left out.
 */
export function extraArgs(model: ClusterModel, args: Record<string, string>): Doc | { name: string; value: string }[] | undefined {
  const names = Object.keys(args).sort();
  if (names.length === 0) return undefined;
  if (isV1beta4(model)) return names.map((name) => ({ name, value: args[name] }));
  return Object.fromEntries(names.map((n) => [n, args[n]]));
}

/**
 * A metav1.Duration in whole hours. metav1.Duration unmarshals with Go's time.ParseDuration, which
 * accepts "8760h" (kubeadm itself writes the canonical "8760h0m0s"; both parse to the same value).
 */
export function hours(h: number): string {
  return `${h}h`;
}

/** Drops keys whose value is undefined, keeping the order of the rest. */
export function compact(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined));
}

/**
 * kubeadm's default control-plane taint since 1.25 (cmd/kubeadm/app/constants ControlPlaneTaint;
 * v1beta3/v1beta4 types.go: "If this field is unset ... defaulted with a control-plane taint").
 * Written out explicitly so the file says what the node gets.
 */
export const CONTROL_PLANE_TAINT: Taint = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" };

/**
 * Label keys and key namespaces a kubelet may set on its own Node via --node-labels
 * (k8s.io/kubelet/pkg/apis/well_known_labels.go kubeletLabels / kubeletLabelNamespaces). Any other key
 * in the kubernetes.io or k8s.io namespaces — e.g. node-role.kubernetes.io/worker — makes the kubelet
 * exit ("unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels",
 * cmd/kubelet/app/options/options.go) and the NodeRestriction admission plugin would reject it anyway;
 * such labels must be applied with kubectl after the node has joined.
 */
const KUBELET_LABELS = new Set([
  "kubernetes.io/hostname",
  "kubernetes.io/os",
  "kubernetes.io/arch",
  "beta.kubernetes.io/os",
  "beta.kubernetes.io/arch",
  "beta.kubernetes.io/instance-type",
  "node.kubernetes.io/instance-type",
  "topology.kubernetes.io/zone",
  "topology.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "failure-domain.beta.kubernetes.io/region",
]);
const KUBELET_NAMESPACES = ["kubelet.kubernetes.io", "node.kubernetes.io"];
const RESERVED_DOMAINS = ["kubernetes.io", "k8s.io"];

const within = (domain: string, base: string) => domain === base || domain.endsWith(`.${base}`);

/** True when the kubelet accepts this label key in --node-labels. */
export function kubeletMaySetLabel(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash < 0) return true;
  const domain = key.slice(0, slash);
  if (!RESERVED_DOMAINS.some((d) => within(domain, d))) return true;
  return KUBELET_LABELS.has(key) || KUBELET_NAMESPACES.some((ns) => within(domain, ns));
}

/** "k1=v1,k2=v2" of the labels the kubelet may set, sorted by key; undefined when there are none. */
function nodeLabels(node: NodeModel): string | undefined {
  const keys = Object.keys(node.labels).filter(kubeletMaySetLabel).sort();
  return keys.length ? keys.map((k) => `${k}=${node.labels[k]}`).join(",") : undefined;
}

/** A corev1.Taint with only the fields that are set (key, value, effect). */
function taint(t: Taint): Doc {
  return compact({ key: t.key, value: t.value, effect: t.effect });
}

/**
 * The node's taints as the profile gives them; `taints: []` stays an empty list, which kubeadm reads as
 * "no taint" (v1beta3/v1beta4 types.go NodeRegistrationOptions.Taints: "set this field to an empty
 * slice, i.e. `taints: []`"), so such a control plane schedules work (seed 001). Without taints in the
 * profile a control plane gets kubeadm's default taint, written out, and any other node none.
 */
function taints(node: NodeModel): Doc[] {
  if (node.taints) return node.taints.map(taint);
  return isControlPlane(node) ? [taint(CONTROL_PLANE_TAINT)] : [];
}

/** nodeRegistration: node name, containerd socket, taints, and kubelet flags node-ip / node-labels. */
export function nodeRegistration(input: NodeRenderInput): Doc {
  const { model, node } = input;
  const args: Record<string, string> = { "node-ip": nodeIP(input) };
  const labels = nodeLabels(node);
  if (labels) args["node-labels"] = labels;
  return {
    name: node.name,
    criSocket: CRI_SOCKET,
    taints: taints(node),
    kubeletExtraArgs: extraArgs(model, args),
  };
}
