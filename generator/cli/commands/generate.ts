/**
 * `gen --profile NAME`: validate → lock → nothing to do when the output is up to date (up-to-date.ts)
 * → else generate and write (generate-run.ts, loaded only then: a run with nothing to do, like
 * `--check`, loads none of the rendering code).
 * The secrets file and the output directory are locked for the whole run (io/run-lock.ts), and what
 * interrupted runs left beside them is cleaned up first (io/stale.ts). A secrets file inside the
 * output directory is refused.
 */
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { systemClock } from "../../core/clock.js";
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { lockRun, type RunLock } from "../../io/run-lock.js";
import { cleanStaleOutput, cleanStaleSecrets } from "../../io/stale.js";
import { outputTarget } from "../../io/write-dir.js";
import type { Command } from "../args.js";
import { loadValidProfile } from "./load.js";
import { runInputs, upToDateFiles } from "./up-to-date.js";
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

export async function generateCommand(cmd: Extract<Command, { name: "generate" }>, cwd: string): Promise<number> {
  const loaded = await loadValidProfile(cmd.profile, cwd, cmd.strict);
  const file = loaded.file;
  // --cloud overrides the profile's spec.cloud (the size budget of every node's first-boot document)
  const profile = cmd.cloud ? { ...loaded.profile, spec: { ...loaded.profile.spec, cloud: cmd.cloud } } : loaded.profile;
  const name = profile.metadata.name;
  const out = resolve(cwd, cmd.out ?? join("output", name));
  const secretsFile = resolve(cwd, cmd.secrets ?? join("secrets", `${name}.yaml`));
  const show = (p: string) => relative(cwd, p) || ".";
  if (cmd.check) {
    const { buildModel } = await import("../../model/build.js");
    const { planCluster } = await import("../../plan/plan.js");
    const { checkFilesLock } = await import("../../bundle/ignition.js");
    const { readFilesLock } = await import("../../io/files-lock.js");
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
    const started = performance.now();
    const run = runInputs(profile, loaded.auditPolicy, cmd.format, { profileFile: file, cwd, target, secretsFile, show, out });
    const upToDate = cmd.rewrite ? undefined : upToDateFiles(run, systemClock.now().getTime());
    if (upToDate !== undefined) {
      log(messages.cli.upToDate(show(out), upToDate, Math.round(performance.now() - started)));
      return EXIT.ok;
    }
    const { generateLocked } = await import("./generate-run.js");
    return await generateLocked(cmd, { profile, file, name, out, target, secretsFile, show, cwd, auditPolicy: loaded.auditPolicy }, run, started);
  } finally {
    for (const l of locks.reverse()) l.release();
  }
}
