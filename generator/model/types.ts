/**
 * ClusterModel: the validated profile with every default applied and every derived value decided.
 * Later stages read only this (never the raw profile).
 */
import type { KeyAlgorithm } from "../profile/schema.js";
import type { CloudId } from "./clouds.js";
import type { KubernetesPackages, NodeOs } from "./os.js";

/** etcd: a dedicated etcd member of the external etcd topology (seed 003), not a Kubernetes node */
export type Role = "control-plane" | "worker" | "etcd";

export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface NodeModel {
  name: string;
  role: Role;
  /** the first control-plane node in profile order runs `kubeadm init` */
  init: boolean;
  address: string;
  publicAddress?: string;
  labels: Record<string, string>;
  /** the profile's taints; undefined when the profile gives none (a control plane then gets kubeadm's
   * default taint), [] when it says `taints: []` (an untainted control plane that schedules work) */
  taints?: Taint[];
  /** the node's operating system (nodes[].os, else spec.host.os); decides cloud-init or Ignition (model/os.ts) */
  os: NodeOs;
  /** how kubeadm, kubelet and kubectl get onto this node (spec.host.kubernetesPackages, else the OS default) */
  kubernetesPackages: KubernetesPackages;
  /** apt-get upgrade on first boot (cloud-init nodes only) */
  upgrade: boolean;
}

export interface KubernetesVersion {
  /** e.g. "v1.31.4" */
  full: string;
  major: number;
  minor: number;
  patch: number;
}

export interface ClusterModel {
  name: string;
  kubernetes: {
    version: KubernetesVersion;
    clusterName: string;
    dnsDomain: string;
    podCIDR: string;
    serviceCIDR: string;
    /** first address of the service CIDR (the `kubernetes` Service) */
    apiServiceIP: string;
    /** tenth address of the service CIDR (kube-dns), as kubeadm */
    dnsServiceIP: string;
    nodePortRange: { from: number; to: number };
  };
  network: {
    cidr: string;
    /** prefix length of the node network, for addresses written as a.b.c.d/prefix */
    prefix: number;
    interface: string;
    vlan?: number;
    gateway?: string;
    /** the NIC left on DHCP (public or uplink); undefined when the node has only the private network */
    publicInterface?: string;
  };
  endpoint: {
    /** host part of controlPlaneEndpoint (DNS name, else VIP, else the init node's address) */
    host: string;
    port: number;
    /** `host:port` as kubeadm's controlPlaneEndpoint */
    controlPlaneEndpoint: string;
    /** https://host:port */
    url: string;
    dnsName?: string;
    vip?: string;
  };
  bindPort: number;
  /** keepalived + haproxy for the VIP; "none" without a VIP or when an external balancer is used */
  loadBalancer: "static-pods" | "host-services" | "none";
  /** keepalived's VRRP virtual_router_id, unique per VIP on the same network */
  virtualRouterId: number;
  host: {
    firewall: "none" | "nftables";
    sshHardening: "strict" | "relaxed";
    basePackages: boolean;
    /** Ignition spec version of every Ignition config */
    ignitionVersion: "3.3.0" | "3.4.0";
    /** vim as the editor alternative and nano purged (seed 000), or the image's editor left alone */
    editor: "vim" | "unchanged";
    /** pods may not reach the cloud metadata service (a forward rule in the firewall table) */
    blockMetadata: boolean;
  };
  /** kube-apiserver audit logging on the control planes; undefined = off */
  audit?: AuditModel;
  /** ingress-nginx on fixed NodePorts; undefined = no ingress controller */
  ingress?: IngressModel;
  /** stacked: kubeadm's etcd on every control plane; external: the `etcd` nodes, named in profile order,
   * and their client URLs (https://ADDRESS:2379) */
  etcd: { topology: "stacked" | "external"; members: string[]; endpoints: string[] };
  registry: RegistryModel;
  /** where user-data goes, for its size limit (model/clouds.ts) */
  cloud: CloudId;
  nodes: NodeModel[];
  admin: { name: string; uid: number; gid: number; sshKeys: string[]; passwordHash?: string };
  pki: {
    keyAlgorithm: KeyAlgorithm;
    caValidityHours: number;
    certValidityHours: number;
    apiServerExtraSANs: string[];
    workerKubelet: "bootstrap-token" | "pre-issued";
    /** pre-issued: every control-plane leaf and kubeconfig comes from kubeseed; on-node: kubeadm issues them on the node from the shipped CAs */
    controlPlaneCertificates: "pre-issued" | "on-node";
    bootstrapTokenTTLHours: number;
    /** renewal window: certificates expiring within it are renewed (nodes), re-issued (gen) and reported */
    renewBeforeHours: number;
    /** timer: control planes renew their own certificates (kubeseed-renew-certs.timer); none: they do not */
    renewal: "timer" | "none";
    /** kubeadm's external-CA mode: CA certificates only on the nodes, never a CA key */
    externalCA: boolean;
  };
  users: { name: string; groups: string[] }[];
  /**
   * How the nodes other than the init node join: with the profile's bootstrap token, or — once that token
   * may have expired — with a pre-issued node credential (bundle/join-policy.ts decides it from the secrets
   * file and the clock; buildModel starts with "token").
   */
  join: JoinPolicy;
  /**
   * The step of a cluster-CA rotation in progress (pki/rotation.ts, set from the rotation file next to the
   * secrets file; absent otherwise): "trust-both" makes every trust file and kubeconfig carry both CAs.
   */
  caRotation?: "trust-both";
  /** version-dependent kubeadm behaviour, decided here once */
  kubeadm: {
    /** kubeadm.k8s.io/v1beta3 below 1.31, v1beta4 from 1.31 */
    configApiVersion: "kubeadm.k8s.io/v1beta3" | "kubeadm.k8s.io/v1beta4";
    /** 1.29+: admin.conf in kubeadm:cluster-admins and a separate super-admin.conf */
    superAdmin: boolean;
    adminGroup: string;
    /** O of apiserver-kubelet-client */
    apiserverKubeletClientGroup?: string;
    /** O of etcd/healthcheck-client and apiserver-etcd-client (system:masters before 1.29) */
    etcdClientGroup?: string;
    /** 1.33+: a control plane's kubelet.conf points at its own apiserver (ControlPlaneKubeletLocalMode) */
    controlPlaneKubeletLocal: boolean;
  };
}

