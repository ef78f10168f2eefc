/**
 * `gen` with nothing to do, as `make` says it: a run whose inputs are those of the run that wrote the
 * output, whose clock is inside that run's render window (bundle/freshness.ts) and whose output is on
 * disk exactly as that run wrote it renders nothing new, so it writes nothing and says so.
 * The run that writes an output stamps it (one line of the .kubeseed-output marker: io/output-owner.ts)
 * with: a hash of its inputs — the profile as validated (with --cloud), the audit policy, the files and
 * image locks, the CA rotation file, the secrets file as saved, --format, where the output and the
 * secrets file are, and kubeseed's own code (io/up-to-date.ts codeFingerprint) —, its render window,
 * and one digest of every file it wrote (and of the whole-output archives beside it).
 * Guarantees: a skipped run leaves every byte as a full run would have left it: any changed input, a
 * clock outside the window, a file of the output changed, removed or replaced by a link, or a file
 * added to the output (a full run decides what to do with it) makes the run a full one; a run that
 * printed notes or warnings is not stamped (a skip would not repeat them); `--rewrite` never skips.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { RenderWindow } from "../../bundle/freshness.js";
import { outputForms } from "../../bundle/archives.js";
import { readFilesLock } from "../../io/files-lock.js";
import { readImageLock } from "../../io/image-lock.js";
import { outputState, OUTPUT_MARKER, readStamp } from "../../io/output-owner.js";
import { rotationFileOf } from "../../io/rotation-file.js";
import { codeFingerprint, digestOnDisk, readTextIfExists } from "../../io/up-to-date.js";
import type { ProfileInput } from "../../profile/schema.js";
import type { OutputFormat } from "../args.js";

const STAMP_FORMAT = "v1";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** The inputs of a run but the secrets file's text (which the run may change before it stamps). */
export interface RunInputs {
  hash: string;
  secretsFile: string;
  /** the output directory, symbolic links resolved */
  target: string;
  /** the whole-output archives beside the output, relative to it (../NAME.tar.gz …) */
  beside: string[];
}

export interface InputPlaces {
  profileFile: string;
  cwd: string;
  target: string;
  secretsFile: string;
  show: (p: string) => string;
  out: string;
}

export function runInputs(profile: ProfileInput, auditPolicy: { text: string } | undefined, format: OutputFormat, p: InputPlaces): RunInputs {
  const text = JSON.stringify({
    code: codeFingerprint(),
    profile,
    auditPolicy: auditPolicy?.text ?? null,
    filesLock: readFilesLock(p.profileFile, p.cwd),
    imageLock: readImageLock(p.profileFile, p.cwd).lock,
    rotation: readTextIfExists(rotationFileOf(p.secretsFile)) ?? null,
    format,
    places: [p.target, p.show(p.out), p.show(p.secretsFile)],
  });
  return { hash: sha256(text), secretsFile: p.secretsFile, target: p.target, beside: outputForms(format).whole.map((f) => `../${basename(p.target)}.${f}`) };
}

/** The key of the inputs with the secrets file as it is now. */
function keyOf(inputs: RunInputs): string | undefined {
  const secrets = readTextIfExists(inputs.secretsFile);
  return secrets === undefined ? undefined : sha256(`${inputs.hash}\n${sha256(secrets)}`);
}

/** The stamp of a run that wrote everything in `digest` with the secrets file as it saved it; undefined if that file cannot be read. */
export function stampOf(inputs: RunInputs, window: RenderWindow, digest: string): string | undefined {
  const key = keyOf(inputs);
  if (key === undefined || !(window.from < window.until)) return undefined;
  return [STAMP_FORMAT, key, window.from, window.until, digest].join(" ");
}

/** The number of files of an output that is up to date for `inputs` at `now`, else undefined. */
export function upToDateFiles(inputs: RunInputs, now: number): number | undefined {
  const [format, key, from, until, digest] = readStamp(inputs.target)?.split(" ") ?? [];
  if (format !== STAMP_FORMAT || !(Number(from) <= now && now < Number(until))) return undefined;
  if (keyOf(inputs) !== key) return undefined;
  const state = outputState(inputs.target, true);
  if (state.owned === "all" || state.foreign.length > 0) return undefined;
  const files = [...state.owned].filter((f) => f !== OUTPUT_MARKER);
  return digestOnDisk(inputs.target, [...files, ...inputs.beside]) === digest ? files.length : undefined;
}
