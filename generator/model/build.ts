/**
 * buildModel: validated ProfileInput → ClusterModel. The ONE place where defaults are applied and
 * derived values (service IPs, endpoint, init node, kubeadm version rules) are decided.
 * Guarantees: pure and total for any profile that passed validateProfile; never reads files or time.
 */
import { nthAddress, parseCidr } from "../core/ipv4.js";
import type { ProfileInput } from "../profile/schema.js";
import { DEFAULTS, durationHours, registryPort } from "./defaults.js";
import { balancerPossible, ingressNodePorts, nodeOsOf } from "./decisions.js";
import { kubeadmRules, parseVersion } from "./kubeadm-rules.js";
import { OS_TABLE, type KubernetesPackages, type NodeOs } from "./os.js";
import type { AuditModel, ClusterModel, IngressModel, NodeModel, PackageServer, RegistryModel } from "./types.js";
import { isControlPlane, controlPlanesOf } from "./roles.js";

/**
 * A node's OS, how Kubernetes arrives there (the profile's choice, else the OS default), and whether
 * its first boot upgrades the packages: the profile's choice on cloud-init nodes, by default only where
 * the node installs packages anyway (a preinstalled image may have no package source); never on
 * Ignition nodes (their OS updates itself).
 */
function nodeOs(os: NodeOs, packages: KubernetesPackages | undefined, upgrade: boolean | undefined): Pick<NodeModel, "os" | "kubernetesPackages" | "upgrade"> {
  const kubernetesPackages = packages ?? OS_TABLE[os].defaultPackages;
  const apt = OS_TABLE[os].provisioning === "cloud-init";
  return { os, kubernetesPackages, upgrade: apt && (upgrade ?? kubernetesPackages !== "preinstalled") };
}

/** Files next to the profile that the model needs, read and checked by io/ and profile/. */
export interface ModelInputs {
  /** spec.audit.policyFile: its path (for messages) and text */
  auditPolicy?: { file: string; text: string };
}

function auditModel(a: ProfileInput["spec"]["audit"], inputs: ModelInputs): AuditModel | undefined {
  if (!a) return undefined;
  if (a.policyFile !== undefined && !inputs.auditPolicy) throw new Error(`internal: the audit policy file ${a.policyFile} was not read`);
  return {
    policy: a.policyFile !== undefined ? { source: "file", ...inputs.auditPolicy! } : { source: "default" },
    maxAgeDays: a.maxAge ?? DEFAULTS.auditMaxAgeDays,
    maxBackups: a.maxBackups ?? DEFAULTS.auditMaxBackups,
    maxSizeMB: a.maxSize ?? DEFAULTS.auditMaxSizeMB,
  };
}

/** The NodePorts default to 30080/30443 where the range holds them, else to the range's first two ports. */
function ingressModel(i: ProfileInput["spec"]["ingress"], range: { from: number; to: number }): IngressModel | undefined {
  if (!i) return undefined;
  const ports = ingressNodePorts({ http: i.httpNodePort, https: i.httpsNodePort }, range);
  return {
    controller: i.controller ?? "ingress-nginx",
    httpNodePort: ports.http,
    httpsNodePort: ports.https,
    replicas: i.replicas ?? DEFAULTS.ingressReplicas,
  };
}

/** images.lock.json as read by io/: source reference → digest */
export type ImageLock = Record<string, string>;

function registryModel(r: ProfileInput["spec"]["registry"], lock: ImageLock, ingress: boolean): RegistryModel {
  const tls = r?.tls ?? DEFAULTS.registryTls;
  const host = r?.host ?? DEFAULTS.registryHost;
  const port = r?.port ?? registryPort(tls);
  const authority = port === registryPort(tls) ? host : `${host}:${port}`;
  const prefix = r?.prefix ?? DEFAULTS.registryPrefix;
  return {
    mode: r?.mode ?? DEFAULTS.registryMode,
    host,
    address: r?.address,
    port,
    prefix,
    tls,
    authority,
    repository: `${authority}/${prefix}`,
    url: `${tls === "ca" ? "https" : "http"}://${authority}`,
    architectures: [...(r?.architectures ?? DEFAULTS.architectures)],
    // an ingress controller's images are mirrored whether or not registry.addons names it
    addons: [...new Set([...(r?.addons ?? []), ...(ingress ? ["ingress-nginx"] : [])])],
    digests: { ...lock },
    signatures: r?.signatures ? { ...r.signatures } : undefined,
    packages: packageServer(r, host),
  };
}

function packageServer(r: ProfileInput["spec"]["registry"], host: string): PackageServer {
  const port = r?.packagesPort ?? DEFAULTS.packagesPort;
  const path = r?.packagesPath ?? DEFAULTS.packagesPath;
  const at = (h: string) => `http://${h}${port === 80 ? "" : `:${port}`}${path}`;
  return { port, path, url: at(host), addressUrl: r?.address ? at(r.address) : undefined, key: r?.packagesKey };
}

