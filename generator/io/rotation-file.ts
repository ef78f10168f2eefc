/**
 * The CA rotation file next to the secrets file (secrets/NAME.yaml → secrets/NAME.rotation.yaml, mode
 * 0600 in the secrets folder): read it when present, write it once when a rotation starts. The format
 * is pki/rotation.ts's.
 * Guarantees: writing is atomic (io/text-file.ts) and refuses to replace an existing rotation.
 */
import { existsSync, readFileSync } from "node:fs";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { parseRotation, serializeRotation, type Rotation } from "../pki/rotation.js";
import type { SecretsBundle } from "../pki/secrets.js";
import { writeTextFile } from "./text-file.js";

/** Where the rotation of the secrets file `secretsFile` lives. */
export function rotationFileOf(secretsFile: string): string {
  return /\.ya?ml$/.test(secretsFile) ? secretsFile.replace(/\.ya?ml$/, ".rotation.yaml") : `${secretsFile}.rotation.yaml`;
}

export function loadRotationFile(file: string, secrets: SecretsBundle | undefined, shown = file): Rotation | undefined {
  if (!existsSync(file)) return undefined;
  if (!secrets) throw new UserError(messages.rotateCa.badFile(shown, [messages.rotateCa.noSecrets(shown)]));
  return parseRotation(readFileSync(file, "utf8"), shown, secrets);
}

export function saveRotationFile(file: string, rotation: Rotation, shown = file): void {
  if (existsSync(file)) throw new UserError(messages.rotateCa.already(shown, rotation.step));
  writeTextFile(file, serializeRotation(rotation), 0o600, 0o700);
}
