/**
 * Many files at once: a tree written as its artifacts arrive, and a tree removed, through the async fs
 * API with bounded parallelism (libuv's thread pool runs the system calls, so the waits of one file
 * overlap the next; on a busy or discard-mounted disk this is several times faster than one call
 * after the other). write-dir.ts decides WHERE (a fresh staging directory) and how it is swapped in.
 * Guarantees:
 * - every folder is created once, after its parent, with mode 0755 (umask applies, as for `mkdir -p`);
 *   every file gets exactly its artifact's mode (fchmod: the umask does not apply) and its bytes;
 * - at most FS_PARALLEL files are being written at once and at most QUEUE_LIMIT wait: add() resolves
 *   only when there is room again, so a producer that awaits it never holds more than that in memory;
 * - after a failure no new write starts; done() waits for every started one and rejects with the first
 *   error, and so does every later add() (the caller removes the partial tree);
 * - a path that would leave the root is an internal error before anything of its batch is queued.
 */
import { mkdir, open, rm } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Artifact } from "../bundle/artifact.js";

/** Files being written at once: enough to keep the thread pool busy, few enough to bound descriptors. */
export const FS_PARALLEL = 32;
/** Files waiting to be written before add() makes its caller wait. */
export const QUEUE_LIMIT = 2048;

export interface TreeWriter {
  /** Queues the artifacts' files below the root; resolves when the queue has room again. */
  add(artifacts: readonly Artifact[]): Promise<void>;
  /** Resolves when every queued file is written. */
  done(): Promise<void>;
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

/** A writer of files below the existing directory `root` (see the header). */
export function treeWriter(root: string): TreeWriter {
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
        .then(() => writeOne(join(root, a.path), a))
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
      for (const a of artifacts) queue.push(a);
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

/** Removes `path` and everything below it, if it exists (the removals run in parallel). */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
