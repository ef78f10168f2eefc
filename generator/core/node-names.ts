/**
 * kubeseed's own names on a node, in one place: the bootstrap program and its unit, and the state
 * directory and status file the bootstrap keeps. The plan places files under these names, the
 * renderers write them into units and scripts, and the messages tell the operator what to run and read.
 * Guarantees: constants only; paths are absolute on the node.
 */

/** The first-boot program (its directory depends on the node OS: plan/host-files.ts). */
export const BOOTSTRAP_PROGRAM = "kubeseed-bootstrap";

/** The systemd unit that runs it until it succeeds (render/bootstrap/unit.ts). */
export const BOOTSTRAP_UNIT_NAME = `${BOOTSTRAP_PROGRAM}.service`;

/** State kept by the bootstrap, in a root-only directory (0700): the kubeadm log can name the token. */
export const STATE_DIR = "/var/lib/kubeseed";

/**
 * key=value lines: state=running|done|failed, step=…, message=…, time=… (UTC, ISO 8601), node=…,
 * role=…, retry=yes|no (with state=failed: whether systemd will try again; no = an operator must act).
 */
export const STATUS_FILE = `${STATE_DIR}/status`;
