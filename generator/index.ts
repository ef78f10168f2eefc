/**
 * kubeseed's programmatic API (the package's `exports`), for people who drive kubeseed from their own
 * TypeScript: the same stages the CLI runs, one-way — validateProfile → buildModel → planCluster →
 * generateCluster (secrets, certificates, every document, in memory) → a writer (directory, archive, seed
 * ISO). Pure stages take their inputs and return data; only the functions from io/ touch the disk.
 * Guarantees: re-exports only; every name here is part of the package's public, typed surface (dist/
 * index.d.ts). Does not: print, exit or read the environment (that is the CLI's job, generator/cli).
 */
import type { Diagnostic } from "./core/diagnostics.js";
import { loadProfile, type ProfileInput, type ProfileSource } from "./profile/index.js";

/**
 * Validates a profile: its YAML text (with `file` as the name diagnostics show), or a chain of sources
 * as readProfileSources returns it (most-derived first, `extends` resolved). Never throws on bad input:
 * `profile` is set when there is no error; `diagnostics` holds every problem, each with code, path,
 * message, hint and file:line:column.
 */
export function validateProfile(input: string | ProfileSource[], file = "profile.yaml"): { profile?: ProfileInput; diagnostics: Diagnostic[] } {
  return loadProfile(typeof input === "string" ? [{ file, text: input }] : input);
}

export { profileJsonSchema } from "./profile/index.js";
export type { ProfileInput, ProfileSource } from "./profile/index.js";
export { renderDiagnostic, sortDiagnostics, hasErrors, type Diagnostic } from "./core/diagnostics.js";
export { UserError } from "./core/errors.js";
export { systemClock, systemRandom, fixedClock, type Clock, type RandomSource } from "./core/clock.js";
export { buildModel, type ImageLock } from "./model/build.js";
export type { ClusterModel, NodeModel } from "./model/types.js";
export { CLOUD_IDS, CLOUD_LIMITS, type CloudId, type CloudLimit } from "./model/clouds.js";
export { planCluster } from "./plan/plan.js";
export type { ClusterPlan, NodePlan } from "./plan/types.js";
export { defaultKeyFactory, type KeyFactory } from "./pki/keys.js";
export type { SecretsBundle } from "./pki/secrets.js";
export type { IssueDeps } from "./pki/issue.js";
export { generateCluster, type Generated, type GenerateInputs, type PreviousOutput } from "./bundle/generate.js";
export { hasChanges, type Changes } from "./bundle/changes.js";
export { expiryRows, type ExpiryRow } from "./pki/expiry.js";
export { makeBundle, artifactBytes, type Artifact, type Bundle } from "./bundle/artifact.js";
export type { BootDocSize } from "./bundle/budget.js";
export type { Report } from "./bundle/report.js";
export { withSeedIsos } from "./bundle/seed-iso.js";
export { nodeArchives, wholeOutput, type NodeArchive } from "./bundle/archives.js";
// the writers and readers (the only part of the API that touches the disk)
export { readProfileSources } from "./io/profile-files.js";
export { readFilesLock } from "./io/files-lock.js";
export { readImageLock } from "./io/image-lock.js";
export { readPreviousOutput } from "./io/previous-output.js";
export { loadSecretsFile, saveSecretsFile } from "./io/secrets-file.js";
export { writeBundle, OUTPUT_MARKER, type WriteOptions } from "./io/write-dir.js";
export { archiveBytes, type ArchiveFormat } from "./io/archive.js";
export { writeArchiveFile } from "./io/archive-file.js";
