/**
 * `gen secrets rotate-ca --profile NAME [--step trust-both]`: kubeadm's manual CA rotation (both CAs
 * trusted during the overlap, leaves re-issued by the new CA, then the old one dropped) as a sequence of
 * renders the operator applies in order (docs/day-two.md). Without --step: prints the plan and where a
 * rotation in progress stands, changes nothing. With --step trust-both: makes the new cluster CA and
 * writes it next to the secrets file (secrets/NAME.rotation.yaml, 0600); the next `gen` renders step 1
 * (`gen plan` shows what it changes). A normal `gen` never starts a rotation.
 * Exit status: 0; 1 for an invalid profile, no secrets file yet, or a rotation already started;
 * 2 for an unknown --step.
 */
import { systemClock, systemRandom } from "../../core/clock.js";
import { UsageError, UserError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import { loadRotationFile, rotationFileOf, saveRotationFile } from "../../io/rotation-file.js";
import { buildModel } from "../../model/build.js";
import { defaultKeyFactory } from "../../pki/keys.js";
import { ROTATION_STEPS, startRotation } from "../../pki/rotation.js";
import type { Command } from "../args.js";
import { EXIT } from "../exit-codes.js";
import { places, priorSecrets } from "./inputs.js";
import { loadValidProfile } from "./load.js";

const R = messages.rotateCa;

export async function rotateCaCommand(cmd: Extract<Command, { name: "rotate-ca" }>, cwd: string): Promise<number> {
  if (cmd.step !== undefined && !(ROTATION_STEPS as readonly string[]).includes(cmd.step)) throw new UsageError(R.unknownStep(cmd.step, ROTATION_STEPS));
  const { profile, auditPolicy } = await loadValidProfile(cmd.profile, cwd, cmd.strict);
  const at = places(profile, cmd, cwd);
  const prior = priorSecrets(at);
  const file = rotationFileOf(at.secretsFile);
  const current = loadRotationFile(file, prior, at.show(file));
  if (cmd.step === undefined) {
    const status = current ? R.current(at.show(file), current.step) : R.implemented;
    process.stdout.write(`${R.title(profile.metadata.name)}\n\n${R.steps.join("\n\n")}\n\n${status}\n`);
    return EXIT.ok;
  }
  if (!prior) throw new UserError(R.noSecrets(at.show(at.secretsFile)));
  if (current) throw new UserError(R.already(at.show(file), current.step));
  const model = buildModel(profile, {}, { auditPolicy });
  const rotation = await startRotation(prior, { keyAlgorithm: model.pki.keyAlgorithm, caValidityHours: model.pki.caValidityHours }, { clock: systemClock, random: systemRandom, keys: defaultKeyFactory });
  saveRotationFile(file, rotation, at.show(file));
  process.stderr.write(R.started(at.show(file), profile.metadata.name));
  return EXIT.ok;
}
