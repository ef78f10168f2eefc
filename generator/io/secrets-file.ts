/**
 * The secrets file on disk: read it if present, save it with mode 0600 inside a 0700 folder.
 * Guarantees: saving is atomic (temp file + rename) and never leaves a half-written file, not even
 * its temporary file on a full disk; a path that is a directory or not a regular file, and an empty
 * file, are UserErrors (an empty file is never taken for "no secrets yet": that would make a new CA);
 * file-system faults are one-line UserErrors. The format itself (parse/serialize) belongs to
 * pki/secrets.ts.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync } from "node:fs";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { parseSecrets, serializeSecrets, type SecretsBundle } from "../pki/secrets.js";
import { DISK_CODES, userFs } from "./fs-errors.js";
import { writeTextFile } from "./text-file.js";

/** The bundle in `file`, or undefined when there is no file; `shown` names it in messages. */
export function loadSecretsFile(file: string, shown = file): SecretsBundle | undefined {
  if (!existsSync(file)) return undefined;
  const text = userFs("read", shown, () => {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new UserError(messages.io.secretsNotFile(shown, st.isDirectory() ? "directory" : "special"));
      return readFileSync(fd, "utf8");
    } finally {
      closeSync(fd);
    }
  });
  if (text.trim() === "") throw new UserError(messages.io.secretsEmpty(shown), [{ severity: "error", code: "secrets.empty", path: [], message: messages.io.secretsEmpty(shown), hint: messages.io.secretsEmptyHint, loc: { file: shown, line: 1, col: 1 } }]);
  return parseSecrets(text, shown);
}

/** Writes only when the serialized text differs, so an unchanged run does not touch the file. */
export function saveSecretsFile(file: string, secrets: SecretsBundle, shown = file): boolean {
  const text = serializeSecrets(secrets);
  if (existsSync(file) && readFileSync(file, "utf8") === text) return false;
  // a folder kubeseed creates is 0700; an existing folder is the user's and keeps its mode
  userFs("write", shown, () => writeTextFile(file, text, 0o600, 0o700), messages.io.secretsKept, DISK_CODES);
  return true;
}