export function buildModel(profile: ProfileInput, lock: ImageLock = {}, inputs: ModelInputs = {}): ClusterModel {
  const s = profile.spec;
  const k = s.kubernetes;
  const version = parseVersion(k.version);
  const serviceCIDR = k.serviceCIDR ?? DEFAULTS.serviceCIDR;
  const svc = parseCidr(serviceCIDR)!;
  const firstCp = s.nodes.findIndex(isControlPlane);
  const nodes: NodeModel[] = s.nodes.map((n, i) => ({
    name: n.name,
    role: n.role,
    init: i === firstCp,
    address: n.address,
    publicAddress: n.publicAddress,
    labels: { ...(n.labels ?? {}) },
    taints: n.taints?.map((t) => ({ ...t })),
    ...nodeOs(nodeOsOf(n.os, s.host?.os), s.host?.kubernetesPackages, s.host?.upgrade),
  }));
  const etcdMembers = nodes.filter((n) => n.role === "etcd");
  const bindPort = s.controlPlane?.bindPort ?? DEFAULTS.apiPort;
  const ep = s.controlPlane?.endpoint;
  const cps = controlPlanesOf(nodes).length;
  // haproxy and keepalived are host packages only where the OS can install them (model/os.ts)
  const hostServices = nodes.every((n) => !isControlPlane(n) || OS_TABLE[n.os].hostServices);
  const balancerDefault = hostServices ? DEFAULTS.loadBalancer : "static-pods";
  const loadBalancer = balancerPossible({ vip: !!ep?.vip, controlPlanes: cps }) ? (s.controlPlane?.loadBalancer ?? balancerDefault) : "none";
  // with keepalived + haproxy on the control planes, haproxy owns the endpoint port on every control
  // plane (also on the VIP), so it cannot be the apiserver's own port (rules-balancer.ts endpointPortFree)
  const port = ep?.port ?? (loadBalancer === "none" ? bindPort : DEFAULTS.balancerPort);
  const host = ep?.host ?? ep?.vip ?? nodes[firstCp].address;
  const pki = s.pki ?? {};
  const [npFrom, npTo] = (k.nodePortRange ?? DEFAULTS.nodePortRange).split("-").map(Number);
  const hostOpts = s.host ?? {};
  const cloud = s.cloud ?? DEFAULTS.cloud;
  const nodePortRange = { from: npFrom, to: npTo };
  const basePackages = hostOpts.basePackages ?? DEFAULTS.basePackages;
  const externalCA = pki.externalCA ?? false;
  return {
    name: profile.metadata.name,
    kubernetes: {
      version,
      clusterName: k.clusterName ?? DEFAULTS.clusterName,
      dnsDomain: k.dnsDomain ?? DEFAULTS.dnsDomain,
      podCIDR: k.podCIDR ?? DEFAULTS.podCIDR,
      serviceCIDR,
      apiServiceIP: nthAddress(svc, 1),
      dnsServiceIP: nthAddress(svc, 10),
      nodePortRange,
    },
    network: {
      cidr: s.network.cidr,
      prefix: parseCidr(s.network.cidr)!.prefix,
      interface: s.network.interface ?? DEFAULTS.interface,
      vlan: s.network.vlan,
      gateway: s.network.gateway,
      publicInterface: (s.network.publicInterface ?? DEFAULTS.publicInterface) === "none" ? undefined : (s.network.publicInterface ?? DEFAULTS.publicInterface),
    },
    endpoint: {
      host,
      port,
      controlPlaneEndpoint: `${host}:${port}`,
      url: `https://${host}:${port}`,
      dnsName: ep?.host,
      vip: ep?.vip,
    },
    bindPort,
    loadBalancer,
    virtualRouterId: s.controlPlane?.virtualRouterId ?? DEFAULTS.virtualRouterId,
    host: {
      firewall: hostOpts.firewall ?? DEFAULTS.firewall,
      sshHardening: hostOpts.sshHardening ?? DEFAULTS.sshHardening,
      basePackages,
      ignitionVersion: hostOpts.ignitionVersion ?? DEFAULTS.ignitionVersion,
      editor: hostOpts.editor ?? (basePackages ? "vim" : "unchanged"),
      blockMetadata: hostOpts.blockMetadata ?? cloud !== "none",
    },
    audit: auditModel(s.audit, inputs),
    ingress: ingressModel(s.ingress, nodePortRange),
    etcd: {
      topology: etcdMembers.length ? "external" : "stacked",
      members: etcdMembers.map((n) => n.name),
      endpoints: etcdMembers.map((n) => `https://${n.address}:2379`),
    },
    registry: registryModel(s.registry, lock, s.ingress !== undefined),
    cloud,
    nodes,
    admin: {
      name: s.admin.name,
      uid: s.admin.uid,
      gid: s.admin.gid,
      sshKeys: [...s.admin.sshKeys],
      passwordHash: s.admin.passwordHash,
    },
    pki: {
      keyAlgorithm: pki.keyAlgorithm ?? DEFAULTS.keyAlgorithm,
      caValidityHours: durationHours(pki.caValidity ?? DEFAULTS.caValidity),
      certValidityHours: durationHours(pki.certValidity ?? DEFAULTS.certValidity),
      apiServerExtraSANs: [...(pki.apiServerExtraSANs ?? [])],
      // external-CA mode: nothing in the cluster can sign a kubelet's CSR, so workers get pre-issued credentials
      workerKubelet: pki.workerKubelet ?? (externalCA ? "pre-issued" : DEFAULTS.workerKubelet),
      controlPlaneCertificates: pki.controlPlaneCertificates ?? DEFAULTS.controlPlaneCertificates,
      bootstrapTokenTTLHours: durationHours(pki.bootstrapTokenTTL ?? DEFAULTS.bootstrapTokenTTL),
      renewBeforeHours: durationHours(pki.renewBefore ?? DEFAULTS.renewBefore),
      renewal: pki.renewal ?? DEFAULTS.renewal,
      externalCA,
    },
    users: (s.users ?? []).map((u) => ({ name: u.name, groups: [...(u.groups ?? [])] })),
    join: { method: "token" },
    kubeadm: kubeadmRules(version),
  };
}
