/**
 * The written profile, format `kubeseed/v1`: the single source of truth for its shape.
 * schemas/profile.schema.json is generated from this file (`gen schema`), and a test pins it.
 * Guarantees: only structure and per-field syntax live here; cross-field rules (unique names,
 * addresses inside the node CIDR, …) are named functions in rules.ts. Integer ranges (RANGES) are
 * checked here so editors show them through the JSON Schema. Defaults are NOT applied here: model/
 * decides every default in one place. All texts come from core/messages.ts.
 */
import { z } from "zod";
import { CLOUD_IDS } from "../model/clouds.js";
import { messages } from "../core/messages.js";
import { PGP_ARMOR } from "./openpgp.js";
import { CRYPT_HASH, DNS_LABEL_LENGTHS, INTERFACE_NAME, LABEL_VALUE, QUALIFIED_NAME, QUALIFIED_NAME_LENGTHS, RBAC_GROUP, RFC1123_LABEL, RFC1123_SUBDOMAIN } from "./syntax.js";

const F = messages.profile.format;

export const PROFILE_API_VERSION = "kubeseed/v1";
export const PROFILE_KIND = "ClusterProfile";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const CIDR4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;
const K8S_VERSION = /^v\d+\.\d+\.\d+$/;
const DURATION = /^\d+(h|d)$/;

const name = z
  .string()
  .max(63)
  .regex(RFC1123_LABEL, { message: F.rfc1123Label });
const dnsName = z
  .string()
  .max(253)
  .regex(RFC1123_SUBDOMAIN, { message: F.dnsName })
  .regex(DNS_LABEL_LENGTHS, { message: F.dnsLabelLength });
const ipv4 = z.string().regex(IPV4, { message: F.ipv4 });
const cidr = z.string().regex(CIDR4, { message: F.cidr });
/** Integer ranges checked by the schema (and so shown by editors through the JSON Schema). */
export const RANGES = {
  id: [1000, 60000],
  vlan: [1, 4094],
  port: [1, 65535],
  vrid: [1, 255],
} as const satisfies Record<string, readonly [number, number]>;
const intIn = ([lo, hi]: readonly [number, number]) => z.number().int().min(lo).max(hi);
const duration = z.string().regex(DURATION, { message: F.duration });

/** Kubernetes qualified name (label and taint keys) and label value (label and taint values). */
const qualifiedName = z.string().min(1).max(317).regex(QUALIFIED_NAME, { message: F.labelKey }).regex(QUALIFIED_NAME_LENGTHS, { message: F.labelKey });
const labelValue = z.string().max(63).regex(LABEL_VALUE, { message: F.labelValue });
const interfaceName = z.string().regex(INTERFACE_NAME, { message: F.interface });

export const labelsSchema = z.record(qualifiedName, labelValue);

export const taintSchema = z.strictObject({
  key: qualifiedName.describe("taint key, e.g. node-role.kubernetes.io/control-plane"),
  value: labelValue.optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

/** The node operating systems: Debian is provisioned by cloud-init, the others by Ignition. */
export const nodeOses = ["debian", "fedora-coreos", "flatcar"] as const;
export const ignitionVersions = ["3.3.0", "3.4.0"] as const;

export const nodeSchema = z.strictObject({
  name: name.describe("host name of the node (RFC 1123 label), also its Kubernetes node name"),
  role: z
    .enum(["control-plane", "worker", "etcd"])
    .describe("control-plane, worker or etcd (a dedicated etcd member: the external etcd topology); the first control plane runs kubeadm init"),
  address: ipv4.describe("private address on the node network; all cluster traffic binds to it"),
  publicAddress: ipv4.optional().describe("optional public address (added to the apiserver SANs of control-plane nodes)"),
  labels: labelsSchema.optional().describe("node labels"),
  taints: z.array(taintSchema).optional().describe("node taints"),
  os: z.enum(nodeOses).optional().describe("this node's operating system, overriding spec.host.os"),
});

export const adminSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, { message: F.posixUser })
    .describe("cluster admin user, identical on every node"),
  uid: intIn(RANGES.id).describe("uid, 1000–60000, identical on every node"),
  gid: intIn(RANGES.id).describe("gid, 1000–60000, identical on every node"),
  sshKeys: z.array(z.string()).min(1).describe("SSH public keys (authorized_keys lines)"),
  passwordHash: z.string().regex(CRYPT_HASH, { message: F.cryptHash }).optional().describe("crypt(3) hash; without it the password stays locked"),
});

