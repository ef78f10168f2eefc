/**
 * Reads NAME.files.lock.json next to the profile NAME.yaml (profiles/coreos.yaml →
 * profiles/coreos.files.lock.json): the sha256 of every file Ignition nodes download
 * (render/ignition/downloads.ts FilesLock). Format:
 *   {"format": "kubeseed.files-lock/v1",
 *    "files": {"<url>": {"sha256": "<64 hex>", "source": "<where the value comes from>"}}}
 * Guarantees: a missing file gives an empty lock that still names the path (generation then fails only
 * for nodes that need a hash, saying which); an unreadable or malformed file is a UserError.
 */
import { basename, dirname, join } from "node:path";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { FILES_LOCK_FORMAT, type FilesLock } from "../render/ignition/downloads.js";
import { readLockMapping } from "./lock-file.js";

export { FILES_LOCK_FORMAT };
const M = messages.ignition;
const SHA256 = /^[0-9a-f]{64}$/;

/** The lock path for a profile file: same folder, `.yaml`/`.yml` replaced by `.files.lock.json`. */
export function filesLockPath(profileFile: string): string {
  return join(dirname(profileFile), `${basename(profileFile).replace(/\.ya?ml$/i, "")}.files.lock.json`);
}

function entries(map: Record<string, unknown>, shown: string): FilesLock["files"] {
  const files: FilesLock["files"] = {};
  for (const [url, entry] of Object.entries(map)) {
    const e = entry as { sha256?: unknown; source?: unknown };
    if (typeof e !== "object" || e === null || typeof e.sha256 !== "string" || !SHA256.test(e.sha256)) {
      throw new UserError(M.lockInvalid(shown, messages.registry.lockSha256(url)));
    }
    files[url] = { sha256: e.sha256, ...(typeof e.source === "string" ? { source: e.source } : {}) };
  }
  return files;
}

/** profileFile as the user sees it (relative to cwd or absolute); cwd resolves it. */
export function readFilesLock(profileFile: string, cwd: string): FilesLock {
  const shown = filesLockPath(profileFile);
  const map = readLockMapping(shown, cwd, FILES_LOCK_FORMAT, "files", "URL to {sha256}", { invalid: M.lockInvalid, unreadable: M.lockUnreadable });
  return { file: shown, files: map ? entries(map, shown) : {} };
}
