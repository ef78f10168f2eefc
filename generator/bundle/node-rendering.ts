/**
 * How the nodes get rendered: one node's batch with what streamCluster keeps of it (its files' hashes
 * for manifest.json, its first-boot documents' sizes for the budget), the renderer that makes every
 * node one after the other on the calling thread, and what a renderer on other threads needs to make
 * the very same batches (io/render-threads.ts): the model's sources, known before the PKI is issued,
 * and the assembly's, known after.
 * Guarantees: pure; renderedNode gives the same result for the same assembly and index, whichever
 * thread calls it; a renderer yields every node of the plan once, in plan order.
 */
import { buildModel, type ImageLock, type ModelInputs } from "../model/build.js";
import type { ClusterModel, JoinPolicy } from "../model/types.js";
import type { Rotation } from "../pki/rotation.js";
import type { SecretsBundle } from "../pki/secrets.js";
import type { ProfileInput } from "../profile/schema.js";
import type { FilesLock } from "../render/ignition/downloads.js";
import type { Artifact } from "./artifact.js";
import { nodeBatch, type Assembly } from "./assemble.js";
import { measureBootDocs, type MeasuredDoc } from "./budget.js";
import { fileHashes } from "./manifest.js";

/** Everything the cluster model is made of: the same sources give the same model. */
export interface ModelSource {
  profile: ProfileInput;
  imageLock?: ImageLock;
  auditPolicy?: ModelInputs["auditPolicy"];
  /** decided from the secrets and the clock (bundle/join-policy.ts) */
  join: JoinPolicy;
  caRotation?: ClusterModel["caRotation"];
}

/** buildModel's model with what the run decided (`built` is buildModel of the source's profile and inputs). */
export function withRunFacts(built: ClusterModel, s: ModelSource): ClusterModel {
  return { ...built, join: s.join, ...(s.caRotation ? { caRotation: s.caRotation } : {}) };
}

export function modelFrom(s: ModelSource): ClusterModel {
  return withRunFacts(buildModel(s.profile, s.imageLock, { auditPolicy: s.auditPolicy }), s);
}

/** What the assembly is made of besides the plan (bundle/assemble.ts assembly). */
export interface AssemblySource {
  secrets: SecretsBundle;
  filesLock?: FilesLock;
  rotation?: Rotation;
}

export interface RenderedNode {
  batch: Artifact[];
  /** the batch's compared files (manifest.ts fileHashes) */
  hashes: Record<string, string>;
  /** its first-boot documents against the cloud's budget */
  measured: MeasuredDoc[];
}

/** The node at `index` of the plan, rendered. */
export function renderedNode(a: Assembly, index: number): RenderedNode {
  const batch = nodeBatch(a, index);
  return { batch, hashes: fileHashes(batch), measured: measureBootDocs(batch, a.ctx.plan.model.cloud) };
}

export interface NodeRenderer {
  /** The model's sources, as soon as they are known: a renderer elsewhere can plan while the PKI is issued. */
  start?(model: ModelSource): void;
  /** Every node of `a`'s plan, in plan order; `source` is what `a` was made of. */
  nodes(a: Assembly, source: AssemblySource): AsyncIterable<RenderedNode>;
}

/** Renders every node on the calling thread, one after the other. */
export const IN_PROCESS: NodeRenderer = {
  async *nodes(a) {
    for (let i = 0; i < a.ctx.plan.nodes.length; i++) yield renderedNode(a, i);
  },
};
