/**
 * kubeadm's own SAN rules, once: the names kubeadm puts on (and requires of) a node's apiserver and etcd
 * certificates before any extra SANs (cmd/kubeadm/app/util/pkiutil/pki_helpers.go GetAPIServerAltNames,
 * getAltNames for etcd). pki/profiles.ts issues every certificate with them; render/kubeadm/sans.ts
 * leaves them out of the certSANs it tells kubeadm, since kubeadm adds them itself — so what is issued
 * and what kubeadm checks cannot drift apart.
 * Guarantees: pure functions of (model, node); DNS names and IP addresses each in kubeadm's order.
 */
import type { ClusterModel, NodeModel } from "../model/types.js";

export interface AltNames {
  dns: string[];
  ip: string[];
}

/**
 * apiserver: nodeRegistration.name, kubernetes, kubernetes.default, kubernetes.default.svc,
 * kubernetes.default.svc.<dnsDomain>, the first service IP and localAPIEndpoint.advertiseAddress
 * (kubeadm then adds the controlPlaneEndpoint host, then apiServer.certSANs).
 */
export function kubeadmApiServerAltNames(model: ClusterModel, node: NodeModel): AltNames {
  const d = model.kubernetes.dnsDomain;
  return { dns: [node.name, "kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${d}`], ip: [model.kubernetes.apiServiceIP, node.address] };
}

/** etcd server and peer: nodeRegistration.name, localhost, advertiseAddress, 127.0.0.1, ::1 (then serverCertSANs / peerCertSANs). */
export function kubeadmEtcdAltNames(node: NodeModel): AltNames {
  return { dns: [node.name, "localhost"], ip: [node.address, "127.0.0.1", "::1"] };
}
