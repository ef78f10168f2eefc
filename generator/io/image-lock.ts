/**
 * Reads the image lock next to a profile: NAME.images.lock.json, else images.lock.json in the same
 * folder (what mirror.sh save writes). Format (render/registry/mirror.ts):
 *   {"format": "kubeseed.images-lock/v1", "images": {"<registry>/<path>:<tag>": "sha256:<64 hex>"}}
 * Guarantees: no file → an empty lock (nothing pinned); an unreadable or malformed file is a UserError
 * naming the file and the entry.
 */
import { basename, dirname, join } from "node:path";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import type { ImageLock } from "../model/build.js";
import { IMAGE_LOCK_FORMAT } from "../render/registry/mirror.js";
import { readLockMapping } from "./lock-file.js";

const M = messages.registry;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The lock files looked for, most specific first (paths as the user sees them). */
export function imageLockPaths(profileFile: string): string[] {
  const dir = dirname(profileFile);
  return [join(dir, `${basename(profileFile).replace(/\.ya?ml$/i, "")}.images.lock.json`), join(dir, "images.lock.json")];
}

function entries(map: Record<string, unknown>, shown: string): ImageLock {
  const lock: ImageLock = {};
  for (const [ref, digest] of Object.entries(map)) {
    if (typeof digest !== "string" || !DIGEST.test(digest)) throw new UserError(M.lockInvalid(shown, M.lockDigest(ref)));
    lock[ref] = digest;
  }
  return lock;
}

/** profileFile as the user sees it; cwd resolves it. Returns the lock and the file it came from. */
export function readImageLock(profileFile: string, cwd: string): { lock: ImageLock; file?: string } {
  for (const shown of imageLockPaths(profileFile)) {
    const map = readLockMapping(shown, cwd, IMAGE_LOCK_FORMAT, "images", "image reference to digest", { invalid: M.lockInvalid, unreadable: M.lockUnreadable });
    if (map) return { lock: entries(map, shown), file: shown };
  }
  return { lock: {} };
}