export const keyAlgorithms = ["ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096"] as const;

export const pkiSchema = z.strictObject({
  keyAlgorithm: z.enum(keyAlgorithms).optional().describe("key algorithm of every key (default ecdsa-p256)"),
  caValidity: duration.optional().describe("CA validity (default 87600h = 10 years)"),
  certValidity: duration.optional().describe("leaf certificate validity (default 8760h = 1 year)"),
  apiServerExtraSANs: z.array(z.string()).optional().describe("extra DNS names or IPs for every apiserver certificate"),
  workerKubelet: z
    .enum(["bootstrap-token", "pre-issued"])
    .optional()
    .describe("worker kubelet credentials: TLS bootstrap with the token (default) or pre-issued system:node:NAME certificates"),
  controlPlaneCertificates: z
    .enum(["pre-issued", "on-node"])
    .optional()
    .describe("control-plane certificates and kubeconfigs: pre-issued by kubeseed (default; the output tree holds every one) or issued on each control plane by kubeadm from the shipped CAs (on-node: smaller first-boot documents, as kubeadm's own join does; the operator's kubeconfigs stay pre-issued)"),
  bootstrapTokenTTL: duration.optional().describe("bootstrap token TTL (default 24h)"),
  renewal: z
    .enum(["timer", "none"])
    .optional()
    .describe("timer (default): every control plane renews its certificates before they expire (kubeseed-renew-certs.timer); none: nothing renews them on the nodes (gen re-issues them into the output, the operator pushes them)"),
  renewBefore: duration
    .optional()
    .describe("renewal window: a certificate expiring within it is renewed on the control planes (kubeseed-renew-certs.timer), re-issued by gen, and reported by gen certs check (default 720h = 30 days)"),
  externalCA: z
    .boolean()
    .optional()
    .describe("kubeadm's external-CA mode: no CA key on any node; kubeseed pre-issues every certificate and kubeconfig, workers need pre-issued kubelet credentials (default false)"),
});

/** kube-apiserver audit logging (seed 001); present = on. */
export const auditSchema = z.strictObject({
  policyFile: z
    .string()
    .min(1)
    .optional()
    .describe("your own audit.k8s.io/v1 Policy file, relative to the profile; default: kubeseed's policy (Metadata for most requests, no bodies of Secrets or tokens, RequestResponse for RBAC changes)"),
  maxAge: z.number().int().min(1).max(3650).optional().describe("days a rotated audit log is kept (--audit-log-maxage, default 30)"),
  maxBackups: z.number().int().min(1).max(1000).optional().describe("rotated audit log files kept (--audit-log-maxbackup, default 10)"),
  maxSize: z.number().int().min(1).max(10240).optional().describe("megabytes before the audit log is rotated (--audit-log-maxsize, default 100)"),
});

/** ingress-nginx on fixed NodePorts (seeds 000 and 001); present = on. */
export const ingressSchema = z.strictObject({
  controller: z.enum(["ingress-nginx"]).optional().describe("the ingress controller (ingress-nginx, the only one)"),
  httpNodePort: intIn(RANGES.port).optional().describe("NodePort of HTTP, inside the NodePort range (default 30080 when the range holds it, else its first port)"),
  httpsNodePort: intIn(RANGES.port).optional().describe("NodePort of HTTPS, inside the NodePort range (default 30443 when the range holds it, else its second port)"),
  replicas: z.number().int().min(1).max(100).optional().describe("controller replicas (default 2)"),
});

export const rbacUserSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9._@]*[a-z0-9])?$/, { message: F.rbacUser }).describe("user name, written as the certificate's CN"),
  groups: z.array(z.string().regex(RBAC_GROUP, { message: F.rbacGroup })).optional().describe("groups, written as the certificate's O"),
});

