/**
 * What kubeadm prints when it finds its files already on disk, for assertions on its output.
 * Guarantees: the lists follow kubeadm's own order where it has one (cmd/kubeadm/app/phases/certs/
 * certlist.go for init's certificates; the kubeconfig phase's order), the same in v1.30 and v1.34.
 */
import type { Ran } from "../../support/proc.js";

/** the certs phase on a node that has every certificate, CA and the sa key pair */
export const CERTS_USED = [
  "Using existing ca certificate authority",
  "Using existing apiserver certificate and key on disk",
  "Using existing apiserver-kubelet-client certificate and key on disk",
  "Using existing front-proxy-ca certificate authority",
  "Using existing front-proxy-client certificate and key on disk",
  "Using existing etcd/ca certificate authority",
  "Using existing etcd/server certificate and key on disk",
  "Using existing etcd/peer certificate and key on disk",
  "Using existing etcd/healthcheck-client certificate and key on disk",
  "Using existing apiserver-etcd-client certificate and key on disk",
  'Using the existing "sa" key',
];

/**
 * `kubeadm join phase control-plane-prepare certs` on a joining control plane that has its own leaf
 * certificates (it reuses each one, CreatePKIAssets; the CAs and sa pair are required beforehand by
 * preflight's shared-certificate check); kubeadm walks a Go map here, so the order varies
 */
export const JOIN_CERTS_USED = [
  ...["apiserver", "apiserver-kubelet-client", "front-proxy-client", "etcd/server", "etcd/peer", "etcd/healthcheck-client", "apiserver-etcd-client"].map((c) => `Using the existing "${c}" certificate and key`),
  'Valid certificates and keys now exist in "/etc/kubernetes/pki"',
  'Using the existing "sa" key',
];

/** kubeconfig phase line for an existing /etc/kubernetes/NAME.conf */
export const kubeconfigUsed = (name: string) => `Using existing kubeconfig file: "/etc/kubernetes/${name}.conf"`;

/** stdout lines that start with PREFIX ("[certs]"), without it; the phase headers (folder, "Generating …") left out */
export function said(r: Ran, prefix: string): string[] {
  return r.stdout
    .split("\n")
    .filter((l) => l.startsWith(`${prefix} `))
    .map((l) => l.slice(prefix.length + 1).trim())
    .filter((l) => !/^(Using (certificateDir|kubeconfig) folder|Generating kubeconfig files$)/.test(l));
}

/** kubeadm's warnings that an existing kubeconfig names another API server than it would write */
export function unexpectedServerWarnings(runs: Ran[]): string[] {
  return runs.flatMap((r) => r.stderr.split("\n")).filter((l) => /unexpected API Server URL/.test(l));
}
