/**
 * systemd units an Ignition node needs besides the node tree's own units, and which units Ignition
 * enables (presets, applied on the first boot).
 * - The node tree's units are enabled exactly as cloud-init's runcmd enables them on Debian
 *   (TREE_UNITS_ENABLED; a test compares it with render/cloud-init/runcmd.ts).
 * - kubernetesPackages: download: kubelet.service and its kubeadm drop-in, as the upstream packages
 *   install them (kubernetes/release templates; the drop-in documented in "Configuring each kubelet in
 *   your cluster using kubeadm"), with ExecStart at the downloaded binary, enabled like the packages
 *   leave it; and kubeseed-unpack-binaries.service, which unpacks crictl and the CNI plugins that
 *   Ignition downloaded (Ignition writes files, it does not unpack archives) before containerd, the
 *   kubelet and kubeseed-bootstrap start, on every boot (cheap, and repairs a removed binary).
 * - containerd.service is enabled (Fedora CoreOS ships it disabled, started by Docker's socket only),
 *   with the OS's drop-in where it has one (os.ts).
 * Guarantees: pure; constant texts apart from the paths passed in; every unit ends with a newline.
 */
import type { Download } from "./downloads.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { BOOTSTRAP_UNIT_NAME } from "../../core/node-names.js";

export const TREE_UNITS_ENABLED: ReadonlySet<string> = new Set([BOOTSTRAP_UNIT_NAME, "kubeseed-firewall.service", "kubeseed-renew-certs.timer"]);

export interface IgnitionUnit {
  name: string;
  enabled?: boolean;
  contents?: string;
  dropins?: { name: string; contents: string }[];
}

const HEADER = GENERATED_HEADER;

export function renderKubeletUnit(binDir: string): string {
  return `${HEADER}[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=${binDir}/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;
}

/** kubelet.service.d/10-kubeadm.conf: the flags kubeadm writes at init/join time. */
export function renderKubeadmDropIn(binDir: string, environmentFile: string): string {
  return `${HEADER}[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# written by kubeadm init and kubeadm join: KUBELET_KUBEADM_ARGS
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# the operator's last-resort overrides: KUBELET_EXTRA_ARGS
EnvironmentFile=-${environmentFile}
ExecStart=
ExecStart=${binDir}/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;
}

export const UNPACK_UNIT = "kubeseed-unpack-binaries.service";

/** Unpacks every downloaded archive into its directory (tar from the OS: /usr/bin/tar on both). */
export function renderUnpackUnit(archives: readonly Download[]): string {
  const dirs = [...new Set(archives.map((a) => a.unpackTo!))];
  const steps = archives.map((a) => `ExecStart=/usr/bin/tar -xzf ${a.path} -C ${a.unpackTo} --no-same-owner`);
  return `${HEADER}# Ignition downloads crictl and the CNI plugins as archives; this unpacks them.
[Unit]
Description=kubeseed: unpack crictl and the CNI plugins downloaded at provisioning
Before=containerd.service kubelet.service ${BOOTSTRAP_UNIT_NAME}
${archives.map((a) => `ConditionPathExists=${a.path}`).join("\n")}

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/bin/mkdir -p ${dirs.join(" ")}
${steps.join("\n")}
# SELinux (Fedora CoreOS): label what was unpacked like the rest of its directory
ExecStart=-/usr/sbin/restorecon -R ${dirs.join(" ")}

[Install]
WantedBy=multi-user.target
`;
}
