/**
 * What every per-node renderer receives: the model, the node, and the join data derived from the
 * secrets (the bootstrap token and the discovery CA hash). Renderers are pure functions of this.
 */
import type { ClusterModel, NodeModel } from "../model/types.js";

export interface JoinData {
  /** `<id>.<secret>` */
  token: string;
  /** `sha256:<hex>` of the cluster CA's SubjectPublicKeyInfo */
  caCertHash: string;
  /** the new CA's hash while a CA rotation trusts both (pki/rotation.ts) */
  rotatingCaCertHash?: string;
}

export interface NodeRenderInput {
  model: ClusterModel;
  node: NodeModel;
  join: JoinData;
}

/** The node's kubelet/etcd/apiserver address: always the private address (seed 000: cluster traffic on the private NIC). */
export function nodeIP(input: NodeRenderInput): string {
  return input.node.address;
}
