/**
 * planCluster: ClusterModel → ClusterPlan. Decides, per node and for the operator, every certificate,
 * kubeconfig and file, from the tables in pki/profiles.ts and plan/kubeconfigs.ts.
 * Guarantees: pure, no secrets, deterministic order (profile node order, table order). Least privilege:
 * a worker gets ca.crt and its kubelet credential only — no CA key, no etcd material, no sa.key; an etcd
 * member only its etcd files; in external-CA mode no node and no operator file holds a CA key.
 * The control-plane plan is the common node plan plus the control-plane rows.
 */
import { OUTPUT } from "../core/layout.js";
import { registryCertRequest, registryNodeFiles, registryOperatorFiles } from "./registry.js";
import type { ClusterModel, NodeModel } from "../model/types.js";
import { CERT_PROFILES } from "../pki/profiles.js";
import { KUBECONFIG_PROFILES, type KubeconfigProfile } from "./kubeconfigs.js";
import { caFiles, certFiles, keyFile, publicFile } from "./files.js";
import { hostFiles } from "./host-files.js";
import type { CaId, CertRequest, ClusterPlan, CoreCaId, KubeconfigRequest, NodePlan, PlannedFile } from "./types.js";
import { isControlPlane } from "../model/roles.js";
import { hostPort } from "../core/ipv4.js";

export const K8S_DIR = "/etc/kubernetes";
export const PKI_DIR = "/etc/kubernetes/pki";
/** inside /etc/kubernetes/pki so kubeadm's k8s-certs volume already mounts it into kube-apiserver */
export const ENCRYPTION_CONFIG = "/etc/kubernetes/pki/encryption-config.yaml";
/** the signing cluster CA alone, for kube-controller-manager's --cluster-signing-cert-file during a CA rotation */
export const CA_SIGNER = "/etc/kubernetes/pki/ca-signer.crt";

/** the kubeconfigs that make up a node's kubelet credential, common to every role */
const KUBELET_CREDENTIALS = new Set(["kubelet.conf", "bootstrap-kubelet.conf", "discovery.conf"]);

/** cluster-wide kubeconfigs the operator gets a copy of (bootstrap-kubelet.conf for manual joins) */
const OPERATOR_KUBECONFIGS = new Set(["admin.conf", "super-admin.conf", "bootstrap-kubelet.conf"]);

interface Acc {
  certs: Map<string, CertRequest>;
  kubeconfigs: Map<string, KubeconfigRequest>;
}

function kubeconfigFor(model: ClusterModel, node: NodeModel, p: KubeconfigProfile, acc: Acc, idBase: string): string {
  const id = `${idBase}/${p.file}`;
  if (acc.kubeconfigs.has(id)) return id;
  const cn = p.commonName(node);
  let certId: string | undefined;
  if (!p.bootstrapToken) {
    certId = `${idBase}/${p.file.replace(/\.conf$/, "")}`;
    acc.certs.set(certId, {
      id: certId,
      profile: `kubeconfig:${p.file}`,
      signer: "kubernetes",
      commonName: cn,
      organizations: p.organizations(model),
      extKeyUsages: ["clientAuth"],
      dnsNames: [],
      ipAddresses: [],
    });
  }
  const local = p.server === "local" || (p.server === "kubelet" && isControlPlane(node) && model.kubeadm.controlPlaneKubeletLocal);
  const server = local ? `https://${hostPort(node.address, model.bindPort)}` : model.endpoint.url;
  acc.kubeconfigs.set(id, { id, clusterName: model.kubernetes.clusterName, server, userName: cn, certId, bootstrapToken: p.bootstrapToken });
  return id;
}

/**
 * The kubelet credential common to every Kubernetes node, and the cluster CA certificate where kubeadm
 * accepts it: on control planes (kubeadm needs it there) and on pre-issued workers; a token-joined worker
 * gets neither, because kubeadm join writes ca.crt from discovery and refuses an existing one (preflight
 * FileAvailable--etc-kubernetes-pki-ca.crt, cmd/kubeadm/app/preflight/checks.go). An etcd member is no
 * Kubernetes node: it gets none of this.
 */
function commonNodeFiles(model: ClusterModel, node: NodeModel, acc: Acc): PlannedFile[] {
  if (node.role === "etcd") return [];
  const needsCa = isControlPlane(node) || model.pki.workerKubelet === "pre-issued";
  const files: PlannedFile[] = needsCa ? [caFiles("kubernetes", `${PKI_DIR}/ca`).cert] : [];
  for (const p of KUBECONFIG_PROFILES) {
    if (KUBELET_CREDENTIALS.has(p.file) && appliesFromKubeseed(model, node, p)) files.push(kubeconfigFile(model, node, p, acc));
  }
  return files;
}

