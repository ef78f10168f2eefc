/**
 * Bundle assembly: plan + secrets → artifacts, in batches (the operator's files, then one node at a
 * time, so a caller can write each batch and drop it: bundle/generate.ts). Resolves every planned
 * file's source to its contents (PEMs from the secrets bundle, rendered kubeconfigs, encryption
 * config, join info) and places node files under nodes/NODE/files/<on-node path>.
 * During a CA rotation (pki/rotation.ts) the cluster CA's trust — every ca.crt, the CA data of every
 * kubeconfig, the discovery hashes — is the bundle of the current and the new CA; ca.key and the signing
 * copy (ca-signer) stay the current CA.
 * Guarantees: pure and deterministic; fails loudly (internal error) if the plan names a certificate
 * the secrets bundle does not hold — issueCerts must have run on the same plan.
 */
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { trustedCas, type Rotation } from "../pki/rotation.js";
import type { SecretsBundle } from "../pki/secrets.js";
import type { CaId, ClusterPlan, FileSource, KubeconfigRequest, NodePlan, PlannedFile } from "../plan/types.js";
import { renderEncryptionConfig } from "../render/encryption-config.js";
import { renderJoinInfo } from "../render/join-info.js";
import { renderKubeconfig } from "../render/kubeconfig.js";
import type { NodeRenderInput } from "../render/node-input.js";
import type { Artifact } from "./artifact.js";
import { NO_FILES_LOCK, type FilesLock } from "../render/ignition/downloads.js";
import { isIgnitionOs } from "../render/ignition/os.js";
import { cloudInitArtifacts } from "./cloud-init.js";
import { ignitionArtifacts } from "./ignition.js";
import { NODE_RENDERERS } from "./node-renderers.js";
import { CLUSTER_DOCS } from "./cluster-docs.js";
import { renderHostsToml } from "../render/registry/hosts-toml.js";
import { nodeFilePath } from "../core/layout.js";

export interface BundleContext {
  plan: ClusterPlan;
  secrets: SecretsBundle;
  /** the cluster CA as nodes and kubeconfigs trust it (two during a CA rotation), and its discovery hashes */
  trust: { bundle: string; hashes: string[] };
  filesLock: FilesLock;
}

function storedCert(secrets: SecretsBundle, id: string) {
  const c = secrets.certs[id];
  if (!c) throw new Error(`internal: certificate ${id} was planned but not issued`);
  return c;
}

/** A CA imported without its key cannot go onto a node that needs it (external-CA mode off). */
function keylessCaOnNode(ca: CaId): UserError {
  const K = messages.options.keyless;
  return new UserError(K.nodeNeedsKey(ca), [{ severity: "error", code: "pki.ca-keyless", path: ["cas", ca, "key"], message: K.nodeNeedsKey(ca), hint: K.nodeNeedsKeyHint }]);
}

function storedCa(secrets: SecretsBundle, id: CaId) {
  const ca = secrets.cas[id];
  if (!ca) throw new Error(`internal: the ${id} CA was planned but not made`);
  return ca;
}

function kubeconfig(ctx: BundleContext, k: KubeconfigRequest): string {
  const base = { clusterName: k.clusterName, server: k.server, caCertPem: ctx.trust.bundle, userName: k.userName };
  if (k.bootstrapToken) return renderKubeconfig({ ...base, token: ctx.secrets.bootstrapToken });
  const c = storedCert(ctx.secrets, k.certId!);
  return renderKubeconfig({ ...base, clientCertPem: c.cert, clientKeyPem: c.key });
}

/** The PEMs a kubeconfig file embeds as base64 (CA, client certificate, client key); none for other files. */
function embedsOf(ctx: BundleContext, source: FileSource, kubeconfigs: Map<string, KubeconfigRequest>): string[] | undefined {
  if (source.kind !== "kubeconfig") return undefined;
  const k = kubeconfigs.get(source.kubeconfigId)!;
  const ca = ctx.trust.bundle;
  if (k.bootstrapToken) return [ca];
  const c = storedCert(ctx.secrets, k.certId!);
  return [ca, c.cert, c.key];
}

