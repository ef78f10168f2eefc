/**
 * The data of the certificate renewal on control planes (kubeseed-renew-certs + its service and timer)
 * as tables (STYLE rule 9): which files it watches, which static Pods use them, its state files, the
 * timer's schedule and the environment variables that override the defaults. render/renewal/script.ts
 * turns them into bash; the tests read the same tables.
 *
 * What kubeadm renews (`kubeadm certs renew all`, cmd/kubeadm/app/phases/certs/renewal/manager.go):
 * every leaf of kubeadm's certificate list and the client certificates embedded in admin.conf,
 * super-admin.conf, controller-manager.conf and scheduler.conf, keeping each one's subject, SANs and
 * usages, with a new key of the cluster's encryptionAlgorithm and the certificateValidityPeriod of the
 * configuration it is given; never a CA, never kubelet.conf (the kubelet rotates its own client
 * certificate through the API: KubeletConfiguration rotateCertificates). The static Pods must then be
 * restarted to load the new files (kubeadm's "Certificate Management with kubeadm": they do not reload
 * every certificate on their own).
 * Guarantees: constants and pure functions of the model only; every path is absolute on the node.
 */
import { STATE_DIR } from "../../core/node-names.js";
import type { ClusterModel, NodeModel } from "../../model/types.js";
import { CA_IDS } from "../../pki/cert-rules.js";
import { CERT_PROFILES } from "../../pki/profiles.js";
import { KUBECONFIG_PROFILES } from "../../plan/kubeconfigs.js";

export const RENEW_SCRIPT_NAME = "kubeseed-renew-certs";
export const RENEW_SERVICE = `${RENEW_SCRIPT_NAME}.service`;
export const RENEW_TIMER = `${RENEW_SCRIPT_NAME}.timer`;
/** kubeadm's configuration for `certs renew` on this node (no secret in it) */
export const RENEW_CONFIG = "/etc/kubernetes/kubeadm/renew.yaml";

/** key=value lines: state=ok|renewed|failed, step, message, time, node, role (the bootstrap status format) */
export const RENEW_STATUS_FILE = `${STATE_DIR}/renewal`;
/** one line per run that renewed or failed: time, state, message */
export const RENEW_LOG = `${STATE_DIR}/renewal.log`;
/** copies of /etc/kubernetes/pki and the kubeconfigs from before each renewal, one folder per run */
export const RENEW_BACKUP_DIR = `${STATE_DIR}/renewal-backup`;
/** held with flock while a run is in progress, so two runs never overlap */
export const RENEW_LOCK = `${STATE_DIR}/renewal.lock`;
/** the kubelet's rotated client certificate (cmd/kubelet: kubelet-client-current.pem in --cert-dir) */
export const KUBELET_CLIENT_CERT = "/var/lib/kubelet/pki/kubelet-client-current.pem";

/** The timer: daily, each node at its own fixed random moment of the day, catching up after downtime. */
export const TIMER = { onCalendar: "daily", randomizedDelaySec: "6h" } as const;

/** Static Pods restarted after a renewal, in this order (etcd first: the apiserver needs it). */
export const STATIC_PODS: readonly string[] = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

/** Programs the script needs (checked with `command -v` before anything else). */
export const RENEW_PROGRAMS: readonly string[] = ["kubeadm", "kubectl", "crictl", "openssl", "flock", "base64"];

/** Environment variables the script reads; the defaults apply on a real node. */
export const RENEW_ENV = {
  /** prefix of every file the script reads or writes; kubeadm then runs with --rootfs */
  root: { name: "KUBESEED_ROOT", default: "/" },
  /** the renewal window in seconds (default: the profile's pki.renewBefore) */
  window: { name: "KUBESEED_RENEW_BEFORE" },
  /** seconds the restarted control plane gets to answer /readyz */
  restartTimeout: { name: "KUBESEED_RESTART_TIMEOUT", default: "300" },
} as const;

/** The CA certificates whose expiry the script reports (it never renews a CA). */
export const CA_FILES: readonly string[] = CA_IDS.map((id) => ({ kubernetes: "ca.crt", etcd: "etcd/ca.crt", "front-proxy": "front-proxy-ca.crt" })[id]);

/** kubeadm's leaf certificates on this control plane, relative to /etc/kubernetes/pki (from pki/profiles.ts). */
export function renewedCertFiles(model: ClusterModel, node: NodeModel): string[] {
  return CERT_PROFILES.filter((p) => p.on({ model, node })).map((p) => `${p.file}.crt`);
}

/** The kubeconfigs with an embedded client certificate that kubeadm renews on this node (kubelet.conf excepted). */
export function renewedKubeconfigs(model: ClusterModel, node: NodeModel): string[] {
  return KUBECONFIG_PROFILES.filter((p) => p.file !== "kubelet.conf" && !p.bootstrapToken && p.applies(model, node)).map((p) => p.file);
}
