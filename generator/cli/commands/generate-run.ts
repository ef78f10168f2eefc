/**
 * A `gen` run that generates (generate.ts decided there is something to do, and holds the locks):
 * generate (pure), each node written into the output's staging directory as it is rendered
 * (run-output.ts) → save secrets → swap the output directory in, stamped for the next run
 * (up-to-date.ts). Secrets are saved before the output is replaced, so written certificates always
 * belong to the saved secrets file; a failure anywhere leaves the previous output directory
 * untouched. A missing secrets file beside an output that holds an earlier CA is refused (a new CA
 * is never made silently).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { systemClock, systemRandom } from "../../core/clock.js";
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { OUTPUT, OUTPUT_CA_CERT } from "../../core/layout.js";
import { streamCluster, type Streamed } from "../../bundle/generate.js";
import { renderWindow } from "../../bundle/freshness.js";
import { treeDigest } from "../../bundle/manifest.js";
import { loadSecretsFile, saveSecretsFile } from "../../io/secrets-file.js";
import { OUTPUT_MARKER } from "../../io/write-dir.js";
import { CLOUD_LIMITS } from "../../model/clouds.js";
import { defaultKeyFactory } from "../../pki/keys.js";
import type { ProfileInput } from "../../profile/schema.js";
import type { Command } from "../args.js";
import { progressReporter } from "../progress.js";
import { openRunOutput } from "./run-output.js";
import { mainThreadOnly, startRenderThreads } from "../../io/render-threads.js";
import { outputForms } from "../../bundle/archives.js";
import type { NodeRenderer } from "../../bundle/node-rendering.js";
import { generationInputs } from "./inputs.js";
import { summaryText } from "./summary.js";
import { stampOf, type RunInputs } from "./up-to-date.js";
import { EXIT } from "../exit-codes.js";

const log = (s: string) => process.stderr.write(s);

/** No secrets file, but the output holds an earlier run's CA: generating would make a new CA silently. */
function checkNoOrphanOutput(out: string, show: (p: string) => string, secretsFile: string): void {
  if (!existsSync(join(out, OUTPUT_MARKER)) || !existsSync(join(out, OUTPUT_CA_CERT))) return;
  const message = messages.io.secretsMissing(show(secretsFile), show(out));
  throw new UserError(message, [{ severity: "error", code: "secrets.missing", path: [], message, hint: messages.io.secretsMissingHint(show(out)) }]);
}


export interface Paths {
  profile: ProfileInput;
  file: string;
  name: string;
  out: string;
  /** out with symbolic links resolved */
  target: string;
  secretsFile: string;
  show: (p: string) => string;
  cwd: string;
  /** spec.audit.policyFile, read and checked */
  auditPolicy?: { file: string; text: string };
}

/** `run`: the run's inputs (up-to-date.ts), for the stamp; `started`: when the run started (performance.now()). */
export async function generateLocked(cmd: Extract<Command, { name: "generate" }>, paths: Paths, run: RunInputs, started: number): Promise<number> {
  // a large cluster renders on a second core as well (the thread loads while the run starts), unless
  // archives are made: their deflate threads take the other cores already
  const { nodeArchives, whole } = outputForms(cmd.format);
  const renderer = nodeArchives || whole.length > 0 ? mainThreadOnly() : startRenderThreads(paths.profile.spec.nodes.length);
  try {
    return await generateWith(cmd, paths, run, started, renderer);
  } finally {
    renderer.close();
  }
}

async function generateWith(cmd: Extract<Command, { name: "generate" }>, { profile, file, name, out, target, secretsFile, show, cwd, auditPolicy }: Paths, run: RunInputs, started: number, renderer: NodeRenderer): Promise<number> {
  const prior = loadSecretsFile(secretsFile, show(secretsFile));
  if (prior && prior.cluster !== name) throw new UserError(messages.cli.secretsOfOtherCluster(show(secretsFile), prior.cluster, name));
  if (!prior) checkNoOrphanOutput(target, show, secretsFile);
  const inputs = generationInputs(file, cwd, { name, out: target, secretsFile, show }, log, prior);
  const progress = progressReporter(process.stderr, process.env);
  // the output is written as it is rendered (one node at a time into a staging directory) and swapped
  // in only after the secrets are saved; any failure before leaves the previous output (run-output.ts)
  const output = await openRunOutput(cmd.format, { target, out, force: cmd.force, cwd, show });
  let g: Streamed;
  let files: number;
  try {
    try {
      g = await streamCluster(profile, prior, { clock: systemClock, random: systemRandom, keys: defaultKeyFactory, progress: progress.sink }, { ...inputs, auditPolicy }, output.emit, renderer);
    } finally {
      progress.end();
    }
    for (const note of g.issue.notes) log(`note: ${note}\n`);
    for (const warning of g.report.warnings) log(`warning: ${warning}\n`);
    const savedSecrets = saveSecretsFile(secretsFile, g.issue.secrets, show(secretsFile));
    if (!prior) log(messages.cli.secretsCreated(show(secretsFile)));
    else if (savedSecrets) log(messages.cli.secretsUpdated(show(secretsFile)));
    // --format iso (and all): every cloud-init node's documents also as nodes/NODE/seed.iso
    if ((cmd.format === "iso" || cmd.format === "all") && !output.isos) log(messages.cli.noSeedIso(cmd.format));
    // a run that said nothing but the summary is stamped, so the next one with the same inputs can skip
    const quiet = g.issue.notes.length === 0 && g.report.warnings.length === 0;
    files = await output.commit(quiet ? (unlisted) => stampOf(run, renderWindow(g.issue.secrets, g.model), treeDigest(new Map([...Object.entries(g.hashes), ...unlisted]))) : undefined);
  } catch (e) {
    await output.abort();
    throw e;
  }
  progress.sink({ stage: "files", done: files, total: files });
  progress.end();
  // one summary line, whatever the number of nodes; per node in REPORT.md (bundle/budget.ts decides fits for both)
  const largest = [...g.sizes].sort((a, b) => b.counted - a.counted || (a.node < b.node ? -1 : 1))[0];
  if (largest) {
    const cloud = g.model.cloud === "none" ? null : CLOUD_LIMITS[g.model.cloud].label;
    const compressed = g.sizes.filter((s) => s.compressed).length;
    log(messages.cli.bootDocs({ count: g.sizes.length, cloud, compressed, node: largest.node, doc: largest.path.split("/").pop()!, bytes: largest.bytes, counted: largest.counted, limit: largest.limit, report: show(join(out, OUTPUT.report)) }));
  }
  log(
    messages.cli.generated({
      out: show(out),
      files,
      nodes: g.plan.nodes.length,
      issued: g.issue.issued.length,
      reused: g.issue.reused.length,
      removed: g.issue.removed.length,
      ms: Math.round(performance.now() - started),
    }),
  );
  log(summaryText(g));
  return EXIT.ok;
}
