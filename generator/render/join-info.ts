/**
 * join-info.yaml: the public half of the join data (no secret) for operators and later stages:
 * the API endpoint, the discovery CA hash (kubeadm --discovery-token-ca-cert-hash) and the token id.
 */
import { yamlDocument } from "./yaml.js";

export interface JoinInfo {
  apiServerEndpoint: string;
  caCertHashes: string[];
  tokenId: string;
  kubernetesVersion: string;
}

export function renderJoinInfo(j: JoinInfo): string {
  return yamlDocument({
    apiServerEndpoint: j.apiServerEndpoint,
    caCertHashes: j.caCertHashes,
    tokenId: j.tokenId,
    kubernetesVersion: j.kubernetesVersion,
  });
}