/** A node gets the kubeconfig from kubeseed: the row applies, and kubeadm does not write it there (its client certificate is signed by the cluster CA). */
function appliesFromKubeseed(model: ClusterModel, node: NodeModel, p: KubeconfigProfile): boolean {
  return p.applies(model, node) && !kubeadmWritesHere(model, node, p);
}

/** kubeadm writes this kubeconfig on the node instead of kubeseed (its client certificate is signed by the cluster CA). */
function kubeadmWritesHere(model: ClusterModel, node: NodeModel, p: KubeconfigProfile): boolean {
  return !!p.kubeadmWrites && issuedOnNode(model, node, "kubernetes");
}

/** Where a kubeconfig goes on a node. */
const kubeconfigPath = (p: KubeconfigProfile) => p.path ?? `${K8S_DIR}/${p.file}`;

function kubeconfigFile(model: ClusterModel, node: NodeModel, p: KubeconfigProfile, acc: Acc): PlannedFile {
  const id = kubeconfigFor(model, node, p, acc, p.scope === "cluster" ? "cluster" : `node/${node.name}`);
  return { path: kubeconfigPath(p), mode: 0o600, owner: "root:root", source: { kind: "kubeconfig", kubeconfigId: id }, sensitive: true };
}

/** A CA's certificate, and its key unless external-CA mode keeps every CA key off the nodes (seed 003). */
function caPair(model: ClusterModel, ca: CoreCaId, base: string, withKey = true): PlannedFile[] {
  const pair = caFiles(ca, base);
  return withKey && !model.pki.externalCA ? [pair.cert, pair.key] : [pair.cert];
}

/**
 * Whether kubeadm issues a control plane's certificate or kubeconfig signed by `signer` on the node
 * (pki.controlPlaneCertificates: on-node), so kubeseed ships none: kubeadm's certs and kubeconfig phases
 * create every missing file from the CA on disk (cmd/kubeadm/app/phases/certs, kubeconfig), on init and on
 * a control-plane join alike. Only where that CA's key is on the node: the etcd CA's key is not with
 * external etcd, so apiserver-etcd-client stays pre-issued there (kubeadm generates no etcd certificate
 * for external etcd).
 */
export function issuedOnNode(model: ClusterModel, node: NodeModel, signer: CaId): boolean {
  if (!isControlPlane(node) || model.pki.controlPlaneCertificates !== "on-node") return false;
  return signer !== "etcd" || model.etcd.topology === "stacked";
}

/** The on-node paths of the files kubeadm issues on this node instead of kubeseed (empty unless on-node). */
export function kubeadmIssuedPaths(model: ClusterModel, node: NodeModel): Set<string> {
  const paths = new Set<string>();
  for (const p of CERT_PROFILES) {
    if (p.on({ model, node }) && issuedOnNode(model, node, p.signer)) for (const f of certFiles(`node/${node.name}/${p.name}`, `${PKI_DIR}/${p.file}`)) paths.add(f.path);
  }
  for (const k of KUBECONFIG_PROFILES) if (k.applies(model, node) && kubeadmWritesHere(model, node, k)) paths.add(kubeconfigPath(k));
  return paths;
}

/** The node's own leaf certificates (pki/profiles.ts `on`) that kubeseed issues, requested once per node. */
function leafFiles(model: ClusterModel, node: NodeModel, acc: Acc): PlannedFile[] {
  const files: PlannedFile[] = [];
  for (const p of CERT_PROFILES) {
    const ctx = { model, node };
    if (!p.on(ctx) || issuedOnNode(model, node, p.signer)) continue;
    const sans = p.sans(ctx);
    const id = `node/${node.name}/${p.name}`;
    acc.certs.set(id, {
      id,
      profile: p.name,
      signer: p.signer,
      commonName: p.commonName(ctx),
      organizations: p.organizations(ctx),
      extKeyUsages: [...p.extKeyUsages],
      dnsNames: sans.dns,
      ipAddresses: sans.ip,
    });
    files.push(...certFiles(id, `${PKI_DIR}/${p.file}`));
  }
  return files;
}

/**
 * Control-plane rows on top of the common plan: the CA keys (not in external-CA mode), the front-proxy
 * and etcd CAs (the etcd CA's key only with stacked etcd: kubeadm needs none for external etcd), sa keys,
 * own leaves, kubeconfigs, encryption config.
 */