export const registrySchema = z.strictObject({
  mode: z.enum(["online", "airgap"]).optional().describe("online (default: images from their upstream registries) or airgap (every image from this registry)"),
  host: dnsName.optional().describe("registry host name (default registry.local), added to every node's /etc/hosts"),
  address: ipv4.optional().describe("the registry host's address (required in airgap mode)"),
  port: intIn(RANGES.port).optional().describe("registry port (default 443 with TLS, 80 insecure)"),
  prefix: z
    .string()
    .regex(/^([a-z0-9]+([._-][a-z0-9]+)*)(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, { message: F.registryPrefix })
    .optional()
    .describe("repository path prefix in the registry (default k8s; platform prefixes such as k8s-p10 work too)"),
  tls: z.enum(["ca", "insecure"]).optional().describe("ca (default: a registry CA in the secrets file issues the registry's certificate) or insecure (plain HTTP, as ALT does)"),
  architectures: z.array(z.enum(["amd64", "arm64", "ppc64le", "s390x"])).min(1).optional().describe("image architectures to mirror (default [amd64])"),
  addons: z.array(z.enum(["ingress-nginx"])).optional().describe("optional add-ons whose images are mirrored too"),
  packagesPort: intIn(RANGES.port)
    .optional()
    .describe("port of the static HTTP file server on the registry host that serves node packages to air-gapped nodes (files.json; default 8080)"),
  packagesPath: z
    .string()
    .regex(/^\/([A-Za-z0-9._~-]+\/)*$/, { message: F.urlPath })
    .optional()
    .describe("URL path where that server serves the tree mirror.sh push-packages writes (default /): the flat apt repository is <path>debs/, Ignition downloads <path>files/"),
  packagesKey: z
    .string()
    .regex(PGP_ARMOR, { message: F.pgpPublicKey })
    .optional()
    .describe("ASCII-armored OpenPGP public key that signs the flat apt repository (mirror.sh SIGN_BY); without it nodes trust the repository unsigned ([trusted=yes])"),
  signatures: z
    .strictObject({
      lookaside: z.string().regex(/^(https?|file):\/\/\S+$/, { message: F.url }).describe("where signatures are read (registries.d lookaside), e.g. http://sigstore.local:81/sigstore/"),
      keyPath: z.string().regex(/^\/\S+$/, { message: F.absolutePath }).describe("the GPG public key that must have signed every image, on the podman/CRI-O host"),
    })
    .optional()
    .describe("require GPG-signed images from the registry (signatures served by sigstore.local) on podman/CRI-O hosts"),
});

export const specSchema = z.strictObject({
  kubernetes: z
    .strictObject({
      version: z.string().regex(K8S_VERSION, { message: F.version }).describe("exact Kubernetes version, e.g. v1.31.4"),
      clusterName: name.optional().describe("default kubernetes"),
      dnsDomain: dnsName.optional().describe("cluster DNS domain (default cluster.local)"),
      podCIDR: cidr.optional().describe("default 10.244.0.0/16 (flannel)"),
      serviceCIDR: cidr.optional().describe("default 10.96.0.0/12"),
      nodePortRange: z
        .string()
        .regex(/^\d{1,5}-\d{1,5}$/, { message: F.portRange })
        .optional()
        .describe("NodePort range (default 30000-32767; e.g. 30001-30099)"),
    })
    .describe("Kubernetes version and cluster-wide settings"),
  network: z
    .strictObject({
      cidr: cidr.describe("private node network, e.g. 192.168.1.0/24"),
      interface: interfaceName.optional().describe("private NIC (default eth1)"),
      vlan: intIn(RANGES.vlan).optional().describe("optional 802.1Q VLAN id on the private NIC (1–4094)"),
      gateway: ipv4.optional().describe("optional gateway of the node network"),
      publicInterface: interfaceName
        .optional()
        .describe("the NIC that keeps DHCP (default eth0); \"none\" when the node has only the private network"),
    })
    .describe("the private node network"),
  controlPlane: z
    .strictObject({
      endpoint: z
        .strictObject({
          host: dnsName.optional().describe("DNS name of the API endpoint"),
          vip: ipv4.optional().describe("virtual IP of the API endpoint"),
          port: intIn(RANGES.port).optional().describe("endpoint port (default 8443 when keepalived + haproxy serve the VIP, else the bindPort)"),
        })
        .optional()
        .describe("shared API endpoint, required with more than one control-plane node"),
      bindPort: intIn(RANGES.port).optional().describe("kube-apiserver bind port on each node (default 6443)"),
      loadBalancer: z
        .enum(["static-pods", "host-services", "none"])
        .optional()
        .describe("keepalived + haproxy on the control planes for the VIP: host-services (Debian packages, default with a VIP and 2+ control planes), static-pods (kubelet-run pods), or none (an external load balancer serves the endpoint)"),
      virtualRouterId: intIn(RANGES.vrid).optional().describe("keepalived VRRP virtual_router_id, unique per VIP on the network (default 51)"),
    })
    .optional()
    .describe("API endpoint and apiserver port"),
  nodes: z.array(nodeSchema).min(1).describe("every node of the cluster"),
  admin: adminSchema.describe("the cluster admin user, identical on every node"),
  pki: pkiSchema.optional().describe("key algorithm, validities and SANs of the generated PKI"),
  users: z.array(rbacUserSchema).optional().describe("RBAC users that get their own kubeconfig"),
  host: z
    .strictObject({
      firewall: z.enum(["none", "nftables"]).optional().describe("node firewall: none (default) or nftables (SSH, the Kubernetes ports and NodePorts open, the rest dropped)"),
      sshHardening: z
        .enum(["strict", "relaxed"])
        .optional()
        .describe("sshd drop-in: strict (public keys only, ed25519 only, IPv4 only, default) or relaxed (public keys only, distribution algorithms)"),
      basePackages: z.boolean().optional().describe("install the base admin package list (htop, curl, git, jq, vim, …) with --no-install-recommends (default false)"),
      upgrade: z
        .boolean()
        .optional()
        .describe("apt-get upgrade on first boot (default true on Debian nodes that install packages, false with kubernetesPackages: preinstalled)"),
      editor: z
        .enum(["vim", "unchanged"])
        .optional()
        .describe("vim: install vim, purge nano and make vim.basic the editor alternative (default with basePackages); unchanged: leave the image's editor"),
      blockMetadata: z
        .boolean()
        .optional()
        .describe("drop pod traffic to the cloud metadata service 169.254.169.254 in the node firewall table (default true when spec.cloud is set)"),
      kubernetesPackages: z
        .enum(["apt", "download", "preinstalled"])
        .optional()
        .describe("apt: containerd from Debian and kubeadm, kubelet, kubectl from the upstream apt repository of the minor (default on Debian); download: the upstream release binaries as Ignition remote files, hashes from NAME.files.lock.json (default on Fedora CoreOS and Flatcar); preinstalled: the image has them all"),
      os: z.enum(nodeOses).optional().describe("operating system of every node (default debian: cloud-init); fedora-coreos and flatcar get an Ignition config"),
      ignitionVersion: z.enum(ignitionVersions).optional().describe("Ignition spec version of the Ignition configs (default 3.3.0; 3.4.0 needs Ignition 2.15 or later)"),
    })
    .optional()
    .describe("how every node's operating system is prepared"),
  registry: registrySchema.optional().describe("where nodes pull images from: upstream (online) or an air-gapped registry.local"),
  audit: auditSchema.optional().describe("kube-apiserver audit log on every control plane; off without this key"),
  ingress: ingressSchema.optional().describe("ingress-nginx on fixed NodePorts and an haproxy config for an external load balancer (seeds 000 and 001); off without this key"),
  cloud: z.enum(CLOUD_IDS).optional().describe("where user-data is uploaded, for its size limit: none (default), aws, hetzner, azure, digitalocean, openstack, gcp"),
});

export const profileSchema = z
  .strictObject({
    apiVersion: z.literal(PROFILE_API_VERSION).describe("format of this file"),
    kind: z.literal(PROFILE_KIND),
    metadata: z.strictObject({ name: name.describe("cluster profile name") }).describe("the profile's name"),
    extends: z.string().optional().describe("path of a base profile, relative to this file; deep merge, lists replace"),
    spec: specSchema.describe("the cluster"),
  })
  .describe("kubeseed cluster profile");

export type ProfileInput = z.infer<typeof profileSchema>;
export type NodeInput = z.infer<typeof nodeSchema>;
export type KeyAlgorithm = (typeof keyAlgorithms)[number];
export type NodeOs = (typeof nodeOses)[number];
