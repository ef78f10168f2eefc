/**
 * generateCluster: the pure pipeline after validation —
 * ProfileInput → buildModel → planCluster → issueCerts (reusing the prior secrets) → assembleBundle,
 * then what changed since the previous output (bundle/changes.ts) into REPORT.md and manifest.json.
 * Guarantees: no file system access; time, randomness and key generation come from `deps`; the same
 * profile, secrets and previous output give a byte-identical Bundle (a run that changes nothing keeps
 * the previous output's change section, so rerunning never alters the output).
 */
import { buildModel, type ImageLock, type ModelInputs } from "../model/build.js";
import type { ClusterModel } from "../model/types.js";
import { issueCerts, type IssueDeps, type IssueResult } from "../pki/issue.js";
import type { SecretsBundle } from "../pki/secrets.js";
import { planCluster } from "../plan/plan.js";
import type { ClusterPlan } from "../plan/types.js";
import type { ProfileInput } from "../profile/schema.js";
import { makeBundle, type Bundle } from "./artifact.js";
import { applyBudget, type BootDocSize } from "./budget.js";
import { buildReport, reportArtifacts, type Report } from "./report.js";
import { assembleBundle } from "./assemble.js";
import type { FilesLock } from "../render/ignition/downloads.js";
import { expiryRows, expiryWarnings } from "../pki/expiry.js";
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

export async function generateCluster(profile: ProfileInput, prior: SecretsBundle | undefined, deps: IssueDeps, inputs: GenerateInputs = {}): Promise<Generated> {
  const built = buildModel(profile, inputs.imageLock, { auditPolicy: inputs.auditPolicy });
  const model = { ...built, join: joinPolicy(built.pki.bootstrapTokenTTLHours, prior, deps.clock.now()), ...(inputs.rotation ? { caRotation: inputs.rotation.step } : {}) };
  const plan = planCluster(model);
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
  const budget = applyBudget(assembleBundle(plan, issue.secrets, inputs.filesLock, deps.progress, inputs.rotation), model);
  const files = fileHashes(budget.bundle.artifacts);
  const changes = computeChanges(plan, issue, !prior, inputs.previous?.files, files);
  // nothing changed: keep the section the previous run wrote, so a rerun leaves the output as it was
  const recorded = changes.compared && !hasChanges(changes) && inputs.previous?.changes ? inputs.previous.changes : changes;
  const warnings = expiryWarnings(expiryRows(issue.secrets, deps.clock.now(), model.pki.renewBeforeHours * 3600 * 1000));
  const report = buildReport(plan, issue.secrets, budget.sizes, recorded, warnings);
  const manifest = manifestArtifact({ format: MANIFEST_FORMAT, cluster: model.name, files, changes: recorded });
  const bundle = makeBundle([...budget.bundle.artifacts, ...reportArtifacts(report), manifest]);
  return { model, plan, issue, bundle, sizes: budget.sizes, report, changes };
}
