/**
 * `gen --profile NAME`: validate → lock → generate (pure), each node written into the output's staging
 * directory as it is rendered (run-output.ts) → save secrets → swap the output directory in.
 * The secrets file and the output directory are locked for the whole run (io/run-lock.ts), and what
 * interrupted runs left beside them is cleaned up first (io/stale.ts). Secrets are saved before the
 * output is replaced, so written certificates always belong to the saved secrets file; a failure
 * anywhere leaves the previous output directory untouched. A secrets file inside the output
 * directory is refused, and so is a missing secrets file beside an output that holds an earlier CA
 * (a new CA is never made silently).
 */
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { systemClock, systemRandom } from "../../core/clock.js";
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { OUTPUT, OUTPUT_CA_CERT } from "../../core/layout.js";
import { streamCluster, type Streamed } from "../../bundle/generate.js";
import { checkFilesLock } from "../../bundle/ignition.js";
import { readFilesLock } from "../../io/files-lock.js";
import { lockRun, type RunLock } from "../../io/run-lock.js";
import { loadSecretsFile, saveSecretsFile } from "../../io/secrets-file.js";
import { cleanStaleOutput, cleanStaleSecrets } from "../../io/stale.js";
import { OUTPUT_MARKER, outputTarget } from "../../io/write-dir.js";
import { buildModel } from "../../model/build.js";
import { CLOUD_LIMITS } from "../../model/clouds.js";
import { defaultKeyFactory } from "../../pki/keys.js";
import { planCluster } from "../../plan/plan.js";
import type { Command } from "../args.js";
import { progressReporter } from "../progress.js";
import { loadValidProfile } from "./load.js";
import { openRunOutput } from "./run-output.js";
import { generationInputs } from "./inputs.js";
import { summaryText } from "./summary.js";
import { EXIT } from "../exit-codes.js";

const log = (s: string) => process.stderr.write(s);

/** `path` with its existing part resolved through symbolic links, so two spellings of one place compare equal. */
function realish(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  return parent === path ? path : join(realish(parent), basename(path));
}

/** The secrets file must not live inside the output directory, which every run replaces. */
function checkSecretsOutside(secretsFile: string, out: string, show: (p: string) => string): void {
  const rel = relative(realish(out), realish(secretsFile));
  if (rel.startsWith("..") || isAbsolute(rel)) return;
  const message = messages.io.secretsInsideOutput(show(secretsFile), show(out));
  throw new UserError(message, [{ severity: "error", code: "secrets.inside-output", path: [], message, hint: messages.io.secretsInsideOutputHint }]);
}

/** No secrets file, but the output holds an earlier run's CA: generating would make a new CA silently. */
function checkNoOrphanOutput(out: string, show: (p: string) => string, secretsFile: string): void {
  if (!existsSync(join(out, OUTPUT_MARKER)) || !existsSync(join(out, OUTPUT_CA_CERT))) return;
  const message = messages.io.secretsMissing(show(secretsFile), show(out));
  throw new UserError(message, [{ severity: "error", code: "secrets.missing", path: [], message, hint: messages.io.secretsMissingHint(show(out)) }]);
}


export async function generateCommand(cmd: Extract<Command, { name: "generate" }>, cwd: string): Promise<number> {
  const loaded = loadValidProfile(cmd.profile, cwd, cmd.strict);
  const file = loaded.file;
  // --cloud overrides the profile's spec.cloud (the size budget of every node's first-boot document)
  const profile = cmd.cloud ? { ...loaded.profile, spec: { ...loaded.profile.spec, cloud: cmd.cloud } } : loaded.profile;
  const name = profile.metadata.name;
  const out = resolve(cwd, cmd.out ?? join("output", name));
  const secretsFile = resolve(cwd, cmd.secrets ?? join("secrets", `${name}.yaml`));
  const show = (p: string) => relative(cwd, p) || ".";
  if (cmd.check) {
    const plan = planCluster(buildModel(profile, {}, { auditPolicy: loaded.auditPolicy }));
    // Ignition nodes need every download's hash: --check reads the files lock as generation would
    checkFilesLock(plan.model, readFilesLock(file, cwd));
    log(messages.cli.checked(file, plan.nodes.length, plan.certs.length, plan.kubeconfigs.length));
    return EXIT.ok;
  }
  const target = outputTarget(out, show(out), show);
  checkSecretsOutside(secretsFile, target, show);
  const locks: RunLock[] = [];
  try {
    locks.push(lockRun(secretsFile, show(secretsFile), 0o700));
    locks.push(lockRun(target, show(out)));
    for (const note of [...locks.flatMap((l) => l.note ?? []), ...cleanStaleSecrets(secretsFile, show), ...cleanStaleOutput(target, show)]) log(note);
    return await generateLocked(cmd, { profile, file, name, out, target, secretsFile, show, cwd, auditPolicy: loaded.auditPolicy });
  } finally {
    for (const l of locks.reverse()) l.release();
  }
}

interface Paths {
  profile: Awaited<ReturnType<typeof loadValidProfile>>["profile"];
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

async function generateLocked(cmd: Extract<Command, { name: "generate" }>, { profile, file, name, out, target, secretsFile, show, cwd, auditPolicy }: Paths): Promise<number> {
  const prior = loadSecretsFile(secretsFile, show(secretsFile));
  if (prior && prior.cluster !== name) throw new UserError(messages.cli.secretsOfOtherCluster(show(secretsFile), prior.cluster, name));
  if (!prior) checkNoOrphanOutput(target, show, secretsFile);
  const started = performance.now();
  const inputs = generationInputs(file, cwd, { name, out: target, secretsFile, show }, log, prior);
  const progress = progressReporter(process.stderr, process.env);
  // the output is written as it is rendered (one node at a time into a staging directory) and swapped
  // in only after the secrets are saved; any failure before leaves the previous output (run-output.ts)
  const output = await openRunOutput(cmd.format, { target, out, force: cmd.force, cwd, show });
  let g: Streamed;
  let files: number;
  try {
    try {
      g = await streamCluster(profile, prior, { clock: systemClock, random: systemRandom, keys: defaultKeyFactory, progress: progress.sink }, { ...inputs, auditPolicy }, output.emit);
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
    files = await output.commit();
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
