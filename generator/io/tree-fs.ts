/**
 * A tree removed through the async fs API with bounded parallelism (libuv's thread pool runs the
 * system calls, so the waits of one removal overlap the next; on a busy or discard-mounted disk this
 * is several times faster than removing one entry after the other). Writing a tree is
 * tree-writer.ts's job.
 */
import { lstat, readdir, rmdir, unlink } from "node:fs/promises";
import { join } from "node:path";

/** Calls in flight at once: enough to keep libuv's thread pool busy, few enough to bound memory. */
export const FS_PARALLEL = 32;

/** Runs `f` on every item, at most FS_PARALLEL at a time; rejects with the first error after every started call ended. */
async function inPool<T>(items: readonly T[], f: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++];
      await f(item).catch((error: unknown) => void (failure ??= { error }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(FS_PARALLEL, items.length) }, worker));
  if (failure) throw failure.error;
}

/**
 * Removes `path` and everything below it, if it exists: folders are listed level by level, then files
 * are unlinked and folders removed deepest first, FS_PARALLEL calls at a time (fs.rm would start one
 * call per entry of a 30,000-entry tree at once). Symbolic links are removed, never followed.
 */
export async function removeTree(path: string): Promise<void> {
  let top;
  try {
    top = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if (!top.isDirectory()) return unlink(path);
  const levels: string[][] = [[path]];
  const files: string[] = [];
  for (let level = levels[0]; level.length > 0; level = levels[levels.length - 1]) {
    const below: string[] = [];
    await inPool(level, async (dir) => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        // some file systems do not tell the entry's type: ask lstat then
        const isDir = e.isDirectory() || (!e.isFile() && !e.isSymbolicLink() && (await lstat(p)).isDirectory());
        (isDir ? below : files).push(p);
      }
    });
    if (below.length === 0) break;
    levels.push(below);
  }
  await inPool(files, (f) => unlink(f));
  for (const level of levels.reverse()) await inPool(level, (d) => rmdir(d));
}
