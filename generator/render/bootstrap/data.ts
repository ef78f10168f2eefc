/**
 * The data of the first-boot bootstrap as tables (STYLE rule 9): its on-node state files, the
 * programs each role needs, the kubeadm output that means "bad bootstrap token", the wait defaults and
 * the environment variables that override them. render/bootstrap/script.ts turns these into bash; the
 * tests read the same tables, so the script, the unit and the tests cannot drift apart.
 * Guarantees: constants only; every path is absolute on the node (the script prefixes KUBESEED_ROOT).
 */
import type { NodeModel } from "../../model/types.js";
import { STATE_DIR } from "../../core/node-names.js";

// the state directory and the status file (STATE_DIR, STATUS_FILE) are in core/node-names.ts
/** Written as the very last step, after every step succeeded; its presence means "nothing left to do". */
export const DONE_MARKER = `${STATE_DIR}/bootstrap.done`;
/** Written right after `kubeadm init|join` exited 0, so a retry of a later step never re-runs kubeadm. */
export const KUBEADM_DONE_MARKER = `${STATE_DIR}/kubeadm.done`;
/** kubeadm's combined output of the last run (also in the journal), searched for token errors. */
export const KUBEADM_LOG = `${STATE_DIR}/kubeadm.log`;
/**
 * What only kubeadm leaves on a node (neither the packages nor kubeseed place any of it): when one
 * exists without KUBEADM_DONE_MARKER, kubeadm ran here before. Whether it finished is then read from
 * the cluster (see KUBEADM_FINISHED), never guessed from one file.
 */
export const KUBEADM_TRACES: readonly string[] = [
  "/var/lib/kubelet/config.yaml",
  "/var/lib/kubelet/pki/kubelet-client-current.pem",
  "/etc/kubernetes/manifests/kube-apiserver.yaml",
  "/var/lib/etcd/member",
];
export const ADMIN_CONF = "/etc/kubernetes/admin.conf";
/**
 * Files a first-boot document delivered as templates (render/cloud-init/assembly.ts): `files/<path>` is
 * the file at <path> with each embedded PEM written as `@base64:<file>@`, `parts/` holds the PEMs that
 * are not files of the node anyway. The script builds every template into place, then removes the folder.
 */
export const ASSEMBLY_DIR = `${STATE_DIR}/assemble`;
export const KUBELET_CONF = "/etc/kubernetes/kubelet.conf";

/**
 * Evidence that an earlier kubeadm run on this node finished, per role, checked when a trace exists
 * but the done-marker does not (the marker was lost, e.g. power lost before it reached the disk):
 * init — the kube-proxy DaemonSet exists (kubeadm init's last phase, addon, creates it);
 * control-plane — this Node carries the control-plane role label (kubeadm join's mark-control-plane);
 * worker — this Node is registered under the node's kubelet.conf (the kubelet's client certificate
 * from its TLS bootstrap, when kubectl is not installed).
 */
export const KUBEADM_FINISHED = "kube-proxy DaemonSet (init), control-plane label (control plane), registered Node with a kubelet client certificate (worker)";

/** Exit status of a failure that no retry can mend (bad input, kubeadm stopped midway): the unit's RestartPreventExitStatus. */
export const EXIT_PERMANENT = 3;

/** Every kubectl call of the script gives up after this long (the API may hang, not only refuse). */
export const KUBECTL_TIMEOUT = "30s";

/**
 * What the script does on a node: `init` runs kubeadm init, control planes and workers kubeadm join, an
 * etcd member writes its etcd static Pod with `kubeadm init phase etcd local` for its standalone kubelet.
 */
export type BootstrapRole = "init" | "control-plane" | "worker" | "etcd";

export function bootstrapRole(node: NodeModel): BootstrapRole {
  return node.init ? "init" : node.role;
}

/** Programs the script needs before it starts, per role (checked with `command -v`, in this order). */
export const REQUIRED_PROGRAMS: Record<BootstrapRole, readonly string[]> = {
  init: ["kubeadm", "kubelet", "kubectl", "containerd", "crictl"],
  "control-plane": ["kubeadm", "kubelet", "kubectl", "containerd", "crictl"],
  worker: ["kubeadm", "kubelet", "containerd", "crictl"],
  etcd: ["kubeadm", "kubelet", "containerd", "crictl"],
};

/** Client pair and CA with which the init node asks an external etcd member for /health (kubeadm's own files). */
export const ETCD_CLIENT = {
  ca: "/etc/kubernetes/pki/etcd/ca.crt",
  cert: "/etc/kubernetes/pki/apiserver-etcd-client.crt",
  key: "/etc/kubernetes/pki/apiserver-etcd-client.key",
} as const;

/**
 * kubeadm join output that means the bootstrap token is expired, deleted or wrong (extended regular
 * expressions for `grep -E -i`): discovery finds no JWS signature for the token id in cluster-info
 * (kubeadm's token discovery), the older wording of the same check, and a signature that does not verify.
 */
export const TOKEN_ERROR_PATTERNS: readonly string[] = [
  "could not find a JWS signature in the cluster-info ConfigMap",
  "token id \"[^\"]*\" is invalid for this cluster or it has expired",
  "failed to verify JWS signature of received cluster info",
];

/** Waits: exponential backoff from `initial` doubling up to `max` seconds, until the deadline. */
export const BACKOFF = { initialSeconds: 5, maxSeconds: 60 } as const;

/** Environment variables the script reads; the defaults apply on a real node. */
export const ENV = {
  /** prefix of every file path the script reads or writes (tests run it in a scratch directory) */
  root: { name: "KUBESEED_ROOT", default: "/" },
  /** overall deadline, in seconds, of each wait (API endpoint on joining nodes, CNI apply on the init node) */
  waitTimeout: { name: "KUBESEED_WAIT_TIMEOUT", default: "1800" },
  /** seconds containerd gets to answer `crictl info` after its restart */
  runtimeTimeout: { name: "KUBESEED_RUNTIME_TIMEOUT", default: "120" },
} as const;

/** Options the lead passes in; everything else comes from the NodeRenderInput. */
export interface BootstrapOptions {
  /** kubeadm preflight checks to ignore (`--ignore-preflight-errors`, comma-joined); default none */
  ignorePreflightErrors?: readonly string[];
}
