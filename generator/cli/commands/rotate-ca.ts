/**
 * `gen secrets rotate-ca --profile NAME`: the CA rotation plan — kubeadm's manual rotation (both CAs
 * trusted during the overlap, leaves re-issued by the new CA, then the old one dropped) as a sequence of
 * renders the operator applies in order. Prints the plan on stdout; changes nothing (no render step is
 * implemented yet, README "CA rotation" says what is left). A normal `gen` never rotates a CA.
 * Exit status: 0; 1 for an invalid profile; 2 for an unknown --step.
 */
import { UsageError } from "../../core/errors.js";
import { messages } from "../../core/messages.js";
import type { Command } from "../args.js";
import { EXIT } from "../exit-codes.js";
import { loadValidProfile } from "./load.js";

const R = messages.rotateCa;

export function rotateCaCommand(cmd: Extract<Command, { name: "rotate-ca" }>, cwd: string): number {
  if (cmd.step !== undefined) throw new UsageError(R.unknownStep(cmd.step, []));
  const { profile } = loadValidProfile(cmd.profile, cwd, cmd.strict);
  process.stdout.write(`${R.title(profile.metadata.name)}\n\n${R.steps.join("\n\n")}\n\n${R.notYet}\n`);
  return EXIT.ok;
}
