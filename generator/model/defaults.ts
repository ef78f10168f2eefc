/**
 * Every default of the profile in one table, so model/build.ts and the README cannot drift apart.
 */
export const DEFAULTS = {
  clusterName: "kubernetes",
  dnsDomain: "cluster.local",
  podCIDR: "10.244.0.0/16",
  serviceCIDR: "10.96.0.0/12",
  interface: "eth1",
  publicInterface: "eth0",
  apiPort: 6443,
  /** haproxy's port on every control plane when a VIP balancer runs there (seed 001), apart from the apiserver's */
  balancerPort: 8443,
  loadBalancer: "host-services",
  /** keepalived virtual_router_id (seed 001 and kubeadm's HA guide use 51) */
  virtualRouterId: 51,
  keyAlgorithm: "ecdsa-p256",
  caValidity: "87600h",
  certValidity: "8760h",
  workerKubelet: "bootstrap-token",
  /** kubeseed issues every control-plane certificate and kubeconfig (the output tree holds them all) */
  controlPlaneCertificates: "pre-issued",
  bootstrapTokenTTL: "24h",
  /** certificates expiring within this window are renewed on the nodes, re-issued by gen and reported (kubeadm check-expiration warns at 30 days too) */
  renewBefore: "720h",
  /** control planes renew their own certificates (render/renewal/) */
  renewal: "timer",
  nodePortRange: "30000-32767",
  firewall: "none",
  sshHardening: "strict",
  basePackages: false,
  /** the node OS; kubernetesPackages defaults per OS (model/os.ts) */
  os: "debian",
  ignitionVersion: "3.3.0",
  registryMode: "online",
  registryHost: "registry.local",
  registryPrefix: "k8s",
  registryTls: "ca",
  /** the registry's port by its tls (registryPort): HTTPS with the registry CA, plain HTTP when insecure */
  registryPorts: { ca: 443, insecure: 80 },
  architectures: ["amd64"],
  /** the static file server for node packages on the registry host (render/registry/node-packages.ts) */
  packagesPort: 8080,
  packagesPath: "/",
  /** audit log rotation (kube-apiserver --audit-log-max*) */
  auditMaxAgeDays: 30,
  auditMaxBackups: 10,
  auditMaxSizeMB: 100,
  /** ingress-nginx NodePorts when the NodePort range holds them (else the range's first two ports) */
  ingressHttpNodePort: 30080,
  ingressHttpsNodePort: 30443,
  ingressReplicas: 2,
  /** no cloud: no size budget for the first-boot documents, no metadata-service block */
  cloud: "none",
} as const;

/**
 * The defaults by where they apply in a profile (dotted paths), for code that reads the raw, not yet
 * valid document (the semantic rules: profile/rule-context.ts `strOrDefault` / `numOrDefault`) and so
 * cannot lean on the model's defaulted values.
 */
export const DEFAULT_AT: Readonly<Record<string, string | number>> = {
  "spec.network.interface": DEFAULTS.interface,
  "spec.network.publicInterface": DEFAULTS.publicInterface,
  "spec.controlPlane.bindPort": DEFAULTS.apiPort,
  "spec.controlPlane.loadBalancer": DEFAULTS.loadBalancer,
  "spec.controlPlane.endpoint.port": DEFAULTS.balancerPort,
  "spec.pki.keyAlgorithm": DEFAULTS.keyAlgorithm,
  "spec.pki.caValidity": DEFAULTS.caValidity,
  "spec.pki.certValidity": DEFAULTS.certValidity,
  "spec.registry.tls": DEFAULTS.registryTls,
  "spec.registry.packagesPort": DEFAULTS.packagesPort,
  "spec.host.os": DEFAULTS.os,
  "spec.kubernetes.nodePortRange": DEFAULTS.nodePortRange,
};

/** The registry's port when the profile names none: 443 with TLS from the registry CA, 80 for plain HTTP. */
export function registryPort(tls: keyof typeof DEFAULTS.registryPorts): number {
  return DEFAULTS.registryPorts[tls];
}

/** "8760h" or "365d" → hours. Input was checked by the profile schema. */
export function durationHours(text: string): number {
  const n = Number(text.slice(0, -1));
  return text.endsWith("d") ? n * 24 : n;
}
