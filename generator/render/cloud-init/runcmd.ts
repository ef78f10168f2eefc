/**
 * The first-boot command list (cloud-init `runcmd`, final stage, after `packages`), as argv lists.
 * Order: systemd sees the written units; swap off (kubelet refuses swap by default); kernel modules and
 * sysctls applied from the written drop-ins by systemd's own services (which skip themselves where
 * the kernel cannot be changed, e.g. in a container); the firewall before anything listens;
 * Kubernetes packages; haproxy and keepalived enabled (host-services balancer; kubeseed-bootstrap
 * starts them on their written configs once it has unpacked the cluster CA that haproxy's checks need,
 * before kubeadm needs the endpoint: a start here would fail on the missing CA); seed 000's base packages with
 * --no-install-recommends (its own command line), then its editor set-up (nano purged — which also
 * drops nano's editor alternative — and vim.basic set as the editor); sshd reloaded on the drop-in;
 * the bootstrap unit started without blocking cloud-init (it can take minutes and retries on its own;
 * it also restarts containerd on the written config).
 */
import type { ClusterModel, NodeModel } from "../../model/types.js";
import { firewallTable, INSTALL_KUBERNETES_SCRIPT } from "../../plan/host-files.js";
import { balancerServices, basePackageList } from "./packages.js";
import { BOOTSTRAP_UNIT_NAME } from "../../core/node-names.js";
import { isControlPlane } from "../../model/roles.js";

/** seed 000: `apt-get install --no-install-recommends -m -y -q=1 $MINIMAL` */
export const BASE_INSTALL = ["apt-get", "install", "--no-install-recommends", "-m", "-y", "-q=1"];

/** seed 000's editor: nano gone, vim.basic the `editor` alternative (the vim package provides it). */
export const EDITOR_COMMANDS: readonly (readonly string[])[] = [
  ["apt-get", "purge", "-y", "-q=1", "nano"],
  ["update-alternatives", "--set", "editor", "/usr/bin/vim.basic"],
];

export function firstBootCommands(model: ClusterModel, node: NodeModel): string[][] {
  const cmds: string[][] = [
    ["systemctl", "daemon-reload"],
    ["swapoff", "-a"],
    ["sed", "-i", "-E", "/^[^#].*[[:space:]]swap[[:space:]]/s/^/#/", "/etc/fstab"],
    ["systemctl", "restart", "systemd-modules-load.service", "systemd-sysctl.service"],
  ];
  if (firewallTable(model)) cmds.push(["systemctl", "enable", "--now", "kubeseed-firewall.service"]);
  if (node.kubernetesPackages === "apt") cmds.push([INSTALL_KUBERNETES_SCRIPT]);
  if (balancerServices(model, node)) {
    // enabled for every later boot; the bootstrap (re)starts them once the CA is unpacked (start_balancer)
    cmds.push(["systemctl", "enable", "haproxy.service", "keepalived.service"]);
  }
  const base = basePackageList(model);
  if (base.length) cmds.push(["env", "DEBIAN_FRONTEND=noninteractive", ...BASE_INSTALL, ...base]);
  if (model.host.editor === "vim") cmds.push(...EDITOR_COMMANDS.map((c) => (c[0] === "apt-get" ? ["env", "DEBIAN_FRONTEND=noninteractive", ...c] : [...c])));
  cmds.push(["systemctl", "reload-or-restart", "ssh.service"]);
  // the renewal timer waits for the bootstrap's done-marker itself (render/renewal/units.ts)
  if (isControlPlane(node) && model.pki.renewal === "timer") cmds.push(["systemctl", "enable", "--now", "kubeseed-renew-certs.timer"]);
  cmds.push(["systemctl", "enable", "--now", "--no-block", BOOTSTRAP_UNIT_NAME]);
  return cmds;
}
