/**
 * Package tables of a Debian 12 node. HOST_PACKAGES are what kubeseed's own files need (the container
 * runtime and the kubelet's host tools, and curl/gpg for the Kubernetes apt key) when the profile
 * installs Kubernetes from the upstream repository (plus haproxy and keepalived on control planes that
 * run the VIP balancer as host services); with `kubernetesPackages: preinstalled` the image
 * already carries all of them and nothing is installed. BASE_PACKAGES is seed 000's base list,
 * installed when the profile asks, as seed 000 installs it: `apt-get install --no-install-recommends`
 * (render/cloud-init/runcmd.ts), plus vim when the profile makes vim the editor. In airgap mode no key
 * is fetched (the packages come from the registry host's flat repository), so apt-transport-https and
 * gpg are left out.
 */
import type { ClusterModel, NodeModel } from "../../model/types.js";
import { firewallTable } from "../../plan/host-files.js";
import { isControlPlane } from "../../model/roles.js";

/** The VIP balancer runs as Debian services on this node (loadBalancer: host-services, control planes). */
export function balancerServices(model: ClusterModel, node: NodeModel): boolean {
  return model.loadBalancer === "host-services" && isControlPlane(node);
}

export const BASE_PACKAGES: readonly string[] = [
  "policykit-1", "neofetch", "procps", "htop", "iftop", "psmisc", "time", "iotop", "sysstat",
  "git", "iproute2", "nmap", "mtr", "wget", "curl", "pgpdump", "zip", "unzip", "bash-completion", "tree",
  "vim", "vim-common", "vim-runtime", "man-db", "ntpsec", "jq",
];

/** seed 000's base list when asked, and vim for `editor: vim` (seed 000: vim.basic as the editor), without repeats. */
export function basePackageList(model: ClusterModel): string[] {
  const list = [...(model.host.basePackages ? BASE_PACKAGES : [])];
  if (model.host.editor === "vim" && !list.includes("vim")) list.push("vim");
  return list;
}

/** only needed to fetch the pkgs.k8s.io key at boot (online mode) */
const KEY_TOOLS: readonly string[] = ["apt-transport-https", "gpg"];

export function HOST_PACKAGES(model: ClusterModel, node: NodeModel): string[] {
  if (node.kubernetesPackages === "preinstalled") return [];
  const all = ["containerd", "conntrack", "socat", "ethtool", "iptables", "ebtables", "apt-transport-https", "ca-certificates", "curl", "gpg"];
  const pkgs = model.registry.mode === "airgap" ? all.filter((p) => !KEY_TOOLS.includes(p)) : all;
  if (firewallTable(model)) pkgs.push("nftables");
  if (balancerServices(model, node)) pkgs.push("haproxy", "keepalived");
  return pkgs;
}
