/**
 * Package tables of a Debian 12 node. HOST_PACKAGES are what kubeseed's own files need (the container
 * runtime, and curl/gpg for the Kubernetes apt key when the packages come from the upstream
 * repository); BASE_PACKAGES is seed 000's base list, installed when the profile asks.
 */
import type { ClusterModel } from "../../model/types.js";

export const BASE_PACKAGES: readonly string[] = [
  "policykit-1", "neofetch", "procps", "htop", "iftop", "psmisc", "time", "iotop", "sysstat",
  "git", "iproute2", "nmap", "mtr", "wget", "curl", "pgpdump", "zip", "unzip", "bash-completion", "tree",
  "vim", "vim-common", "vim-runtime", "man-db", "ntpsec", "jq",
];

export function HOST_PACKAGES(model: ClusterModel): string[] {
  const pkgs = ["containerd", "conntrack", "socat", "ethtool", "iptables", "ebtables"];
  if (model.host.firewall === "nftables") pkgs.push("nftables");
  if (model.host.kubernetesPackages === "apt") pkgs.push("apt-transport-https", "ca-certificates", "curl", "gpg");
  return pkgs;
}
