/**
 * /etc/kubernetes/kubeadm/renew.yaml (0644) on every control plane: the configuration
 * `kubeadm certs renew all --config` reads, so renewals keep the profile's certificateValidityPeriod
 * and encryptionAlgorithm (v1beta4) or the ECDSA feature gate (v1beta3) even when the API server cannot
 * be reached (without --config kubeadm reads the kubeadm-config ConfigMap and falls back to its own
 * defaults — RSA-2048 keys — when that fails).
 * It is the configuration `kubeadm join` assembles for a control plane (cmd/kubeadm/app/util/config/
 * joinconfiguration.go): the cluster's ClusterConfiguration plus an InitConfiguration holding this
 * node's nodeRegistration and localAPIEndpoint — and no bootstrap token: the file holds no secret.
 * Guarantees: pure; apiVersion, kind, then the types.go field order (render/kubeadm).
 */
import type { NodeRenderInput } from "../node-input.js";
import { clusterConfiguration } from "../kubeadm/cluster.js";
import { nodeRegistration } from "../kubeadm/common.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { toYaml } from "../yaml.js";

export function renderRenewConfig(input: NodeRenderInput): string {
  const { model, node } = input;
  const init = {
    apiVersion: model.kubeadm.configApiVersion,
    kind: "InitConfiguration",
    nodeRegistration: nodeRegistration(input),
    localAPIEndpoint: { advertiseAddress: node.address, bindPort: model.bindPort },
  };
  return GENERATED_HEADER + [init, clusterConfiguration(model)].map(toYaml).join("---\n");
}