function resolve(ctx: BundleContext, source: FileSource, kubeconfigs: Map<string, KubeconfigRequest>, node?: NodeRenderInput): string {
  const s = ctx.secrets;
  switch (source.kind) {
    case "ca-cert":
      return source.ca === "kubernetes" ? ctx.trust.bundle : storedCa(s, source.ca).cert;
    case "ca-signer":
      return storedCa(s, source.ca).cert;
    case "ca-key": {
      const key = storedCa(s, source.ca).key;
      if (key === undefined) throw keylessCaOnNode(source.ca);
      return key;
    }
    case "cert":
      return storedCert(s, source.certId).cert;
    case "key":
      return storedCert(s, source.certId).key;
    case "sa-key":
      return s.serviceAccount.key;
    case "sa-pub":
      return s.serviceAccount.pub;
    case "kubeconfig":
      return kubeconfig(ctx, kubeconfigs.get(source.kubeconfigId)!);
    case "encryption-config":
      return renderEncryptionConfig(s.encryptionKey);
    case "join-info":
      return renderJoinInfo({
        apiServerEndpoint: ctx.plan.model.endpoint.controlPlaneEndpoint,
        caCertHashes: ctx.trust.hashes,
        tokenId: s.bootstrapToken.split(".")[0],
        kubernetesVersion: ctx.plan.model.kubernetes.version.full,
      });
    case "render":
      if (!node) throw new Error(`internal: ${source.renderer} is a node file but was planned for the operator`);
      return NODE_RENDERERS[source.renderer](node);
    case "registry-hosts":
      return renderHostsToml(ctx.plan.model, source.host);
    case "cluster-doc":
      return CLUSTER_DOCS[source.doc](ctx.plan.model, ctx.filesLock);
  }
}

function toArtifact(ctx: BundleContext, f: PlannedFile, path: string, kubeconfigs: Map<string, KubeconfigRequest>): Artifact {
  return { path, mode: f.mode, contents: resolve(ctx, f.source, kubeconfigs), sensitive: f.sensitive };
}

/** A node's planned files with their contents, and what its renderers take. */
interface ResolvedNode {
  n: NodePlan;
  input: NodeRenderInput;
  files: (PlannedFile & { contents: string; embeds?: string[] })[];
}

function resolveNode(ctx: BundleContext, n: NodePlan, kubeconfigs: Map<string, KubeconfigRequest>): ResolvedNode {
  const [caCertHash, rotatingCaCertHash] = ctx.trust.hashes;
  const join = { token: ctx.secrets.bootstrapToken, caCertHash, ...(rotatingCaCertHash ? { rotatingCaCertHash } : {}) };
  const input: NodeRenderInput = { model: ctx.plan.model, node: n.node, join };
  return { n, input, files: n.files.map((f) => ({ ...f, contents: resolve(ctx, f.source, kubeconfigs, input), embeds: embedsOf(ctx, f.source, kubeconfigs) })) };
}

/** The node's tree (nodes/NODE/files/…) and its first-boot documents, from one resolved file list. */
function nodeArtifactsOf(ctx: BundleContext, { n, input, files }: ResolvedNode): Artifact[] {
  const tree = files.map((f): Artifact => ({ path: nodeFilePath(n.node.name, f.path), mode: f.mode, contents: f.contents, sensitive: f.sensitive, node: n.node.name, kind: "file" }));
  const os = n.node.os;
  // the node's OS decides its first-boot document (model/os.ts); both render the same file list
  const boot = isIgnitionOs(os) ? ignitionArtifacts(input, files, os, ctx.filesLock) : cloudInitArtifacts(input, files);
  return [...tree, ...boot];
}

/** What rendering needs besides the plan: the secrets, the trusted CA and its hashes, the files lock, kubeconfigs by id. */
export interface Assembly {
  ctx: BundleContext;
  kubeconfigs: Map<string, KubeconfigRequest>;
}

/** filesLock: the hashes of the files Ignition downloads (io/files-lock.ts); only Ignition nodes need it. */
export function assembly(plan: ClusterPlan, secrets: SecretsBundle, filesLock: FilesLock = NO_FILES_LOCK, rotation?: Rotation): Assembly {
  return { ctx: { plan, secrets, trust: trustedCas(secrets, rotation), filesLock }, kubeconfigs: new Map(plan.kubeconfigs.map((k) => [k.id, k])) };
}

/** The operator's files (pki/, kubeconfigs/, registry/, cluster documents). */
export function operatorArtifacts(a: Assembly): Artifact[] {
  return a.ctx.plan.operator.map((f) => toArtifact(a.ctx, f, f.path, a.kubeconfigs));
}

/** The files and first-boot documents (nodes/NODE/…) of the plan's node at `index`. */
export function nodeBatch(a: Assembly, index: number): Artifact[] {
  return nodeArtifactsOf(a.ctx, resolveNode(a.ctx, a.ctx.plan.nodes[index], a.kubeconfigs));
}
