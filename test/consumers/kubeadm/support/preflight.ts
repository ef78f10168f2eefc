/**
 * kubeadm preflight checks the consumer suites ignore because of this test machine (shared by
 * control-plane.test.ts and external-ca.test.ts).
 *
 * Preflight checks that depend on this test machine, not on the generated files: no kubelet or
 * container runtime is installed, the kernel and swap are the host's. The checks about the node's
 * files (FileAvailable--etc-kubernetes-*, DirAvailable--etc-kubernetes-manifests) stay enforced.
 */
export const MACHINE_CHECKS = [
  "KubeletVersion",
  "Service-Kubelet",
  "CRI",
  "SystemVerification",
  "Swap",
  "NumCPU",
  "Mem",
  "Port-10250",
  "FileContent--proc-sys-net-ipv4-ip_forward",
  "FileContent--proc-sys-net-bridge-bridge-nf-call-iptables",
  "FileExisting-conntrack",
  "FileExisting-losetup",
  "FileExisting-mount",
  "FileExisting-cp",
];
/**
 * A joining control plane shares the init node's network namespace here, where the init node's
 * apiserver, etcd and controller-manager hold these ports; /var/lib/etcd in the namespace is the
 * host's (Debian's etcd-server package owns it); there is no container runtime to pull images with.
 */
export const SHARED_HOST_CHECKS = ["Port-6443", "Port-2379", "Port-2380", "Port-10257", "Port-10259", "DirAvailable--var-lib-etcd", "ImagePull"];

