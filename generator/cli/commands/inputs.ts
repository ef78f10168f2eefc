/**
 * What `gen`, `gen plan`, `gen certs check` and `gen secrets rotate-ca` read besides the profile, in one
 * place: where the output and the secrets file are (defaults output/NAME, secrets/NAME.yaml), the prior
 * secrets (refused when they belong to another cluster), the locks next to the profile, the previous
 * output directory and a CA rotation in progress.
 * Guarantees: reads only; every problem is a UserError naming the file.
 */
import { join, relative, resolve } from "node:path";
import { UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import type { GenerateInputs } from "../../bundle/generate.js";
import { readFilesLock } from "../../io/files-lock.js";
import { readImageLock } from "../../io/image-lock.js";
import { readPreviousOutput } from "../../io/previous-output.js";
import { loadRotationFile, rotationFileOf } from "../../io/rotation-file.js";
import { loadSecretsFile } from "../../io/secrets-file.js";
import type { SecretsBundle } from "../../pki/secrets.js";
import type { ProfileInput } from "../../profile/schema.js";

/** --cloud overrides the profile's spec.cloud (the size budget of every node's first-boot document). */
export function withCloud(profile: ProfileInput, cloud: string | undefined): ProfileInput {
  return cloud ? { ...profile, spec: { ...profile.spec, cloud: cloud as ProfileInput["spec"]["cloud"] } } : profile;
}

export interface Places {
  name: string;
  out: string;
  secretsFile: string;
  /** a path as the user sees it (relative to the working directory) */
  show: (p: string) => string;
}

export function places(profile: ProfileInput, opts: { out?: string; secrets?: string }, cwd: string): Places {
  const name = profile.metadata.name;
  return {
    name,
    out: resolve(cwd, opts.out ?? join("output", name)),
    secretsFile: resolve(cwd, opts.secrets ?? join("secrets", `${name}.yaml`)),
    show: (p) => relative(cwd, p) || ".",
  };
}

/** The secrets file's bundle, or undefined before the first run; another cluster's file is refused. */
export function priorSecrets(p: Places): SecretsBundle | undefined {
  const prior = loadSecretsFile(p.secretsFile, p.show(p.secretsFile));
  if (prior && prior.cluster !== p.name) throw new UserError(messages.cli.secretsOfOtherCluster(p.show(p.secretsFile), prior.cluster, p.name));
  return prior;
}

/**
 * The locks next to the profile `file`, the previous output and a CA rotation in progress (next to the
 * secrets file, checked against `prior`); `log` receives the lock notice.
 */
export function generationInputs(file: string, cwd: string, p: Places, log: (s: string) => void, prior: SecretsBundle | undefined): GenerateInputs {
  const imageLock = readImageLock(file, cwd);
  if (imageLock.file) log(messages.registry.lockUsed(imageLock.file, Object.keys(imageLock.lock).length));
  const rotationFile = rotationFileOf(p.secretsFile);
  const rotation = loadRotationFile(rotationFile, prior, p.show(rotationFile));
  return { filesLock: readFilesLock(file, cwd), imageLock: imageLock.lock, previous: readPreviousOutput(p.out), ...(rotation ? { rotation } : {}) };
}
