/**
 * Many files at once: a tree written as its artifacts arrive, and a tree removed, through the async fs
 * API with bounded parallelism (libuv's thread pool runs the system calls, so the waits of one file
 * overlap the next; on a busy or discard-mounted disk this is several times faster than one call
 * after the other). write-dir.ts decides WHERE (a fresh staging directory) and how it is swapped in.
 * Guarantees:
 * - every folder is created once, after its parent, with mode 0755 (umask applies, as for `mkdir -p`);
 *   every file gets exactly its artifact's mode (fchmod where the umask would take bits away) and its
 *   bytes;
 * - at most FS_PARALLEL files are being written at once and at most QUEUE_LIMIT wait: add() resolves
 *   only when there is room again, so a producer that awaits it never holds more than that in memory;
 * - after a failure no new write starts; done() waits for every started one and rejects with the first
 *   error, and so does every later add() (the caller removes the partial tree);
 * - a path that would leave the root is an internal error before anything of its batch is queued.
 */
import { close, fchmod, open, statSync, writeFile } from "node:fs";
import { lstat, mkdir, readdir, rmdir, unlink } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Artifact } from "../bundle/artifact.js";

/** Files being written at once: enough to keep the thread pool busy, few enough to bound descriptors. */
export const FS_PARALLEL = 32;
/** Files waiting to be written before add() makes its caller wait (about 35 nodes of a cluster). */
export const QUEUE_LIMIT = 512;

export interface TreeWriter {
  /** Queues the artifacts' files below the root; resolves when the queue has room again. */
  add(artifacts: readonly Artifact[]): Promise<void>;
  /** Resolves when every queued file is written. */
  done(): Promise<void>;
}

/** Opens, writes and closes one file (callback API: a file costs no FileHandle and four promises); fchmod only when asked. */
function writeOne(file: string, a: Artifact, chmod: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    open(file, "w", a.mode, (openError, fd) => {
      if (openError) return reject(openError);
      const finish = (e?: Error | null) => close(fd, (closeError) => (e || closeError ? reject(e ?? closeError) : resolve()));
      const write = () => writeFile(fd, a.contents, finish);
      if (chmod) fchmod(fd, a.mode, (e) => (e ? finish(e) : write()));
      else write();
    });
  });
}

/**
 * The permission bits new files keep below `root`: root was made with 0755, so its own mode shows
 * which of those bits the umask (or a default ACL) takes away. A file whose mode lies within what is
 * kept gets exactly its mode from open(); any other one is fchmod-ed.
 */
function keptBits(root: string): number {
  return statSync(root).mode & 0o755;
}

/** A writer of files below the existing directory `root`, made with mode 0755 (see the header). */
export function treeWriter(root: string): TreeWriter {
  const kept = keptBits(root);
  const queue: Artifact[] = [];
  let head = 0;
  let active = 0;
  let failure: { error: unknown } | undefined;
  let waiters: (() => void)[] = [];
  const folders = new Map<string, Promise<void>>([[".", Promise.resolve()]]);

  const folder = (rel: string): Promise<void> => {
    let made = folders.get(rel);
    if (!made) {
      made = folder(posix.dirname(rel)).then(() => mkdir(join(root, rel), { mode: 0o755 }).then(() => undefined));
      folders.set(rel, made);
    }
    return made;
  };
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const until = async (ready: () => boolean) => {
    while (!ready()) await new Promise<void>((r) => waiters.push(r));
  };
  const pump = () => {
    while (failure === undefined && active < FS_PARALLEL && head < queue.length) {
      const a = queue[head++];
      active++;
      folder(posix.dirname(a.path))
        .then(() => writeOne(join(root, a.path), a, (a.mode & ~kept) !== 0))
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          active--;
          pump();
          wake();
        });
    }
    if (head > 1024 || failure !== undefined) {
      queue.splice(0, failure === undefined ? head : queue.length);
      head = 0;
    }
  };
  const rethrow = () => {
    if (failure) throw failure.error;
  };

  return {
    async add(artifacts) {
      rethrow();
      for (const a of artifacts) {
        if (!join(root, a.path).startsWith(root + "/")) throw new Error(`internal: artifact path escapes the output: ${a.path}`);
      }
      // queued as UTF-8 bytes: half the memory of JavaScript's two-byte strings (any "—" makes one),
      // off the heap, and the strings the producer made can die young
      for (const a of artifacts) queue.push(typeof a.contents === "string" ? { ...a, contents: Buffer.from(a.contents, "utf8") } : a);
      pump();
      await until(() => failure !== undefined || queue.length - head < QUEUE_LIMIT);
      rethrow();
    },
    async done() {
      await until(() => active === 0 && (failure !== undefined || head >= queue.length));
      rethrow();
    },
  };
}

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
