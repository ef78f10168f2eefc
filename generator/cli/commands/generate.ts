/**
 * `gen --profile NAME`: validate → generate (pure) → save secrets → write the output directory.
 * Secrets are saved before the output is replaced, so written certificates always belong to the
 * saved secrets file; a failure anywhere leaves the previous output directory untouched.
 */
import { basename, join } from "node:path";
import { systemClock, systemRandom } from "../../core/clock.js";
import { messages } from "../../core/messages.js";
import { generateCluster } from "../../bundle/generate.js";
import { withSeedIsos } from "../../bundle/seed-iso.js";
import { verifiedDownloads } from "../../bundle/ignition.js";
import { isIgnitionOs } from "../../render/ignition/os.js";
import { makeBundle } from "../../bundle/artifact.js";
import { nodeArchives, wholeOutput } from "../../bundle/archives.js";
import { archiveBytes, writeArchiveFile, type ArchiveFormat } from "../../io/archive.js";
import { readFilesLock } from "../../io/files-lock.js";
import { saveSecretsFile } from "../../io/secrets-file.js";
import { writeBundle } from "../../io/write-dir.js";
import { buildModel } from "../../model/build.js";
import { CLOUD_LIMITS } from "../../model/clouds.js";
import { defaultKeyFactory } from "../../pki/keys.js";
import { planCluster } from "../../plan/plan.js";
import type { Command } from "../args.js";
import { progressReporter } from "../progress.js";
import { loadValidProfile } from "./load.js";
import { generationInputs, places, priorSecrets, withCloud } from "./inputs.js";
import { summaryText } from "./summary.js";
import { EXIT } from "../exit-codes.js";

const log = (s: string) => process.stderr.write(s);


export async function generateCommand(cmd: Extract<Command, { name: "generate" }>, cwd: string): Promise<number> {
  const loaded = loadValidProfile(cmd.profile, cwd, cmd.strict);
  const file = loaded.file;
  const profile = withCloud(loaded.profile, cmd.cloud);
  const at = places(profile, cmd, cwd);
  const { out, secretsFile, show } = at;
  if (cmd.check) {
    const plan = planCluster(buildModel(profile));
    // Ignition nodes need every download's hash: --check reads the files lock as generation would
    const lock = readFilesLock(file, cwd);
    for (const n of plan.nodes.filter((p) => isIgnitionOs(p.node.os))) verifiedDownloads({ model: plan.model, node: n.node, join: { token: "", caCertHash: "" } }, lock);
    log(messages.cli.checked(file, plan.nodes.length, plan.certs.length, plan.kubeconfigs.length));
    return 0;
  }
  const prior = priorSecrets(at);
  const started = performance.now();
  const inputs = generationInputs(file, cwd, at, log, prior);
  const progress = progressReporter(process.stderr, process.env);
  let g;
  try {
    g = await generateCluster(profile, prior, { clock: systemClock, random: systemRandom, keys: defaultKeyFactory, progress: progress.sink }, inputs);
  } finally {
    progress.end();
  }
  for (const note of g.issue.notes) log(`note: ${note}\n`);
  for (const warning of g.report.warnings) log(`warning: ${warning}\n`);
  const savedSecrets = saveSecretsFile(secretsFile, g.issue.secrets);
  if (!prior) log(messages.cli.secretsCreated(show(secretsFile)));
  else if (savedSecrets) log(messages.cli.secretsUpdated(show(secretsFile)));
  // --format iso (and all): every cloud-init node's documents also as nodes/NODE/seed.iso
  const isos = cmd.format === "iso" || cmd.format === "all";
  let bundle = isos ? withSeedIsos(g.bundle) : g.bundle;
  if (isos && bundle.artifacts.length === g.bundle.artifacts.length) log(messages.cli.noSeedIso(cmd.format));
  // --format tar.gz / zip (and all): per node nodes/NODE.tar.gz inside the output, the whole output beside it
  const whole: ArchiveFormat[] = cmd.format === "all" ? ["tar.gz", "zip"] : cmd.format === "tar.gz" || cmd.format === "zip" ? [cmd.format] : [];
  if (whole.length > 0) {
    const perNode = await Promise.all(nodeArchives(bundle).map(async (a) => ({ path: a.path, mode: 0o600, contents: await archiveBytes(a.artifacts, "tar.gz", `${a.node}/`), sensitive: true })));
    bundle = makeBundle([...bundle.artifacts, ...perNode]);
  }
  progress.sink({ stage: "files", done: 0, total: bundle.artifacts.length });
  writeBundle(bundle, out, { force: cmd.force });
  progress.sink({ stage: "files", done: bundle.artifacts.length, total: bundle.artifacts.length });
  progress.end();
  for (const format of whole) {
    const bytes = await archiveBytes(wholeOutput(bundle), format, `${basename(out)}/`);
    writeArchiveFile(`${out}.${format}`, bytes);
    log(messages.cli.archiveWritten(show(`${out}.${format}`), bytes.length));
  }
  // one summary line, whatever the number of nodes; per node in REPORT.md (bundle/budget.ts decides fits for both)
  const largest = [...g.sizes].sort((a, b) => b.counted - a.counted || (a.node < b.node ? -1 : 1))[0];
  if (largest) {
    const cloud = g.model.cloud === "none" ? null : CLOUD_LIMITS[g.model.cloud].label;
    const compressed = g.sizes.filter((s) => s.compressed).length;
    log(messages.cli.bootDocs({ count: g.sizes.length, cloud, compressed, node: largest.node, doc: largest.path.split("/").pop()!, bytes: largest.bytes, counted: largest.counted, limit: largest.limit, report: show(join(out, "REPORT.md")) }));
  }
  log(
    messages.cli.generated({
      out: show(out),
      files: bundle.artifacts.length,
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
