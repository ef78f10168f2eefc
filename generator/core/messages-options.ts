/**
 * User-facing texts of the seed options (audit, external CA, external etcd, ingress, seed 000's host
 * details, the metadata block, the Ignition OSes' own accounts) and of `gen secrets import`: a section of
 * core/messages.ts kept in its own file so that file stays readable; messages.ts re-exports it as
 * `messages.options`. Same guarantees: pure functions of their arguments, no I/O, and no secret value is
 * ever part of a text (a password hash or a key is named by its field, never quoted).
 */
import { BOOTSTRAP_PROGRAM } from "./node-names.js";
import { list } from "./message-format.js";

const quote = (s: string): string => JSON.stringify(s);
const nodes = (names: readonly string[]) => `${names.length === 1 ? "node" : "nodes"} ${list(names)}`;

/** Who holds an OS's own ids (model/os.ts ownIds), by OS. */
const ID_OWNERS: Record<string, string> = {
  "fedora-coreos": "Fedora CoreOS's base Ignition config (/usr/lib/ignition/base.d/00-core.ign) creates the user core in the same run, before the admin, with the first free uid, 1000; Ignition then fails the boot (useradd: UID 1000 is not unique)",
  flatcar: "Flatcar ships the user core as 500:500",
};

/** Texts of the profile rules in profile/rules-options.ts and profile/audit-policy.ts. */
const rules = {
  externalCaToken: "pki.externalCA keeps every CA key off the nodes, so nothing in the cluster can sign a kubelet's certificate request: workers cannot join with the bootstrap token",
  externalCaTokenHint: "remove pki.workerKubelet (external-CA mode defaults to pre-issued) or set it to pre-issued",
  externalCaOnNode: "pki.externalCA keeps every CA key off the nodes, so kubeadm cannot issue the control planes' certificates there (pki.controlPlaneCertificates: on-node)",
  externalCaOnNodeHint: "remove pki.controlPlaneCertificates or set it to pre-issued (external-CA mode pre-issues every certificate)",
  etcdOs: (names: readonly string[]) => `the etcd role is built for Debian nodes only; ${nodes(names)} run another OS`,
  etcdOsHint: "give the etcd members os: debian (the control planes and workers may keep Fedora CoreOS or Flatcar)",
  evenEtcd: (n: number) => `${n} etcd members: an even member count adds no failure tolerance`,
  evenEtcdHint: (n: number) => `use ${n - 1} or ${n + 1} nodes with role etcd`,
  etcdTaintsLabels: "labels and taints have no effect on an etcd node: it is no Kubernetes node",
  etcdTaintsLabelsHint: "remove them, or make the node a worker",
  ingressPortOutside: (port: number, range: string) => `the ingress NodePort ${port} is outside the NodePort range ${range}`,
  ingressPortOutsideHint: (range: string) => `choose a port inside ${range} (the firewall opens exactly that range), or widen spec.kubernetes.nodePortRange`,
  ingressPortClash: (port: number) => `httpNodePort and httpsNodePort are both ${port}`,
  ingressPortClashHint: "give HTTP and HTTPS their own NodePorts",
  ingressNoNode: "no node can run the ingress controller: every control plane keeps kubeadm's NoSchedule taint and there is no worker",
  ingressNoNodeHint: "add a worker, or write taints: [] on a control plane so that it schedules work",
  ignitionHostOption: (key: string, names: readonly string[]) =>
    `host.${key} is done by cloud-init's apt on Debian; ${nodes(names)} boot with Ignition and have no apt`,
  ignitionHostOptionHint: "remove it (Fedora CoreOS and Flatcar update themselves), or run those nodes on Debian",
  adminIdTaken: (what: "uid" | "gid", id: number, os: string, names: readonly string[]) =>
    `admin ${what} ${id} is taken on ${nodes(names)}: ${ID_OWNERS[os] ?? os}`,
  adminIdTakenHint: (free: number) =>
    `the admin must have the same uid and gid on every node: use ${free} (uid and gid) on all nodes, e.g. uid: ${free} and gid: ${free}`,
  auditPolicyMissing: (file: string) => `the audit policy file ${file} does not exist`,
  auditPolicyMissingHint: "spec.audit.policyFile is relative to the profile file; remove it to use kubeseed's default policy",
  auditPolicyUnreadable: (file: string, reason: string) => `cannot read the audit policy file ${file}: ${reason}`,
  auditPolicyYaml: (reason: string) => `the audit policy is not valid YAML: ${reason}`,
  auditPolicyShape: (what: string) => `not an audit policy kube-apiserver accepts: ${what}`,
  auditPolicyHint: "an audit.k8s.io/v1 Policy: apiVersion: audit.k8s.io/v1, kind: Policy, rules: a list whose entries each have a level (None, Metadata, Request or RequestResponse)",
};

