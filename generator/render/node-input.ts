/**
 * What every per-node renderer receives: the model, the node, and the join data derived from the
 * secrets (the bootstrap token and the discovery CA hash). Renderers are pure functions of this.
 * The first-boot documents (cloud-init, Ignition) also receive the node's resolved file tree, NodeFile[].
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

/** One file of a node's tree with its contents resolved (bundle/assemble.ts), as the first-boot documents carry it. */
export interface NodeFile {
  path: string;
  mode: number;
  owner: string;
  contents: string;
  /** PEMs whose base64 this file's text embeds (kubeconfigs): cloud-init delivers it as a template (cloud-init/assembly.ts) */
  embeds?: string[];
  /** bytes instead of text (the PEM pack, cloud-init/pem-pack.ts): always written gz+b64 */
  binary?: Uint8Array;
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

/** The node's private address with the node network's prefix length (`address/prefix`), as its network configuration assigns it. */
export function nodeCidr(input: NodeRenderInput): string {
  return `${input.node.address}/${input.model.network.prefix}`;
}
