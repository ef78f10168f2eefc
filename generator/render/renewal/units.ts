/**
 * kubeseed-renew-certs.service and .timer (0644, root:root) on every control plane.
 * - The service: a oneshot that runs the script (render/renewal/script.ts) once the node is
 *   bootstrapped (ConditionPathExists on kubeseed-bootstrap's done-marker), after containerd and the
 *   kubelet, so it never races the first boot's kubeadm.
 * - The timer: daily (OnCalendar=daily) with RandomizedDelaySec=6h and FixedRandomDelay=yes, so each
 *   control plane checks at its own fixed moment and two control planes rarely restart their static
 *   Pods (etcd among them) at the same time; Persistent=yes catches up a check missed while the node
 *   was off. FixedRandomDelay= needs systemd 247 (Debian 12 has 252).
 * Guarantees: pure, constant texts apart from the script path; `systemd-analyze verify` accepts both.
 * Does not: enable the timer (cloud-init's runcmd and Ignition's presets do).
 */
import { DONE_MARKER } from "../bootstrap/data.js";
import { BOOTSTRAP_UNIT_NAME } from "../../core/node-names.js";
import { RENEW_SCRIPT_NAME, RENEW_SERVICE, RENEW_STATUS_FILE, TIMER } from "./data.js";
import { GENERATED_HEADER } from "../../core/generated.js";

const HEADER = GENERATED_HEADER;

/** script: where kubeseed-renew-certs lies on this node (plan/host-files.ts renewScriptPath) */
export function renderRenewService(script: string): string {
  return `${HEADER}# Renews kubeadm's certificates and kubeconfigs before they expire; started by ${RENEW_SCRIPT_NAME}.timer.
# State: ${RENEW_STATUS_FILE}; by hand: systemctl start ${RENEW_SERVICE}, or ${RENEW_SCRIPT_NAME} --force.
[Unit]
Description=kubeseed: renew the control plane's certificates before they expire
Documentation=file://${script}
ConditionPathExists=${DONE_MARKER}
After=${BOOTSTRAP_UNIT_NAME} containerd.service kubelet.service

[Service]
Type=oneshot
ExecStart=${script}
StandardOutput=journal
StandardError=journal
SyslogIdentifier=${RENEW_SCRIPT_NAME}
`;
}

export function renderRenewTimer(): string {
  return `${HEADER}[Unit]
Description=kubeseed: daily check of the control plane's certificate expiry

[Timer]
OnCalendar=${TIMER.onCalendar}
RandomizedDelaySec=${TIMER.randomizedDelaySec}
FixedRandomDelay=yes
Persistent=yes

[Install]
WantedBy=timers.target
`;
}
