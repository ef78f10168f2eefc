/**
 * writeBundle: puts a Bundle on disk as a directory, atomically, never touching what kubeseed did not
 * write.
 * Guarantees:
 * - the files are written into a fresh sibling directory (OUT.kubeseed-new-PID) first and swapped in
 *   with renames only when every file is written, so a failure midway (a full disk, a read-only
 *   mount) leaves the previous output intact and no partial tree; such faults are one-line
 *   UserErrors (fs-errors.ts);
 * - modes are set explicitly (umask does not apply);
 * - the marker `.kubeseed-output` lists every path written (output-owner.ts); everything else in the
 *   directory is the user's: a directory holding such files is refused unless `force`, and even
 *   with `force` those files are kept, never deleted or overwritten — a user's file where kubeseed
 *   writes (at one of its paths, or inside one of its top-level folders) is refused;
 * - a directory of kubeseed's alone is swapped whole (one rename); one that also holds the user's
 *   files, or that holds the current working directory, has kubeseed's top-level entries swapped one
 *   by one (the marker first lists old and new paths, so an interrupted swap leaves nothing unowned);
 * - `--out` that is a file, or sits under one, is a UserError before anything is written.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { artifactBytes, type Bundle } from "../bundle/artifact.js";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { DISK_CODES, userFs } from "./fs-errors.js";
import { inTheWay, markerText, OUTPUT_MARKER, outputState, topOf } from "./output-owner.js";
import { makeDirs } from "./text-file.js";

export { OUTPUT_MARKER } from "./output-owner.js";

export interface WriteOptions {
  force: boolean;
  /** the working directory: an output that holds it is never renamed as a whole */
  cwd?: string;
  /** the output as the user named it, for messages (default: the path given) */
  shown?: string;
}

/** `out` as a directory path kubeseed may use: a symbolic link is followed; a file, or a file above it, is refused. */
export function outputTarget(outDir: string, shown = outDir, show: (p: string) => string = (p) => p): string {
  const out = resolve(outDir);
  if (!existsSync(out)) {
    for (let up = dirname(out); up !== dirname(up); up = dirname(up)) {
      if (!existsSync(up)) continue;
      if (!lstatSync(realpathSync(up)).isDirectory()) throw new UserError(messages.io.outUnderFile(shown, show(up)));
      break;
    }
    return out;
  }
  const real = realpathSync(out);
  if (!lstatSync(real).isDirectory()) throw new UserError(messages.io.outIsFile(shown));
  return real;
}

function writeTree(root: string, bundle: Bundle): void {
  for (const a of bundle.artifacts) {
    const file = join(root, a.path);
    if (!file.startsWith(root + "/")) throw new Error(`internal: artifact path escapes the output: ${a.path}`);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, artifactBytes(a), { mode: a.mode });
    chmodSync(file, a.mode);
  }
}

export function writeBundle(bundle: Bundle, outDir: string, opts: WriteOptions): void {
  const shown = opts.shown ?? outDir;
  const out = outputTarget(outDir, shown);
  const state = outputState(out, existsSync(out));
  const paths = bundle.artifacts.map((a) => a.path);
  const oldOwned = state.owned === "all" ? [] : [...state.owned];
  const tops = new Set([...paths, ...oldOwned, OUTPUT_MARKER].map(topOf));
  if (state.foreign.length > 0 && !opts.force) throw new UserError(messages.io.outputNotEmpty(shown, state.foreign));
  const blocked = inTheWay(state.foreign, paths, tops);
  if (blocked.length > 0) throw new UserError(messages.io.outputInTheWay(shown, blocked));

  const staging = `${out}.kubeseed-new-${process.pid}`;
  const previous = `${out}.kubeseed-old-${process.pid}`;
  const unchanged = messages.io.previousKept(state.exists);
  userFs("write", shown, () => {
    rmSync(staging, { recursive: true, force: true });
    makeDirs(dirname(out));
    try {
      mkdirSync(staging, { mode: 0o755 });
      writeTree(staging, bundle);
      writeFileSync(join(staging, OUTPUT_MARKER), markerText(paths), { mode: 0o644 });
    } catch (e) {
      rmSync(staging, { recursive: true, force: true });
      throw e;
    }
  }, unchanged, DISK_CODES);

  const cwd = opts.cwd ?? process.cwd();
  const holdsCwd = !relative(out, cwd).startsWith("..");
  userFs("replace", shown, () => {
    if (state.foreign.length === 0 && !holdsCwd) {
      if (state.exists) renameSync(out, previous);
      renameSync(staging, out);
    } else {
      swapEntries(out, staging, previous, tops, [...new Set([...oldOwned, ...paths])]);
    }
    rmSync(previous, { recursive: true, force: true });
  }, unchanged, DISK_CODES);
}

/** Swaps kubeseed's top-level entries of `out` for those of `staging`, one rename each; the user's stay. */
function swapEntries(out: string, staging: string, previous: string, tops: ReadonlySet<string>, union: string[]): void {
  mkdirSync(out, { recursive: true });
  // first claim every path of either run, so an interrupted swap leaves nothing kubeseed wrote unowned
  writeFileSync(join(out, `${OUTPUT_MARKER}.kubeseed-tmp-${process.pid}`), markerText(union), { mode: 0o644 });
  renameSync(join(out, `${OUTPUT_MARKER}.kubeseed-tmp-${process.pid}`), join(out, OUTPUT_MARKER));
  mkdirSync(previous, { recursive: true });
  for (const top of [...tops].filter((t) => t !== OUTPUT_MARKER).sort()) {
    if (existsSync(join(out, top))) renameSync(join(out, top), join(previous, top));
    if (existsSync(join(staging, top))) renameSync(join(staging, top), join(out, top));
  }
  renameSync(join(staging, OUTPUT_MARKER), join(out, OUTPUT_MARKER));
  rmSync(staging, { recursive: true, force: true });
  if (readdirSync(previous).length === 0) rmSync(previous, { recursive: true, force: true });
}
