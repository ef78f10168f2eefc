/**
 * renderKubeadmConfig: /etc/kubernetes/kubeadm/config.yaml of one node, a multi-document YAML file
 * (generated header first, documents separated by `---`):
 * - the init node: InitConfiguration, ClusterConfiguration, KubeletConfiguration, KubeProxyConfiguration;
 * - other control planes: JoinConfiguration with controlPlane.localAPIEndpoint and no certificateKey;
 * - workers: JoinConfiguration with bootstrap-token discovery pinned by caCertHashes;
 * - etcd members: the config of `kubeadm init phase etcd local` (etcd-member.ts).
 * apiVersion kubeadm.k8s.io/v1beta3 below 1.31, v1beta4 from 1.31 (model.kubeadm.configApiVersion).
 *
 * INIT with the pre-made PKI on disk generates nothing it finds: the certs phase uses an existing CA
 * pair as is and keeps an existing leaf after checking its key, its chain to the CA and every required
 * SAN (cmd/kubeadm/app/phases/certs/certs.go validateCertificateWithConfig, see sans.ts); an expired
 * leaf only warns (CheckCertificatePeriodValidity). The kubeconfig phase keeps an existing admin/
 * super-admin/kubelet/controller-manager/scheduler .conf when its CA data equals ca.crt and only warns
 * when its server URL differs (cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go validateKubeConfig:
 * "exists already but has an unexpected API Server URL"). Init preflight refuses only kubeadm's own
 * static Pod manifests and a non-empty etcd data dir (cmd/kubeadm/app/preflight/checks.go
 * InitNodeChecks), so no preflight error needs ignoring on the init node.
 *
 * JOIN --control-plane without a certificateKey downloads nothing but requires the shared certificates
 * on disk (cmd/kubeadm/app/cmd/phases/join/preflight.go checkIfReadyForAdditionalControlPlane →
 * certs.SharedCertificateExists: ca, sa, front-proxy-ca, etcd/ca) and a non-empty
 * controlPlaneEndpoint, then reuses every valid pre-placed leaf and kubeconfig exactly as init does
 * (admin.conf, controller-manager.conf, scheduler.conf: the CA must match, another server URL warns).
 * Every join refuses existing files in preflight (checks.go JoinNodeChecks):
 * FileAvailable--etc-kubernetes-kubelet.conf and FileAvailable--etc-kubernetes-bootstrap-kubelet.conf,
 * and for workers (controlPlane == nil) FileAvailable--etc-kubernetes-pki-ca.crt. kubeadm writes
 * bootstrap-kubelet.conf itself and deletes it afterwards, writes ca.crt only when absent, and the
 * kubelet writes kubelet.conf after its TLS bootstrap (cmd/kubeadm/app/cmd/phases/join/kubelet.go).
 * So the plan must not place kubelet.conf or bootstrap-kubelet.conf on joining nodes, nor ca.crt on
 * workers; then no preflight error has to be ignored, and none is rendered here.
 *
 * Guarantees: pure and deterministic (apiVersion, kind, then the types.go field order); never renders
 * a certificate key or an unpinned discovery. The file holds the bootstrap token: it is sensitive.
 * Not checked here with `kubeadm config validate` (that belongs to the real-consumer suite).
 */
import type { NodeRenderInput } from "../node-input.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { toYaml } from "../yaml.js";
import { clusterConfiguration, kubeletConfiguration, kubeProxyConfiguration } from "./cluster.js";
import { hours, nodeRegistration, type Doc } from "./common.js";
import { DISCOVERY_KUBECONFIG } from "../../plan/kubeconfigs.js";
import { etcdMemberDocuments } from "./etcd-member.js";
import { isControlPlane } from "../../model/roles.js";

/** kubeadm's default token group (cmd/kubeadm/app/constants NodeBootstrapTokenAuthGroup). */
const BOOTSTRAP_TOKEN_GROUP = "system:bootstrappers:kubeadm:default-node-token";

/** InitConfiguration: the join token (created by init), registration, and this API server's endpoint. */
function initConfiguration(input: NodeRenderInput): Doc {
  const { model, node, join } = input;
  return {
    apiVersion: model.kubeadm.configApiVersion,
    kind: "InitConfiguration",
    bootstrapTokens: [
      {
        token: join.token,
        ttl: hours(model.pki.bootstrapTokenTTLHours),
        usages: ["signing", "authentication"],
        groups: [BOOTSTRAP_TOKEN_GROUP],
      },
    ],
    nodeRegistration: nodeRegistration(input),
    localAPIEndpoint: { advertiseAddress: node.address, bindPort: model.bindPort },
  };
}

/**
 * discovery: pinned token discovery and TLS bootstrap with the same token; or, once the token may have
 * expired (model.join, bundle/join-policy.ts), file discovery with the node's pre-issued credential,
 * which kubeadm also hands to the kubelet for its TLS bootstrap (no tlsBootstrapToken: kubeadm
 * cmd/kubeadm/app/discovery/discovery.go For uses the file's own credentials when none is given).
 */
function discovery(input: NodeRenderInput): Doc {
  const { model, join } = input;
  if (model.join.method === "credential") return { file: { kubeConfigPath: DISCOVERY_KUBECONFIG } };
  return {
    bootstrapToken: {
      token: join.token,
      apiServerEndpoint: model.endpoint.controlPlaneEndpoint,
      caCertHashes: [join.caCertHash, ...(join.rotatingCaCertHash ? [join.rotatingCaCertHash] : [])],
    },
    tlsBootstrapToken: join.token,
  };
}

/** JoinConfiguration: discovery, and for control planes the local endpoint. */
function joinConfiguration(input: NodeRenderInput): Doc {
  const { model, node } = input;
  const doc: Doc = {
    apiVersion: model.kubeadm.configApiVersion,
    kind: "JoinConfiguration",
    nodeRegistration: nodeRegistration(input),
    discovery: discovery(input),
  };
  if (isControlPlane(node)) {
    doc.controlPlane = { localAPIEndpoint: { advertiseAddress: node.address, bindPort: model.bindPort } };
  }
  return doc;
}

/** The documents of the node's config, in file order. */
export function kubeadmDocuments(input: NodeRenderInput): Doc[] {
  if (input.node.role === "etcd") return etcdMemberDocuments(input);
  if (!input.node.init) return [joinConfiguration(input)];
  const { model } = input;
  return [initConfiguration(input), clusterConfiguration(model), kubeletConfiguration(model), kubeProxyConfiguration(model)];
}

export function renderKubeadmConfig(input: NodeRenderInput): string {
  return GENERATED_HEADER + kubeadmDocuments(input).map(toYaml).join("---\n");
}
