/**
 * generateCluster: the pure pipeline after validation —
 * ProfileInput → buildModel → planCluster → issueCerts (reusing the prior secrets) → assembleBundle.
 * Guarantees: no file system access; time, randomness and key generation come from `deps`; the same
 * profile and the same secrets give a byte-identical Bundle.
 */
import { buildModel, type ImageLock } from "../model/build.js";
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
}

export async function generateCluster(profile: ProfileInput, prior: SecretsBundle | undefined, deps: IssueDeps, inputs: GenerateInputs = {}): Promise<Generated> {
  const model = buildModel(profile, inputs.imageLock);
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
  const budget = applyBudget(assembleBundle(plan, issue.secrets, inputs.filesLock), model);
  const report = buildReport(plan, issue.secrets, budget.sizes);
  const bundle = makeBundle([...budget.bundle.artifacts, ...reportArtifacts(report)]);
  return { model, plan, issue, bundle, sizes: budget.sizes, report };
}
