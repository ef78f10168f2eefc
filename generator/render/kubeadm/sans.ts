/**
 * The extra SANs kubeadm must be told about so that its own check of the PRE-ISSUED certificates
 * passes. kubeadm never regenerates an existing leaf: it loads it, verifies its chain and then calls
 * cert.VerifyHostname for every name it requires (cmd/kubeadm/app/phases/certs/certs.go
 * validateCertificateWithConfig); a missing name fails `kubeadm init` / `join --control-plane`.
 *
 * kubeadm's own apiserver names (cmd/kubeadm/app/util/pkiutil/pki_helpers.go GetAPIServerAltNames):
 * nodeRegistration.name, kubernetes, kubernetes.default, kubernetes.default.svc,
 * kubernetes.default.svc.<dnsDomain>, the first service IP, localAPIEndpoint.advertiseAddress and the
 * host of controlPlaneEndpoint ("add cluster controlPlaneEndpoint if present (dns or ip)"), then
 * apiServer.certSANs. So the endpoint host does NOT need to be listed in certSANs; kubeadm adds it.
 * etcd server/peer (same file, getAltNames): nodeRegistration.name, localhost, advertiseAddress,
 * 127.0.0.1, ::1, then etcd.local.serverCertSANs / peerCertSANs.
 *
 * certSANs live in ClusterConfiguration, which is cluster-wide (uploaded to the kubeadm-config
 * ConfigMap and reused by every joining control plane), so a name may be listed only if EVERY control
 * plane's certificate carries it; otherwise the other nodes' checks fail. Per-node extras (a node's
 * public address) therefore stay in that node's certificate without being required by kubeadm.
 * Guarantees: pure; derived from pki/profiles.ts and kubeadm's own names from pki/kubeadm-names.ts (which
 * the certificates are issued with), so certificates and config cannot drift apart.
 */
import type { ClusterModel, NodeModel } from "../../model/types.js";
import { CERT_PROFILES } from "../../pki/profiles.js";
import { kubeadmApiServerAltNames, kubeadmEtcdAltNames } from "../../pki/kubeadm-names.js";
import { controlPlanesOf } from "../../model/roles.js";

function profile(name: string) {
  const p = CERT_PROFILES.find((c) => c.name === name);
  if (!p) throw new Error(`internal: certificate profile ${name} is missing`);
  return p;
}

function certNames(name: string, model: ClusterModel, node: NodeModel): string[] {
  const sans = profile(name).sans({ model, node });
  return [...sans.dns, ...sans.ip];
}

/** The apiserver names kubeadm requires on `node` before any certSANs (GetAPIServerAltNames), with the endpoint host. */
export function kubeadmApiServerNames(model: ClusterModel, node: NodeModel): string[] {
  const own = kubeadmApiServerAltNames(model, node);
  return [...own.dns, ...own.ip, model.endpoint.host];
}

/** The etcd server/peer names kubeadm requires on `node` before serverCertSANs/peerCertSANs. */
export function kubeadmEtcdNames(node: NodeModel): string[] {
  const own = kubeadmEtcdAltNames(node);
  return [...own.dns, ...own.ip];
}

/** Names present in the `profileName` certificate of every control plane that kubeadm does not add itself. */
function sharedExtras(model: ClusterModel, profileName: string, own: (n: NodeModel) => string[]): string[] {
  const cps = controlPlanesOf(model.nodes);
  const perNode = cps.map((n) => {
    const mine = new Set(own(n));
    return certNames(profileName, model, n).filter((s) => !mine.has(s));
  });
  const [first = [], ...rest] = perNode;
  return first.filter((s) => rest.every((names) => names.includes(s)));
}

/** ClusterConfiguration.apiServer.certSANs, in the certificate's own order. */
export function apiServerCertSANs(model: ClusterModel): string[] {
  return sharedExtras(model, "apiserver", (n) => kubeadmApiServerNames(model, n));
}

/** etcd.local.serverCertSANs (profile "etcd-server") or peerCertSANs (profile "etcd-peer"). */
export function etcdCertSANs(model: ClusterModel, profileName: "etcd-server" | "etcd-peer"): string[] {
  return sharedExtras(model, profileName, kubeadmEtcdNames);
}
