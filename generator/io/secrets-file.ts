/**
 * The secrets file on disk: read it if present, save it with mode 0600 inside a 0700 folder.
 * Guarantees: saving is atomic (temp file + rename) and never leaves a half-written file; the format
 * itself (parse/serialize) belongs to pki/secrets.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseSecrets, serializeSecrets, type SecretsBundle } from "../pki/secrets.js";
import { writeTextFile } from "./text-file.js";

export function loadSecretsFile(file: string): SecretsBundle | undefined {
  if (!existsSync(file)) return undefined;
  return parseSecrets(readFileSync(file, "utf8"), file);
}

/** Writes only when the serialized text differs, so an unchanged run does not touch the file. */
export function saveSecretsFile(file: string, secrets: SecretsBundle): boolean {
  const text = serializeSecrets(secrets);
  if (existsSync(file) && readFileSync(file, "utf8") === text) return false;
  // a folder kubeseed creates is 0700; an existing folder is the user's and keeps its mode
  writeTextFile(file, text, 0o600, 0o700);
  return true;
}