function controlPlaneFiles(model: ClusterModel, node: NodeModel, acc: Acc): PlannedFile[] {
  const files: PlannedFile[] = [
    ...caPair(model, "kubernetes", `${PKI_DIR}/ca`).slice(1),
    ...caPair(model, "front-proxy", `${PKI_DIR}/front-proxy-ca`),
    ...caPair(model, "etcd", `${PKI_DIR}/etcd/ca`, model.etcd.topology === "stacked"),
    keyFile({ kind: "sa-key" }, `${PKI_DIR}/sa.key`),
    publicFile({ kind: "sa-pub" }, `${PKI_DIR}/sa.pub`),
    ...leafFiles(model, node, acc),
  ];
  for (const p of KUBECONFIG_PROFILES) {
    if (!KUBELET_CREDENTIALS.has(p.file) && appliesFromKubeseed(model, node, p)) files.push(kubeconfigFile(model, node, p, acc));
  }
  files.push({ path: ENCRYPTION_CONFIG, mode: 0o600, owner: "root:root", source: { kind: "encryption-config" }, sensitive: true });
  // a CA rotation makes ca.crt a bundle, which kube-controller-manager cannot sign with
  if (model.caRotation) files.push(publicFile({ kind: "ca-signer", ca: "kubernetes" }, CA_SIGNER));
  return files;
}

/** A dedicated etcd member: the etcd CA certificate and its own server, peer and healthcheck-client pairs. */
function etcdMemberFiles(model: ClusterModel, node: NodeModel, acc: Acc): PlannedFile[] {
  return [caFiles("etcd", `${PKI_DIR}/etcd/ca`).cert, ...leafFiles(model, node, acc)];
}

function planNode(model: ClusterModel, node: NodeModel, acc: Acc): NodePlan {
  const files = commonNodeFiles(model, node, acc);
  if (isControlPlane(node)) files.push(...controlPlaneFiles(model, node, acc));
  if (node.role === "etcd") files.push(...etcdMemberFiles(model, node, acc));
  files.push(...hostFiles(model, node), ...registryNodeFiles(model));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { node, files };
}

/**
 * Operator material, relative to output/NAME/: the CAs (certificates only in external-CA mode: the keys
 * then stay in the secrets file, so no archive of the output carries them), the sa pair, cluster
 * kubeconfigs, RBAC users.
 */
function planOperator(model: ClusterModel, acc: Acc): PlannedFile[] {
  const rows: PlannedFile[] = [
    ...caPair(model, "kubernetes", `${OUTPUT.pki}/ca`),
    ...caPair(model, "front-proxy", `${OUTPUT.pki}/front-proxy-ca`),
    ...caPair(model, "etcd", `${OUTPUT.pki}/etcd/ca`),
    keyFile({ kind: "sa-key" }, `${OUTPUT.pki}/sa.key`),
    publicFile({ kind: "sa-pub" }, `${OUTPUT.pki}/sa.pub`),
    publicFile({ kind: "join-info" }, OUTPUT.joinInfo),
  ];
  const init = model.nodes.find((n) => n.init)!;
  for (const p of KUBECONFIG_PROFILES.filter((k) => OPERATOR_KUBECONFIGS.has(k.file))) {
    if (p.file === "super-admin.conf" && !p.applies(model, init)) continue;
    rows.push({ ...kubeconfigFile(model, init, p, acc), path: `${OUTPUT.kubeconfigs}/${p.file}` });
  }
  for (const u of model.users) {
    const certId = `user/${u.name}`;
    acc.certs.set(certId, {
      id: certId,
      profile: "rbac-user",
      signer: "kubernetes",
      commonName: u.name,
      organizations: u.groups,
      extKeyUsages: ["clientAuth"],
      dnsNames: [],
      ipAddresses: [],
    });
    const id = `user/${u.name}.conf`;
    acc.kubeconfigs.set(id, { id, clusterName: model.kubernetes.clusterName, server: model.endpoint.url, userName: u.name, certId });
    rows.push({ path: `${OUTPUT.kubeconfigs}/users/${u.name}.conf`, mode: 0o600, owner: "root:root", source: { kind: "kubeconfig", kubeconfigId: id }, sensitive: true });
  }
  return rows;
}

/** The external load balancer's haproxy.cfg (render/addons/ingress-lb.ts), with an ingress controller. */
function ingressOperatorFiles(model: ClusterModel): PlannedFile[] {
  return model.ingress ? [publicFile({ kind: "cluster-doc", doc: "ingress-lb-haproxy" }, `${OUTPUT.loadBalancer}/haproxy.cfg`)] : [];
}

export function planCluster(model: ClusterModel): ClusterPlan {
  const acc: Acc = { certs: new Map(), kubeconfigs: new Map() };
  const nodes = model.nodes.map((n) => planNode(model, n, acc));
  const registryCert = registryCertRequest(model);
  if (registryCert) acc.certs.set(registryCert.id, registryCert);
  const operator = [...planOperator(model, acc), ...registryOperatorFiles(model), ...ingressOperatorFiles(model)];
  return { model, certs: [...acc.certs.values()], kubeconfigs: [...acc.kubeconfigs.values()], nodes, operator };
}
