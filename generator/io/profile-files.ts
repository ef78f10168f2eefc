/**
 * Reads a profile and the chain of bases it `extends:` (the only file-system part of the profile
 * stage). Parsing and merging stay pure in generator/profile.
 * Guarantees: returns the chain most-derived first, each with a display path (relative to cwd
 * when inside it); follows `extends:` relative to the file that names it; a missing or unreadable
 * file, or a cycle, throws a UserError whose Diagnostic names the file and line of the extends key.
 * Every file is read safely (profile-read.ts): a regular file outside /proc, /sys and /dev, at most
 * MAX_PROFILE_BYTES, UTF-8; a file named by `extends:` must be a kubeseed profile (apiVersion and
 * kind) before anything about its content is reported. A file with YAML errors ends the chain
 * without error: loadProfile() reports those errors.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { Diagnostic } from "../core/diagnostics.js";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { findExtends, isProfileText, type ProfileSource } from "../profile/parse.js";
import { didYouMean } from "../profile/suggest.js";
import { readProfileText } from "./profile-read.js";

export type { ProfileSource } from "../profile/parse.js";

const M = messages.profile;
const PROFILE_DIR = "profiles";

/**
 * ref is a name (looked up as profiles/NAME.yaml under cwd) or a path (it contains a '/' or ends
 * in .yaml/.yml). Follows `extends:`; detects cycles and missing files.
 */
export function readProfileSources(ref: string, cwd: string): ProfileSource[] {
  const isPath = /[\\/]/.test(ref) || /\.ya?ml$/i.test(ref);
  const first = resolve(cwd, isPath ? ref : `${PROFILE_DIR}/${ref}.yaml`);
  if (!existsSync(first)) {
    const names = profileNames(cwd);
    const close = isPath ? undefined : didYouMean(ref, names);
    const hint = close ? M.didYouMean(close) : M.notFoundHint(names);
    const message = M.notFound(ref, display(first, cwd));
    throw new UserError(message, [{ severity: "error", code: "profile-not-found", path: [], message, hint }]);
  }

  const chain: ProfileSource[] = [];
  const seen: string[] = [];
  let current = first;
  let text = read(current, cwd, ref);
  for (;;) {
    const source: ProfileSource = { file: display(current, cwd), text };
    chain.push(source);
    seen.push(current);
    const ext = findExtends(source);
    if (!ext) return chain;
    const next = resolve(dirname(current), ext.ref);
    const fail = (code: string, message: string, hint?: string): never => {
      const d: Diagnostic = { severity: "error", code, path: ["extends"], message, hint, loc: ext.loc };
      throw new UserError(M.chainFailed(ref), [d]);
    };
    if (seen.includes(next)) {
      const cycle = [...seen.slice(seen.indexOf(next)), next].map((f) => display(f, cwd));
      fail("extends-cycle", M.extendsCycle(cycle), M.extendsCycleHint);
    }
    if (!existsSync(next)) fail("extends-not-found", M.extendsNotFound(ext.ref, display(next, cwd)), M.extendsNotFoundHint);
    const r = readProfileText(next);
    if ("problem" in r) fail(r.problem.code, r.problem.message(display(next, cwd)), r.problem.hint);
    else if (!isProfileText(r.text)) fail("extends-not-a-profile", M.extendsNotAProfile(ext.ref, display(next, cwd)), M.notAProfileHint);
    else text = r.text;
    current = next;
  }
}

function read(path: string, cwd: string, ref: string): string {
  const r = readProfileText(path);
  if ("text" in r) return r.text;
  const message = r.problem.message(display(path, cwd));
  const loc = { file: display(path, cwd), line: 1, col: 1 };
  throw new UserError(M.chainFailed(ref), [{ severity: "error", code: r.problem.code, path: [], message, hint: r.problem.hint, loc }]);
}

/** Relative to cwd when the file is inside it, absolute otherwise; always with '/' separators. */
function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  const shown = rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  return shown.split("\\").join("/");
}

function profileNames(cwd: string): string[] {
  try {
    return readdirSync(resolve(cwd, PROFILE_DIR))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => f.slice(0, -".yaml".length))
      .sort();
  } catch {
    return [];
  }
}
