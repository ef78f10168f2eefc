/**
 * Test fixture: the field names of kubeadm's config API, transcribed by hand from
 * k8s.io/kubernetes cmd/kubeadm/app/apis/kubeadm/v1beta3/types.go (commit 428c3fe9, v1.30 line) and
 * v1beta4/types.go (commit 13299357, v1.31 line; ECDSA-P384 added in 1.34), bootstrap tokens from
 * cmd/kubeadm/app/apis/bootstraptoken/v1/types.go, taints from k8s.io/api core/v1 Taint.
 * KubeletConfiguration / KubeProxyConfiguration are a SUBSET (only the fields kubeseed writes,
 * checked against staging/src/k8s.io/{kubelet,kube-proxy}/config/.../types.go).
 * A tree: `true` = a scalar, list of scalars or free-form map; an object = the allowed keys (applied
 * to each element of a list). checkFields reports every key that is not allowed, with its path.
 */
export type Fields = { [key: string]: Fields | true };

const T = true as const;
const apiEndpoint: Fields = { advertiseAddress: T, bindPort: T };
const taint: Fields = { key: T, value: T, effect: T, timeAdded: T };
const bootstrapToken: Fields = { token: T, description: T, ttl: T, expires: T, usages: T, groups: T };
const patches: Fields = { directory: T };
const hostPathMount: Fields = { name: T, hostPath: T, mountPath: T, readOnly: T, pathType: T };
const networking: Fields = { serviceSubnet: T, podSubnet: T, dnsDomain: T };
const externalEtcd: Fields = { endpoints: T, caFile: T, certFile: T, keyFile: T };
const typeMeta: Fields = { apiVersion: T, kind: T };

// --- v1beta3 (maps for extra args) ---
const nodeRegistrationV3: Fields = { name: T, criSocket: T, taints: taint, kubeletExtraArgs: T, ignorePreflightErrors: T, imagePullPolicy: T };
const componentV3: Fields = { extraArgs: T, extraVolumes: hostPathMount };
const discoveryV4: Fields = {
  bootstrapToken: { token: T, apiServerEndpoint: T, caCertHashes: T, unsafeSkipCAVerification: T },
  file: { kubeConfigPath: T },
  tlsBootstrapToken: T,
};
/** v1beta3 Discovery also has `timeout` (v1beta4 moved it to timeouts.discovery). */
const discoveryV3: Fields = { ...discoveryV4, timeout: T };

const V1BETA3: Record<string, Fields> = {
  InitConfiguration: { ...typeMeta, bootstrapTokens: bootstrapToken, nodeRegistration: nodeRegistrationV3, localAPIEndpoint: apiEndpoint, certificateKey: T, skipPhases: T, patches },
  ClusterConfiguration: {
    ...typeMeta,
    etcd: { local: { imageRepository: T, imageTag: T, dataDir: T, extraArgs: T, serverCertSANs: T, peerCertSANs: T }, external: externalEtcd },
    networking,
    kubernetesVersion: T,
    controlPlaneEndpoint: T,
    apiServer: { ...componentV3, certSANs: T, timeoutForControlPlane: T },
    controllerManager: componentV3,
    scheduler: componentV3,
    dns: { imageRepository: T, imageTag: T },
    certificatesDir: T,
    imageRepository: T,
    featureGates: T,
    clusterName: T,
  },
  JoinConfiguration: {
    ...typeMeta,
    nodeRegistration: nodeRegistrationV3,
    caCertPath: T,
    discovery: discoveryV3,
    controlPlane: { localAPIEndpoint: apiEndpoint, certificateKey: T },
    skipPhases: T,
    patches,
  },
};

// --- v1beta4 ([]Arg {name, value} for extra args, extraEnvs, timeouts) ---
const arg: Fields = { name: T, value: T };
const envVar: Fields = { name: T, value: T, valueFrom: T };
const nodeRegistrationV4: Fields = { ...nodeRegistrationV3, kubeletExtraArgs: arg, imagePullSerial: T };
const componentV4: Fields = { extraArgs: arg, extraVolumes: hostPathMount, extraEnvs: envVar };
const timeouts: Fields = {
  controlPlaneComponentHealthCheck: T,
  kubeletHealthCheck: T,
  kubernetesAPICall: T,
  etcdAPICall: T,
  tlsBootstrap: T,
  discovery: T,
  upgradeManifests: T,
};

const V1BETA4: Record<string, Fields> = {
  InitConfiguration: { ...V1BETA3.InitConfiguration, dryRun: T, nodeRegistration: nodeRegistrationV4, timeouts },
  ClusterConfiguration: {
    ...typeMeta,
    etcd: {
      local: { imageRepository: T, imageTag: T, dataDir: T, extraArgs: arg, extraEnvs: envVar, serverCertSANs: T, peerCertSANs: T },
      external: externalEtcd,
    },
    networking,
    kubernetesVersion: T,
    controlPlaneEndpoint: T,
    apiServer: { ...componentV4, certSANs: T },
    controllerManager: componentV4,
    scheduler: componentV4,
    dns: { imageRepository: T, imageTag: T, disabled: T },
    proxy: { disabled: T },
    certificatesDir: T,
    imageRepository: T,
    featureGates: T,
    clusterName: T,
    encryptionAlgorithm: T,
    certificateValidityPeriod: T,
    caCertificateValidityPeriod: T,
  },
  JoinConfiguration: {
    ...typeMeta,
    dryRun: T,
    nodeRegistration: nodeRegistrationV4,
    caCertPath: T,
    discovery: discoveryV4,
    controlPlane: { localAPIEndpoint: apiEndpoint, certificateKey: T },
    skipPhases: T,
    patches,
    timeouts,
  },
};

const COMPONENTS: Record<string, Record<string, Fields>> = {
  "kubelet.config.k8s.io/v1beta1": {
    KubeletConfiguration: { ...typeMeta, cgroupDriver: T, clusterDNS: T, clusterDomain: T, rotateCertificates: T, serverTLSBootstrap: T },
  },
  "kubeproxy.config.k8s.io/v1alpha1": { KubeProxyConfiguration: { ...typeMeta, clusterCIDR: T, mode: T } },
};

export const SCHEMAS: Record<string, Record<string, Fields>> = {
  "kubeadm.k8s.io/v1beta3": V1BETA3,
  "kubeadm.k8s.io/v1beta4": V1BETA4,
  ...COMPONENTS,
};

/** v1beta4 EncryptionAlgorithmType values (ECDSA-P384 only from kubeadm 1.34). */
export const ENCRYPTION_ALGORITHMS = ["RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256", "ECDSA-P384"];

function walk(value: unknown, fields: Fields | true, path: string, out: string[]): void {
  if (fields === true || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, fields, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== "object") {
    out.push(`${path}: expected a mapping`);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const sub = fields[k];
    if (sub === undefined) out.push(`${path}.${k}: unknown field`);
    else walk(v, sub, `${path}.${k}`, out);
  }
}

/** Every problem of one parsed document: unknown apiVersion/kind or a field types.go does not have. */
export function checkFields(doc: Record<string, unknown>): string[] {
  const kind = String(doc.kind);
  const schema = SCHEMAS[String(doc.apiVersion)]?.[kind];
  if (!schema) return [`${doc.apiVersion} ${kind}: unknown apiVersion/kind`];
  const out: string[] = [];
  walk(doc, schema, kind, out);
  return out;
}