/** Where nodes pull images from (spec.registry; "online" when the profile has none). */
export interface RegistryModel {
  mode: "online" | "airgap";
  host: string;
  address?: string;
  port: number;
  prefix: string;
  tls: "ca" | "insecure";
  /** host, or host:port when the port is not the scheme's default: how image references name it */
  authority: string;
  /** authority/prefix: kubeadm's imageRepository and the root of every mirrored image */
  repository: string;
  /** https://authority or http://authority */
  url: string;
  architectures: string[];
  addons: string[];
  /** source reference → sha256 digest, from images.lock.json next to the profile */
  digests: Record<string, string>;
  /** podman/CRI-O hosts require images signed by this key, signatures read from lookaside */
  signatures?: { lookaside: string; keyPath: string };
  /** the static HTTP file server on the registry host that serves node packages (airgap mode) */
  packages: PackageServer;
}

/** Where air-gapped nodes fetch packages: mirror.sh push-packages fills it (render/registry/node-packages.ts). */
export interface PackageServer {
  port: number;
  /** URL path of the tree, "/" or "/a/b/" */
  path: string;
  /** http://host[:port]/path: by the registry's name, which every node's /etc/hosts maps */
  url: string;
  /** http://address[:port]/path: for Ignition, which fetches in the initramfs before /etc/hosts exists */
  addressUrl?: string;
  /** ASCII-armored OpenPGP key that signs the flat apt repository; unsigned ([trusted=yes]) without */
  key?: string;
}

/** See ClusterModel.join. */
export interface JoinPolicy {
  method: "token" | "credential";
  /** the earliest moment the profile's token can have expired (ISO 8601), when method is "credential" */
  tokenExpiredAt?: string;
}

/** The audit policy and log rotation of kube-apiserver (render/kubeadm/audit.ts). */
export interface AuditModel {
  /** kubeseed's default policy, or the text of the profile's policyFile (read and checked by io/ and profile/) */
  policy: { source: "default" } | { source: "file"; file: string; text: string };
  maxAgeDays: number;
  maxBackups: number;
  maxSizeMB: number;
}

/** ingress-nginx, applied by the init node's bootstrap (render/addons/ingress-nginx.ts). */
export interface IngressModel {
  controller: "ingress-nginx";
  httpNodePort: number;
  httpsNodePort: number;
  replicas: number;
}
