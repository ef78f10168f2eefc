/**
 * Kernel settings every Kubernetes node needs (kubeadm's preflight checks them): the modules loaded
 * at boot by systemd-modules-load and the sysctls applied by systemd-sysctl. Both are DATA tables.
 * Guarantees: pure; one module per line (modules-load.d format) and one `key = value` per line
 * (sysctl.d format), in table order. It does not load anything itself: the first-boot commands
 * restart the two systemd services.
 */
import { GENERATED_HEADER } from "../../core/generated.js";

export const KERNEL_MODULES: readonly { name: string; why: string }[] = [
  { name: "overlay", why: "containerd's overlayfs snapshotter" },
  { name: "br_netfilter", why: "bridged pod traffic passes iptables (needed by the sysctls below)" },
];

export const SYSCTLS: readonly { key: string; value: string; why: string }[] = [
  { key: "net.bridge.bridge-nf-call-iptables", value: "1", why: "kube-proxy sees bridged IPv4 pod traffic" },
  { key: "net.bridge.bridge-nf-call-ip6tables", value: "1", why: "and IPv6" },
  { key: "net.ipv4.ip_forward", value: "1", why: "the node routes pod traffic" },
];

const commented = (rows: readonly { why: string }[], line: (i: number) => string) =>
  rows.map((r, i) => `# ${r.why}\n${line(i)}\n`).join("");

/** /etc/modules-load.d/kubernetes.conf */
export function renderKernelModules(): string {
  return GENERATED_HEADER + commented(KERNEL_MODULES, (i) => KERNEL_MODULES[i].name);
}

/** /etc/sysctl.d/90-kubernetes.conf */
export function renderSysctl(): string {
  return GENERATED_HEADER + commented(SYSCTLS, (i) => `${SYSCTLS[i].key} = ${SYSCTLS[i].value}`);
}
