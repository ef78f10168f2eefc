/**
 * generateCluster: the pure pipeline after validation —
 * ProfileInput → buildModel → planCluster → issueCerts (reusing the prior secrets) → assembleBundle.
 * Guarantees: no file system access; time, randomness and key generation come from `deps`; the same
 * profile and the same secrets give a byte-identical Bundle.
 */
import { buildModel } from "../model/build.js";
import type { ClusterModel } from "../model/types.js";
import { issueCerts, type IssueDeps, type IssueResult } from "../pki/issue.js";
import type { SecretsBundle } from "../pki/secrets.js";
import { planCluster } from "../plan/plan.js";
import type { ClusterPlan } from "../plan/types.js";
import type { ProfileInput } from "../profile/schema.js";
import type { Bundle } from "./artifact.js";
import { assembleBundle } from "./assemble.js";

export interface Generated {
  model: ClusterModel;
  plan: ClusterPlan;
  issue: IssueResult;
  bundle: Bundle;
}

export async function generateCluster(profile: ProfileInput, prior: SecretsBundle | undefined, deps: IssueDeps): Promise<Generated> {
  const model = buildModel(profile);
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
  return { model, plan, issue, bundle: assembleBundle(plan, issue.secrets) };
}