/** Texts of `gen secrets import --from-pki DIR` (cli/commands/secrets-import.ts, pki/import-pki.ts). */
const importPki = {
  notADirectory: (dir: string) => `${dir} is not a directory (expected a kubeadm /etc/kubernetes/pki)`,
  missingFile: (file: string) => `${file} is missing`,
  missingFileHint: "a kubeadm PKI directory holds ca.crt, front-proxy-ca.crt and sa.key (sa.pub, etcd/ca.crt and the CA keys are optional)",
  unreadable: (file: string, reason: string) => `cannot read ${file}: ${reason}`,
  notCertificate: (file: string, reason: string) => `${file} is not a PEM certificate: ${reason}`,
  notKey: (file: string, reason: string) => `${file} is not a PEM private key: ${reason}`,
  notPublicKey: (file: string, reason: string) => `${file} is not a PEM public key: ${reason}`,
  notCa: (file: string) => `${file} is not a CA certificate (BasicConstraints CA:TRUE missing)`,
  expired: (file: string, at: string) => `${file} expired on ${at}`,
  notYetValid: (file: string, at: string) => `${file} is valid only from ${at}`,
  keyMismatch: (key: string, cert: string) => `${key} is not the private key of ${cert}`,
  saMismatch: "sa.key and sa.pub are not one key pair",
  unsupportedKey: (file: string, what: string) => `${file} holds a ${what} key; kubeseed issues with ECDSA P-256/P-384 or RSA 2048/3072/4096 keys`,
  unsupportedKeyHint: "keep the CA in kubeadm, or re-key it (a new CA means new certificates on every node)",
  fixHint: "import the directory of a working control plane (/etc/kubernetes/pki), unchanged",
  secretsExist: (file: string) => `${file} already exists; an import never replaces a secrets file (it would replace the CAs)`,
  secretsExistHint: "move the existing file away first, or pass --secrets with a new path",
  failed: (dir: string, n: number) => `${dir} cannot be imported (${n} problem${n === 1 ? "" : "s"})`,
  imported: (file: string, cas: readonly string[], keyless: readonly string[]) =>
    `wrote ${file}: CAs ${list(cas)}${keyless.length ? ` (without a key: ${list(keyless)})` : ""}, the service-account key pair, a new bootstrap token and encryption key\n`,
  keylessWarning: (cas: readonly string[]) =>
    `warning: imported without a private key: ${list(cas)}. kubeseed cannot sign with ${cas.length === 1 ? "that CA" : "those CAs"}: \`gen\` fails for every certificate it would have to issue with ${cas.length === 1 ? "it" : "them"}; import the CA keys too (external-CA mode still keeps them off the nodes)\n`,
  generatedEtcd: "note: no etcd/ca.crt in the directory: a new etcd CA was made\n",
  fromPkiRequired: "--from-pki DIR is required (a kubeadm /etc/kubernetes/pki directory)",
};

/** Texts of certificate issuing with an imported CA that has no key (pki/issue.ts). */
const keyless = {
  cannotSign: (ca: string, ids: readonly string[]) => `the ${ca} CA in the secrets file has no private key (imported without it); kubeseed cannot issue ${list(ids.map(quote))}`,
  cannotSignHint: "re-import the PKI directory with its CA keys (gen secrets import --from-pki DIR), or restore a secrets file that holds them",
  nodeNeedsKey: (ca: string) => `the ${ca} CA has no private key, but the nodes need it (pki.externalCA is off)`,
  nodeNeedsKeyHint: "set pki.externalCA: true to keep CA keys off the nodes, or import the CA key",
};

/** Next steps of REPORT.md for the options (bundle/report.ts). */
const report = {
  passwordLocked: (user: string) => `the admin ${user} has no password (spec.admin.passwordHash is not set): it is locked, sudo needs none, log in with the SSH keys`,
  passwordSet: (user: string) => `the admin ${user} gets the password of spec.admin.passwordHash (sudo asks for it)`,
  etcdFirst: (members: readonly string[], init: string) => `boot the etcd members ${list(members)} with or before ${init}: its kubeadm init waits until they answer`,
  loadBalancer: (http: number, https: number) => `install load-balancer/haproxy.cfg on the load balancer host (apt install haproxy) and send :80/:443 there; it forwards to every node's NodePorts ${http}/${https}`,
  externalCa: "external-CA mode: no node holds a CA key; before certificates expire re-run gen and copy the re-issued files to the nodes (kubeadm certs renew cannot sign)",
};

/** Journal and status lines of kubeseed-bootstrap for the add-ons and external etcd (render/bootstrap/functions.ts). */
const bootstrap = {
  addon: (manifest: string) => `applying the add-on manifest ${manifest}`,
  balancer: (unit: string) => `starting ${unit} now that the cluster CA it checks the API servers with is in place`,
  balancerFailed: (unit: string) => `${unit} does not start; see journalctl -u ${unit}`,
  addonFailed: (manifest: string, seconds: string) => `the API server did not accept ${manifest} within ${seconds}s; see the kubectl lines above`,
  waitEtcd: (endpoints: string) => `waiting for a healthy external etcd member among ${endpoints}`,
  etcdUnreachable: (endpoints: string, seconds: string) =>
    `no etcd member of ${endpoints} reported health within ${seconds}s; check that the etcd nodes booted (journalctl -u ${BOOTSTRAP_PROGRAM} -u kubelet there) and that the firewall admits 2379-2380`,
};

export const optionsMessages = { rules, importPki, keyless, report, bootstrap };
