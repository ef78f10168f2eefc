/**
 * writeBundle: puts a Bundle on disk as a directory, atomically, never touching what kubeseed did not
 * write; openOutput does the same for artifacts that arrive in batches (add one node at a time, then
 * commit), so a large output is never held in memory whole.
 * Guarantees:
 * - the files are written into a fresh sibling directory (OUT.kubeseed-new-PID) first and swapped in
 *   with renames only when every file is written, so a failure midway (a full disk, a read-only
 *   mount) leaves the previous output intact and no partial tree; such faults are one-line
 *   UserErrors (fs-errors.ts);
 * - modes are set explicitly (umask does not apply);
 * - the marker `.kubeseed-output` lists every path written (output-owner.ts); everything else in the
 *   directory is the user's: a directory holding such files is refused unless `force`, and even
 *   with `force` those files are kept, never deleted or overwritten — a user's file where kubeseed
 *   writes (at one of its paths, or inside one of its top-level folders) is refused (when every path
 *   is known, before the swap; the staging directory is then removed);
 * - a directory of kubeseed's alone is swapped whole (one rename); one that also holds the user's
 *   files, or that holds the current working directory, has kubeseed's top-level entries swapped one
 *   by one (the marker first lists old and new paths, so an interrupted swap leaves nothing unowned);
 * - `--out` that is a file, or sits under one, is a UserError before anything is written.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Artifact, Bundle } from "../bundle/artifact.js";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { DISK_CODES, userFs, userFsAsync } from "./fs-errors.js";
import { inTheWay, markerText, OUTPUT_MARKER, outputState, topOf } from "./output-owner.js";
import { makeDirs } from "./text-file.js";
import { removeTree } from "./tree-fs.js";
import { treeWriter } from "./tree-writer.js";

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

/** An output being written: files go to the staging directory as they come; commit swaps them in. */
export interface OutputWriter {
  /**
   * Writes these artifacts into the staging directory; resolves when the writer has room for more.
   * Contents in `handOver` move to the writer's thread (tree-writer.ts): the caller must not read them again.
   */
  add(artifacts: readonly Artifact[], handOver?: ReadonlySet<Uint8Array>): Promise<void>;
  /** Checks ownership, writes the marker (with `stamp`, cli/commands/up-to-date.ts) and swaps the new output in (see the header). */
  commit(stamp?: string): Promise<void>;
  /** Removes the staging directory (after a failure); nothing once committed. */
  abort(): Promise<void>;
  /** Files added so far. */
  readonly count: number;
}

/**
 * Opens `outDir` for a new output: refuses at once what no output can change (an --out that is a file,
 * a directory with the user's files without `force`); the user's files where kubeseed writes are
 * refused at commit, when every path is known. Artifacts are written as they are added, so the whole
 * output never needs to be in memory (the CLI adds one node at a time).
 */
export async function openOutput(outDir: string, opts: WriteOptions): Promise<OutputWriter> {
  const shown = opts.shown ?? outDir;
  const out = outputTarget(outDir, shown);
  const state = outputState(out, existsSync(out));
  if (state.foreign.length > 0 && !opts.force) throw new UserError(messages.io.outputNotEmpty(shown, state.foreign));
  const staging = `${out}.kubeseed-new-${process.pid}`;
  const previous = `${out}.kubeseed-old-${process.pid}`;
  const unchanged = messages.io.previousKept(state.exists);
  await userFsAsync("write", shown, async () => {
    await removeTree(staging);
    makeDirs(dirname(out));
    mkdirSync(staging, { mode: 0o755 });
  }, unchanged, DISK_CODES);
  const tree = treeWriter(staging);
  const paths = new Set<string>();
  let finished = false;

  const commit = async (stamp?: string) => {
    await userFsAsync("write", shown, () => tree.done(), unchanged, DISK_CODES);
    const written = [...paths];
    const oldOwned = state.owned === "all" ? [] : [...state.owned];
    const tops = new Set([...written, ...oldOwned, OUTPUT_MARKER].map(topOf));
    const blocked = inTheWay(state.foreign, written, tops);
    if (blocked.length > 0) throw new UserError(messages.io.outputInTheWay(shown, blocked));
    userFs("write", shown, () => writeFileSync(join(staging, OUTPUT_MARKER), markerText(written, stamp), { mode: 0o644 }), unchanged, DISK_CODES);
    const cwd = opts.cwd ?? process.cwd();
    const holdsCwd = !relative(out, cwd).startsWith("..");
    userFs("replace", shown, () => {
      if (state.foreign.length === 0 && !holdsCwd) {
        if (state.exists) renameSync(out, previous);
        renameSync(staging, out);
      } else {
        swapEntries(out, staging, previous, tops, [...new Set([...oldOwned, ...written])]);
      }
    }, unchanged, DISK_CODES);
    finished = true;
    await userFsAsync("replace", shown, () => removeTree(previous), unchanged, DISK_CODES);
  };

  return {
    async add(artifacts, handOver) {
      for (const a of artifacts) {
        if (paths.has(a.path)) throw new Error(`internal: two artifacts at ${a.path}`);
        paths.add(a.path);
      }
      await userFsAsync("write", shown, () => tree.add(artifacts, handOver), unchanged, DISK_CODES);
    },
    commit,
    async abort() {
      if (finished) return;
      finished = true;
      await tree.done().catch(() => undefined);
      await removeTree(staging);
    },
    get count() {
      return paths.size;
    },
  };
}

/** Resolves once the output is in place; rejects with a UserError for the faults described above. */
export async function writeBundle(bundle: Bundle, outDir: string, opts: WriteOptions): Promise<void> {
  const writer = await openOutput(outDir, opts);
  try {
    await writer.add(bundle.artifacts);
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  }
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
