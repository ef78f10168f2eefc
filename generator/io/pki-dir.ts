/**
 * Reads a kubeadm PKI directory for `gen secrets import` (pki/import-pki.ts decides what it means).
 * Guarantees: reads only the named files; a missing file is `undefined`, never an error; a directory that
 * does not exist or a file that cannot be read is a UserError naming the path (never its content).
 */
import { readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";

const M = messages.options.importPki;

export function readPkiDir(dir: string, cwd: string, names: readonly string[]): { shown: string; files: Record<string, string | undefined> } {
  const abs = resolve(cwd, dir);
  const shown = relative(cwd, abs) || abs;
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UserError(M.notADirectory(shown));
  const files: Record<string, string | undefined> = {};
  for (const name of names) {
    try {
      files[name] = readFileSync(join(abs, name), "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") files[name] = undefined;
      else throw new UserError(M.unreadable(join(shown, name), code ?? "error"));
    }
  }
  return { shown, files };
}
