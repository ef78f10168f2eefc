/**
 * generateCluster: the pure pipeline after validation —
 * ProfileInput → buildModel → planCluster → issueCerts (reusing the prior secrets) → assembly (one
 * node at a time) → budget → report → Bundle. streamCluster is the same pipeline handing each batch
 * of artifacts (the operator's files, each node's, the report) to a callback as soon as it exists,
 * so a caller that writes and drops them never holds the whole output: the CLI writes 10,000 nodes
 * that way; generateCluster collects them.
 * Guarantees: no file system access; time, randomness and key generation come from `deps`; the same
 * profile and the same secrets give a byte-identical Bundle (and the same batches).
 */
import { buildModel, type ImageLock, type ModelInputs } from "../model/build.js";
import type { ClusterModel } from "../model/types.js";
import { issueCerts, type IssueDeps, type IssueResult } from "../pki/issue.js";
import type { SecretsBundle } from "../pki/secrets.js";
import { planCluster } from "../plan/plan.js";
import type { ClusterPlan } from "../plan/types.js";
import type { ProfileInput } from "../profile/schema.js";
import { makeBundle, type Artifact, type Bundle } from "./artifact.js";
import { checkBudget, measureBootDocs, type BootDocSize, type MeasuredDoc } from "./budget.js";
import { buildReport, reportArtifacts, type Report } from "./report.js";
import { assembly, nodeArtifacts, operatorArtifacts } from "./assemble.js";
import { NO_PROGRESS } from "../core/progress.js";
import type { FilesLock } from "../render/ignition/downloads.js";

export interface Generated {
  model: ClusterModel;
  plan: ClusterPlan;
  issue: IssueResult;
  bundle: Bundle;
  /** every node's first-boot document against the cloud budget */
  sizes: BootDocSize[];
  report: Report;
}

/** Inputs besides the profile and the secrets, read by io/ next to the profile. */
export interface GenerateInputs {
  /** NAME.files.lock.json: hashes of the files Ignition nodes download */
  filesLock?: FilesLock;
  /** images.lock.json (mirror.sh save): source reference → digest, pinned in every rendered image */
  imageLock?: ImageLock;
  /** spec.audit.policyFile, read and checked (io/audit-policy.ts) */
  auditPolicy?: ModelInputs["auditPolicy"];
}

/** What streamCluster returns: everything of Generated but the bundle, which went to the callback. */
export type Streamed = Omit<Generated, "bundle">;

/**
 * Hands the output to `emit` batch by batch (awaiting it: a writer can make the pipeline wait), and
 * throws the budget's UserError only after every node was emitted: a caller that wrote the batches
 * must discard them then. The report's batch comes last, after the budget passed.
 */
export async function streamCluster(profile: ProfileInput, prior: SecretsBundle | undefined, deps: IssueDeps, inputs: GenerateInputs, emit: (batch: Artifact[]) => void | Promise<void>): Promise<Streamed> {
  const model = buildModel(profile, inputs.imageLock, { auditPolicy: inputs.auditPolicy });
  const plan = planCluster(model);
  const issue = await issueCerts(
    plan.certs,
    {
      cluster: model.name,
      keyAlgorithm: model.pki.keyAlgorithm,
      caValidityHours: model.pki.caValidityHours,
      certValidityHours: model.pki.certValidityHours,
    },
    prior,
    deps,
  );
  const progress = deps.progress ?? NO_PROGRESS;
  const a = assembly(plan, issue.secrets, inputs.filesLock);
  const measured: MeasuredDoc[] = [];
  await emit(operatorArtifacts(a));
  for (const [i, n] of plan.nodes.entries()) {
    const batch = nodeArtifacts(a, n);
    measured.push(...measureBootDocs(batch, model.cloud));
    await emit(batch);
    progress({ stage: "nodes", done: i + 1, total: plan.nodes.length });
  }
  const sizes = checkBudget(measured, model);
  const report = buildReport(plan, issue.secrets, sizes);
  await emit(reportArtifacts(report));
  return { model, plan, issue, sizes, report };
}

export async function generateCluster(profile: ProfileInput, prior: SecretsBundle | undefined, deps: IssueDeps, inputs: GenerateInputs = {}): Promise<Generated> {
  const artifacts: Artifact[] = [];
  const streamed = await streamCluster(profile, prior, deps, inputs, (batch) => {
    for (const x of batch) artifacts.push(x);
  });
  return { ...streamed, bundle: makeBundle(artifacts) };
}
