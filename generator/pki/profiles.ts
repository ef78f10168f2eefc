/**
 * Certificate profiles: kubeadm's certificate set as a DATA table (STYLE rule 9).
 * Each row says who signs it, its subject, its extended key usages, its SAN rule, which nodes get it
 * and where its files go under /etc/kubernetes/pki. Rows follow kubeadm's certlist
 * (k8s.io/kubernetes cmd/kubeadm/app/phases/certs/certlist.go) and docs/sources.md#pki-certificate-set.
 * Guarantees: pure data + pure functions of (model, node); no keys, no randomness.
 */
import type { ClusterModel, NodeModel } from "../model/types.js";
import type { CaId, ExtKeyUsage } from "../plan/types.js";
import { uniqueInOrder } from "./cert-rules.js";
import { kubeadmApiServerAltNames, kubeadmEtcdAltNames } from "./kubeadm-names.js";
import { isControlPlane } from "../model/roles.js";

export interface CertContext {
  model: ClusterModel;
  node: NodeModel;
}

export interface CertProfile {
  name: string;
  signer: CaId;
  /** the nodes that hold it */
  on: (c: CertContext) => boolean;
  commonName: (c: CertContext) => string;
  organizations: (c: CertContext) => string[];
  extKeyUsages: ExtKeyUsage[];
  sans: (c: CertContext) => { dns: string[]; ip: string[] };
  /** file base name relative to /etc/kubernetes/pki (".crt"/".key" appended) */
  file: string;
}

const noSANs = () => ({ dns: [], ip: [] });
const none = () => [];

/** Splits extra SANs into DNS names and IPv4 addresses (validated earlier by profile rules). */
function splitSANs(values: string[]): { dns: string[]; ip: string[] } {
  const ip = values.filter((v) => /^\d+\.\d+\.\d+\.\d+$/.test(v));
  return { dns: values.filter((v) => !ip.includes(v)), ip };
}

/**
 * apiserver SANs, kubeadm's rule (certs/certlist.go → pkiutil.GetAPIServerAltNames): node name, the
 * kubernetes service names, the first service IP, the advertise address, the controlPlaneEndpoint host,
 * every extra SAN. kubeseed also adds the VIP and DNS name of the endpoint and the node's public address.
 */
function apiserverSANs({ model, node }: CertContext) {
  const extra = splitSANs(model.pki.apiServerExtraSANs);
  const ep = model.endpoint;
  const { dns, ip } = kubeadmApiServerAltNames(model, node);
  if (ep.dnsName) dns.push(ep.dnsName);
  if (ep.vip) ip.push(ep.vip);
  if (node.publicAddress) ip.push(node.publicAddress);
  ip.push("127.0.0.1");
  return { dns: uniqueInOrder([...dns, ...extra.dns]), ip: uniqueInOrder([...ip, ...extra.ip]) };
}

/** etcd server/peer SANs (pkiutil.GetEtcdAltNames / GetEtcdPeerAltNames): name, localhost, address, loopbacks. */
function etcdSANs({ node }: CertContext) {
  return kubeadmEtcdAltNames(node);
}

const CP = ({ node }: CertContext) => isControlPlane(node);
/** the etcd members: every control plane (stacked, kubeadm's default), or the `etcd` nodes (external topology, seed 003) */
export const isEtcdMember = ({ model, node }: CertContext) => node.role === (model.etcd.topology === "external" ? "etcd" : "control-plane");

/** etcd server and peer rows: CN = node name, server+client auth, the node's etcd SANs (kubeadm certlist). */
function etcdMember(name: string, file: string): CertProfile {
  return { name, signer: "etcd", on: isEtcdMember, commonName: ({ node }) => node.name, organizations: none, extKeyUsages: ["serverAuth", "clientAuth"], sans: etcdSANs, file };
}

/** etcd client rows: fixed CN, O system:masters before 1.29 and none after, no SANs. */
function etcdClient(name: string, cn: string, file: string, on: CertProfile["on"]): CertProfile {
  const organizations = ({ model }: CertContext) => (model.kubeadm.etcdClientGroup ? [model.kubeadm.etcdClientGroup] : []);
  return { name, signer: "etcd", on, commonName: () => cn, organizations, extKeyUsages: ["clientAuth"], sans: noSANs, file };
}

export const CERT_PROFILES: readonly CertProfile[] = [
  {
    name: "apiserver",
    signer: "kubernetes",
    on: CP,
    commonName: () => "kube-apiserver",
    organizations: none,
    extKeyUsages: ["serverAuth"],
    sans: apiserverSANs,
    file: "apiserver",
  },
  {
    name: "apiserver-kubelet-client",
    signer: "kubernetes",
    on: CP,
    commonName: () => "kube-apiserver-kubelet-client",
    organizations: ({ model }) => (model.kubeadm.apiserverKubeletClientGroup ? [model.kubeadm.apiserverKubeletClientGroup] : []),
    extKeyUsages: ["clientAuth"],
    sans: noSANs,
    file: "apiserver-kubelet-client",
  },
  {
    name: "front-proxy-client",
    signer: "front-proxy",
    on: CP,
    commonName: () => "front-proxy-client",
    organizations: none,
    extKeyUsages: ["clientAuth"],
    sans: noSANs,
    file: "front-proxy-client",
  },
  etcdMember("etcd-server", "etcd/server"),
  etcdMember("etcd-peer", "etcd/peer"),
  // every etcd member (kubeadm's HA etcd guide issues it on dedicated members too); the apiserver's on the control planes
  etcdClient("etcd-healthcheck-client", "kube-etcd-healthcheck-client", "etcd/healthcheck-client", isEtcdMember),
  etcdClient("apiserver-etcd-client", "kube-apiserver-etcd-client", "apiserver-etcd-client", CP),
];
