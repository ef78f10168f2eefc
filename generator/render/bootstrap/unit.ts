/**
 * renderBootstrapUnit: /etc/systemd/system/kubeseed-bootstrap.service (0644, root:root), the same on
 * every node. A oneshot that runs /usr/local/sbin/kubeseed-bootstrap after the network, the clock's
 * synchronisation (time-sync.target: the pre-issued certificates start at generation time, so a node
 * whose clock is behind would refuse them), containerd and the firewall (ordering only: a missing unit
 * does not block it), until it succeeds: Restart=on-failure every 30 s with no start limit, so a worker
 * that boots before the first control plane keeps retrying; except after EXIT_PERMANENT
 * (RestartPreventExitStatus), a failure no retry can mend. Restart= on a Type=oneshot service needs systemd 244 or later; Debian 12 ships
 * systemd 252. Once the script wrote its done-marker the unit is skipped on every later boot.
 * Guarantees: pure, constant text. Does not: enable itself (cloud-init's runcmd does, and WantedBy
 * makes the enablement survive reboots until the marker exists).
 */
import { BOOTSTRAP_SCRIPT } from "../../plan/host-files.js";
import { DONE_MARKER, EXIT_PERMANENT } from "./data.js";
import { BOOTSTRAP_PROGRAM, BOOTSTRAP_UNIT_NAME, STATUS_FILE } from "../../core/node-names.js";
import { GENERATED_HEADER } from "../../core/generated.js";

/** Seconds between two attempts after a failure. */
export const BOOTSTRAP_RESTART_SECONDS = 30;

/** script: where kubeseed-bootstrap lies on this node (plan/host-files.ts bootstrapScriptPath) */
export function renderBootstrapUnit(script: string = BOOTSTRAP_SCRIPT): string {
  return `${GENERATED_HEADER}# First-boot provisioning: kubeadm init on the first control plane, kubeadm join elsewhere.
# Progress: journalctl -u ${BOOTSTRAP_UNIT_NAME}; state: ${STATUS_FILE}.
# Restart= on a Type=oneshot service needs systemd >= 244 (Debian 12 has 252).
[Unit]
Description=kubeseed first-boot Kubernetes bootstrap (kubeadm init/join)
Documentation=file://${script}
Wants=network-online.target
After=network-online.target time-sync.target containerd.service kubeseed-firewall.service
ConditionPathExists=!${DONE_MARKER}
StartLimitIntervalSec=0

[Service]
Type=oneshot
ExecStart=${script}
Restart=on-failure
RestartSec=${BOOTSTRAP_RESTART_SECONDS}
RestartPreventExitStatus=${EXIT_PERMANENT}
TimeoutStartSec=infinity
StandardOutput=journal
StandardError=journal
SyslogIdentifier=${BOOTSTRAP_PROGRAM}

[Install]
WantedBy=multi-user.target
`;
}
