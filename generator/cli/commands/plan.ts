/**
 * `gen plan --profile NAME`: what `gen --profile NAME` would change, written nowhere. Generates in
 * memory from the profile and the secrets file exactly as a run would (new certificates included, then
 * thrown away), compares with the output directory (its manifest.json) and prints the change summary on
 * stdout: nodes and files added / changed / removed, certificates issued / re-issued (why) / dropped,
 * whether the CAs and secrets would be created or kept (a normal run never rotates them).
 * Exit status (cli/exit-codes.ts): 0 when nothing would change, 3 when something would.
 */
import { systemClock, systemRandom } from "../../core/clock.js";
import { generateCluster } from "../../bundle/generate.js";
import { hasChanges } from "../../bundle/changes.js";
import { defaultKeyFactory } from "../../pki/keys.js";
import type { Command } from "../args.js";
import { EXIT } from "../exit-codes.js";
import { generationInputs, places, priorSecrets, withCloud } from "./inputs.js";
import { loadValidProfile } from "./load.js";
import { summaryText } from "./summary.js";

export async function planCommand(cmd: Extract<Command, { name: "plan" }>, cwd: string): Promise<number> {
  const loaded = await loadValidProfile(cmd.profile, cwd, cmd.strict);
  const profile = withCloud(loaded.profile, cmd.cloud);
  const at = places(profile, cmd, cwd);
  const log = (s: string) => process.stderr.write(s);
  const prior = priorSecrets(at);
  const g = await generateCluster(profile, prior, { clock: systemClock, random: systemRandom, keys: defaultKeyFactory }, { ...generationInputs(loaded.file, cwd, at, log, prior), auditPolicy: loaded.auditPolicy });
  for (const note of g.issue.notes) log(`note: ${note}\n`);
  for (const warning of g.report.warnings) log(`warning: ${warning}\n`);
  process.stdout.write(summaryText(g));
  return hasChanges(g.changes) ? EXIT.changes : EXIT.ok;
}
