/**
 * The first-boot command list (cloud-init `runcmd`, final stage, after `packages`), as argv lists.
 * Order: systemd sees the written units; swap off (kubelet refuses swap by default); kernel modules and
 * sysctls applied from the written drop-ins by systemd's own services (which skip themselves where
 * the kernel cannot be changed, e.g. in a container); the firewall before anything listens;
 * Kubernetes packages; haproxy and keepalived restarted on their written configs (host-services
 * balancer), so the VIP is up before kubeadm needs the endpoint; sshd reloaded on the drop-in; the bootstrap unit started without blocking
 * cloud-init (it can take minutes and retries on its own; it also restarts containerd on the written
 * config).
 */
import type { ClusterModel, NodeModel } from "../../model/types.js";
import { INSTALL_KUBERNETES_SCRIPT } from "../../plan/host-files.js";
import { balancerServices } from "./packages.js";

export function firstBootCommands(model: ClusterModel, node: NodeModel): string[][] {
  const cmds: string[][] = [
    ["systemctl", "daemon-reload"],
    ["swapoff", "-a"],
    ["sed", "-i", "-E", "/^[^#].*[[:space:]]swap[[:space:]]/s/^/#/", "/etc/fstab"],
    ["systemctl", "restart", "systemd-modules-load.service", "systemd-sysctl.service"],
  ];
  if (model.host.firewall === "nftables") cmds.push(["systemctl", "enable", "--now", "kubeseed-firewall.service"]);
  if (node.kubernetesPackages === "apt") cmds.push([INSTALL_KUBERNETES_SCRIPT]);
  if (balancerServices(model, node)) {
    // the packages started with Debian's defaults (or the image's); restart on the written configs
    cmds.push(["systemctl", "enable", "haproxy.service", "keepalived.service"]);
    cmds.push(["systemctl", "restart", "haproxy.service", "keepalived.service"]);
  }
  cmds.push(["systemctl", "reload-or-restart", "ssh.service"]);
  // the renewal timer waits for the bootstrap's done-marker itself (render/renewal/units.ts)
  if (node.role === "control-plane" && model.pki.renewal === "timer") cmds.push(["systemctl", "enable", "--now", "kubeseed-renew-certs.timer"]);
  cmds.push(["systemctl", "enable", "--now", "--no-block", "kubeseed-bootstrap.service"]);
  return cmds;
}
