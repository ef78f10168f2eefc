/**
 * Many files at once: a bundle's tree written, and a tree removed, through the async fs API with
 * bounded parallelism (libuv's thread pool runs the system calls, so the waits of one file overlap
 * the next; on a busy or discard-mounted disk this is several times faster than one call after the
 * other). write-dir.ts decides WHERE (a fresh staging directory) and how the result is swapped in.
 * Guarantees:
 * - every directory is created once, parents before children, with mode 0755 (umask applies, as
 *   for `mkdir -p`); every file gets exactly its artifact's mode (fchmod: the umask does not apply)
 *   and its exact bytes;
 * - at most FS_PARALLEL operations are in flight; when one fails no new one starts, every started
 *   one is waited for, and the first error is thrown (the caller removes the partial tree);
 * - paths are checked before anything is written: one that would leave `root` is an internal error.
 */
import { mkdir, open, rm } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Artifact } from "../bundle/artifact.js";

/** Operations in flight at once: enough to keep the thread pool busy, few enough to bound memory and descriptors. */
export const FS_PARALLEL = 32;

/** Runs `f` on every item, at most `limit` at a time; see the header for failures. */
export async function inPool<T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++];
      try {
        await f(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

/** Every folder the artifacts need below the root ('/'-separated, relative), grouped by depth, shallowest first. */
function foldersByDepth(artifacts: readonly Artifact[]): string[][] {
  const seen = new Set<string>();
  const levels: string[][] = [];
  for (const a of artifacts) {
    for (let d = posix.dirname(a.path); d !== "." && !seen.has(d); d = posix.dirname(d)) {
      seen.add(d);
      const depth = d.split("/").length - 1;
      (levels[depth] ??= []).push(d);
    }
  }
  return levels.filter((l) => l !== undefined);
}

async function writeOne(file: string, a: Artifact): Promise<void> {
  const fh = await open(file, "w", a.mode);
  try {
    await fh.chmod(a.mode);
    await fh.writeFile(a.contents);
  } finally {
    await fh.close();
  }
}

/** Writes `artifacts` below the existing directory `root` (see the header). */
export async function writeTree(root: string, artifacts: readonly Artifact[]): Promise<void> {
  for (const a of artifacts) {
    if (!join(root, a.path).startsWith(root + "/")) throw new Error(`internal: artifact path escapes the output: ${a.path}`);
  }
  for (const level of foldersByDepth(artifacts)) await inPool(level, FS_PARALLEL, (d) => mkdir(join(root, d), { mode: 0o755 }));
  await inPool(artifacts, FS_PARALLEL, (a) => writeOne(join(root, a.path), a));
}

/** Removes `path` and everything below it, if it exists (the removals run in parallel). */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

