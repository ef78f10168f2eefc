/**
 * generateCluster: the pure pipeline after validation —
 * ProfileInput → buildModel → planCluster → issueCerts (reusing the prior secrets) → assembly (one
 * node at a time) → budget → what changed since the previous output (bundle/changes.ts) → report and
 * manifest.json. streamCluster is the same pipeline handing each batch of artifacts (the operator's
 * files, each node's, then the report and the manifest) to a callback as soon as it exists, so a caller
 * that writes and drops them never holds the whole output: the CLI writes 10,000 nodes that way;
 * generateCluster collects them.
 * Guarantees: no file system access; time, randomness and key generation come from `deps`; the same
 * profile, secrets and previous output give a byte-identical Bundle (and the same batches; a run that
 * changes nothing keeps the previous output's change section, so rerunning never alters the output).
 */
import { buildModel, type ImageLock, type ModelInputs } from "../model/build.js";
import type { ClusterModel } from "../model/types.js";
import { issueCerts, type IssueDeps, type IssueResult } from "../pki/issue.js";
import type { SecretsBundle } from "../pki/secrets.js";
import { planCluster } from "../plan/plan.js";
import type { ClusterPlan } from "../plan/types.js";
import type { ProfileInput } from "../profile/schema.js";
import { makeBundle, type Artifact, type Bundle } from "./artifact.js";
import { checkBudget, type BootDocSize, type MeasuredDoc } from "./budget.js";
import { buildReport, reportArtifacts, type Report } from "./report.js";
import { assembly, operatorArtifacts } from "./assemble.js";
import { IN_PROCESS, withRunFacts, type ModelSource, type NodeRenderer } from "./node-rendering.js";
import { NO_PROGRESS } from "../core/progress.js";
import { NO_FILES_LOCK, type FilesLock } from "../render/ignition/downloads.js";
import { checkFilesLock } from "./ignition.js";
import { expiryFacts, expiryWarnings } from "../pki/expiry.js";
import { joinPolicy } from "./join-policy.js";
import type { Rotation } from "../pki/rotation.js";
import { computeChanges, hasChanges, type Changes } from "./changes.js";
import { fileHashes, manifestArtifact, MANIFEST_FORMAT } from "./manifest.js";

export interface Generated {
  model: ClusterModel;
  plan: ClusterPlan;
  issue: IssueResult;
  bundle: Bundle;
  /** every node's first-boot document against the cloud budget */
  sizes: BootDocSize[];
  report: Report;
  /** what this run changes compared with `inputs.previous` (compared: false without one) */
  changes: Changes;
  /** manifest.json's hashes: every compared file of the output (bundle/manifest.ts) */
  hashes: Record<string, string>;
}

/** The previous output, read by io/previous-output.ts: its file hashes and the changes it recorded. */
export interface PreviousOutput {
  files: Record<string, string>;
  changes?: Changes;
}

/** Inputs besides the profile and the secrets, read by io/ next to the profile. */
export interface GenerateInputs {
  /** NAME.files.lock.json: hashes of the files Ignition nodes download */
  filesLock?: FilesLock;
  /** images.lock.json (mirror.sh save): source reference → digest, pinned in every rendered image */
  imageLock?: ImageLock;
  /** spec.audit.policyFile, read and checked (io/audit-policy.ts) */
  auditPolicy?: ModelInputs["auditPolicy"];
  /** the output directory as the previous run left it */
  previous?: PreviousOutput;
  /** a CA rotation in progress (secrets/NAME.rotation.yaml, pki/rotation.ts) */
  rotation?: Rotation;
}

/** What streamCluster returns: everything of Generated but the bundle, which went to the callback. */
export type Streamed = Omit<Generated, "bundle">;

/**
 * Hands the output to `emit` batch by batch (awaiting it: a writer can make the pipeline wait), and
 * throws the budget's UserError only after every node was emitted: a caller that wrote the batches
 * must discard them then. The report's and manifest's batch comes last, after the budget passed.
 */
export async function streamCluster(
  profile: ProfileInput,
  prior: SecretsBundle | undefined,
  deps: IssueDeps,
  inputs: GenerateInputs,
  emit: (batch: Artifact[]) => void | Promise<void>,
  renderer: NodeRenderer = IN_PROCESS,
): Promise<Streamed> {
  const built = buildModel(profile, inputs.imageLock, { auditPolicy: inputs.auditPolicy });
  const source: ModelSource = { profile, imageLock: inputs.imageLock, auditPolicy: inputs.auditPolicy, join: joinPolicy(built.pki.bootstrapTokenTTLHours, prior, deps.clock.now()), caRotation: inputs.rotation?.step };
  renderer.start?.(source);
  const model = withRunFacts(built, source);
  const plan = planCluster(model);
  checkFilesLock(model, inputs.filesLock ?? NO_FILES_LOCK);
  const issue = await issueCerts(
    plan.certs,
    {
      cluster: model.name,
      keyAlgorithm: model.pki.keyAlgorithm,
      caValidityHours: model.pki.caValidityHours,
      certValidityHours: model.pki.certValidityHours,
      renewBeforeHours: model.pki.renewBeforeHours,
    },
    prior,
    deps,
  );
  const progress = deps.progress ?? NO_PROGRESS;
  const a = assembly(plan, issue.secrets, inputs.filesLock, inputs.rotation);
  const measured: MeasuredDoc[] = [];
  const operator = operatorArtifacts(a);
  const hashed: Record<string, string>[] = [fileHashes(operator)];
  await emit(operator);
  let done = 0;
  for await (const node of renderer.nodes(a, { secrets: issue.secrets, filesLock: inputs.filesLock, rotation: inputs.rotation })) {
    measured.push(...node.measured);
    hashed.push(node.hashes);
    await emit(node.batch);
    progress({ stage: "nodes", done: ++done, total: plan.nodes.length });
  }
  const sizes = checkBudget(measured, model);
  // every file's hash in path order, as fileHashes gives them for the whole output
  const all = Object.assign({}, ...hashed) as Record<string, string>;
  const files = Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
  const changes = computeChanges(plan, issue, !prior, inputs.previous?.files, files);
  // nothing changed: keep the section the previous run wrote, so a rerun leaves the output as it was
  const recorded = changes.compared && !hasChanges(changes) && inputs.previous?.changes ? inputs.previous.changes : changes;
  const warnings = expiryWarnings(expiryFacts(issue.secrets, deps.clock.now(), model.pki.renewBeforeHours * 3600 * 1000));
  const report = buildReport(plan, issue.secrets, sizes, recorded, warnings);
  await emit([...reportArtifacts(report), manifestArtifact({ format: MANIFEST_FORMAT, cluster: model.name, files, changes: recorded })]);
  return { model, plan, issue, sizes, report, changes, hashes: files };
}

export async function generateCluster(profile: ProfileInput, prior: SecretsBundle | undefined, deps: IssueDeps, inputs: GenerateInputs = {}): Promise<Generated> {
  const artifacts: Artifact[] = [];
  const streamed = await streamCluster(profile, prior, deps, inputs, (batch) => {
    for (const x of batch) artifacts.push(x);
  });
  return { ...streamed, bundle: makeBundle(artifacts) };
}
