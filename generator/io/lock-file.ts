/**
 * The shared part of kubeseed's lock files next to a profile (files-lock.ts, image-lock.ts): read the
 * text, parse JSON, check the `format` line and return the named mapping.
 * Guarantees: undefined when the file does not exist; any other problem (also a path that is not a
 * regular file) is a UserError whose text comes from the caller's messages (which name the file).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";

export interface LockMessages {
  invalid: (file: string, why: string) => string;
  unreadable: (file: string, code: string) => string;
}

/** The `key` mapping of the lock `shown` (resolved against cwd), after its format is checked. */
export function readLockMapping(shown: string, cwd: string, format: string, key: string, what: string, m: LockMessages): Record<string, unknown> | undefined {
  const path = resolve(cwd, shown);
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    // a FIFO or device would block or never end: only a regular file is read
    if (!statSync(path).isFile()) throw Object.assign(new Error("not a regular file"), { code: "not a regular file" });
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UserError(m.unreadable(shown, (e as NodeJS.ErrnoException).code ?? String(e)));
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UserError(m.invalid(shown, (e as Error).message));
  }
  const d = doc as Record<string, unknown> | null;
  if (typeof d !== "object" || d === null || d.format !== format) throw new UserError(m.invalid(shown, messages.registry.lockFormat(format)));
  const map = d[key];
  if (typeof map !== "object" || map === null || Array.isArray(map)) throw new UserError(m.invalid(shown, messages.registry.lockMapping(key, what)));
  return map as Record<string, unknown>;
}
