/**
 * `gen secrets import --from-pki DIR --profile NAME [--secrets FILE]`: a kubeadm PKI directory becomes
 * the cluster's secrets file (pki/import-pki.ts), which every later `gen` reuses. Never replaces an
 * existing secrets file (that would replace the CAs); every problem of the directory is reported at
 * once, located at its file.
 */
import { EXIT } from "../exit-codes.js";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { systemClock, systemRandom } from "../../core/clock.js";
import type { Diagnostic } from "../../core/diagnostics.js";
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { readPkiDir } from "../../io/pki-dir.js";
import { saveSecretsFile } from "../../io/secrets-file.js";
import { buildModel } from "../../model/build.js";
import { importPki, PKI_FILES } from "../../pki/import-pki.js";
import { defaultKeyFactory } from "../../pki/keys.js";
import type { Command } from "../args.js";
import { loadValidProfile } from "./load.js";

const M = messages.options.importPki;

export async function secretsImportCommand(cmd: Extract<Command, { name: "secrets-import" }>, cwd: string): Promise<number> {
  const { profile, auditPolicy } = await loadValidProfile(cmd.profile, cwd, false);
  const model = buildModel(profile, {}, { auditPolicy });
  const file = resolve(cwd, cmd.secrets ?? join("secrets", `${model.name}.yaml`));
  const show = (p: string) => relative(cwd, p) || p;
  if (existsSync(file)) {
    const message = M.secretsExist(show(file));
    throw new UserError(message, [{ severity: "error", code: "import.secrets-exist", path: [], message, hint: M.secretsExistHint }]);
  }
  const { shown, files } = readPkiDir(cmd.fromPki, cwd, PKI_FILES);
  const r = await importPki(files, { cluster: model.name, keyAlgorithm: model.pki.keyAlgorithm, caValidityHours: model.pki.caValidityHours }, { clock: systemClock, random: systemRandom, keys: defaultKeyFactory });
  if (!r.secrets) {
    const diags: Diagnostic[] = r.problems.map((p) => ({ severity: "error", code: "import.pki", path: [], message: p.message, hint: p.hint, loc: { file: join(shown, p.file), line: 1, col: 1, text: "" } }));
    throw new UserError(M.failed(shown, diags.length), diags);
  }
  saveSecretsFile(file, r.secrets);
  process.stderr.write(M.imported(show(file), Object.keys(r.secrets.cas), r.keyless));
  if (r.keyless.length) process.stderr.write(M.keylessWarning(r.keyless));
  if (r.newEtcdCa) process.stderr.write(M.generatedEtcd);
  return EXIT.ok;
}
