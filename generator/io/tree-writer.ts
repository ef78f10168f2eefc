/**
 * A tree written as its artifacts arrive, by WRITER_THREADS threads of their own: each add() goes to
 * the least busy thread as one message (text as it is: the thread encodes it as UTF-8, which is what
 * TextEncoder gives, lone surrogates included) and that thread makes its folders and files with plain
 * synchronous calls. The thread that renders the output only posts; a cluster's 15,000 files and 17,000 folders cost it no callback or promise each, and the
 * system calls of several threads overlap (a busy or discard-mounted disk makes each one wait).
 * write-dir.ts decides WHERE (a fresh staging directory) and how it is swapped in.
 * Guarantees:
 * - every folder is created once per thread, after its parent, with mode 0755 (umask applies, as for
 *   `mkdir -p`; a folder another thread made first is accepted when it is a folder); every file gets
 *   exactly its artifact's mode (fchmod where the umask would take bits away) and its bytes;
 * - at most QUEUE_LIMIT files wait: add() resolves only when there is room again, so a producer that
 *   awaits it never holds more than that in memory;
 * - after a failure nothing more is sent; done() waits for every thread to finish what it has and
 *   rejects with the first error (an Error with the errno `code`, for fs-errors.ts), and so does
 *   every later add(); done() always ends the threads (the caller removes the partial tree);
 * - a path that would leave the root is an internal error before anything of its batch is sent.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Artifact } from "../bundle/artifact.js";
import { movableBuffers } from "./movable.js";

/** Threads writing at once: one (a large cluster renders on the other cores: render-threads.ts); its queue of QUEUE_LIMIT files rides over the disk's waits, and each thread costs a few MB of memory. */
export const WRITER_THREADS = 1;
/** Files sent and not yet written before add() makes its caller wait (about 35 nodes of a cluster). */
export const QUEUE_LIMIT = 512;

export interface TreeWriter {
  /**
   * Sends the artifacts' files to be written below the root; resolves when there is room again. The
   * contents in `handOver` (bytes that nothing else will read) move to the thread instead of being
   * copied (io/movable.ts): each is empty afterwards.
   */
  add(artifacts: readonly Artifact[], handOver?: ReadonlySet<Uint8Array>): Promise<void>;
  /** Resolves when every file is written; ends the threads. */
  done(): Promise<void>;
}

interface FileJob {
  path: string;
  mode: number;
  /** the contents: text (written as UTF-8 by the thread) or bytes */
  data: string | Uint8Array;
}

type Reply = { id: number; error?: { message: string; code?: string } };

/**
 * The program of a writer thread, as plain JavaScript text run with `eval`: it needs no file of its
 * own in dist/, and no transpiler (tsc, tsx's esbuild with its `__name` helper, vite) rewrites a
 * string, so it runs the same under each (a function's toString() did not under tsx). Writes each
 * batch of files (folders made once, then the file with its mode; fchmod only where the umask takes
 * bits away) and answers with the batch's id, or with the first error.
 */
const WRITER_THREAD = `
const fs = require("node:fs");
const path = require("node:path");
const { parentPort, workerData } = require("node:worker_threads");
const { root, kept } = workerData;
const made = new Set(["."]);
function folder(rel) {
  if (made.has(rel)) return;
  folder(path.posix.dirname(rel));
  try {
    fs.mkdirSync(path.join(root, rel), { mode: 0o755 });
  } catch (e) {
    if (e.code !== "EEXIST" || !fs.lstatSync(path.join(root, rel)).isDirectory()) throw e;
  }
  made.add(rel);
}
parentPort.on("message", ({ id, files }) => {
  try {
    for (const f of files) {
      folder(path.posix.dirname(f.path));
      const fd = fs.openSync(path.join(root, f.path), "w", f.mode);
      try {
        if (f.mode & ~kept) fs.fchmodSync(fd, f.mode);
        fs.writeFileSync(fd, f.data);
      } finally {
        fs.closeSync(fd);
      }
    }
    parentPort.postMessage({ id });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: String(e.message), code: e.code } });
  }
});
`;

/**
 * A writer of files below the existing directory `root`, made with mode 0755: its own mode shows which
 * of those bits the umask (or a default ACL) takes away, so files within what is kept need no fchmod.
 */
export function treeWriter(root: string): TreeWriter {
  const kept = statSync(root).mode & 0o755;
  const threads = Array.from({ length: WRITER_THREADS }, () => ({
    worker: new Worker(WRITER_THREAD, { eval: true, workerData: { root, kept } }),
    files: 0,
  }));
  const pending = new Map<number, { thread: (typeof threads)[number]; files: number }>();
  let nextId = 0;
  let queued = 0;
  let failure: Error | undefined;
  let crashed = false;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const until = async (ready: () => boolean) => {
    while (!ready()) await new Promise<void>((r) => waiters.push(r));
  };
  const fail = (e: Error) => {
    failure ??= e;
    wake();
  };
  for (const t of threads) {
    t.worker.on("message", (r: Reply) => {
      const job = pending.get(r.id)!;
      pending.delete(r.id);
      job.thread.files -= job.files;
      queued -= job.files;
      if (r.error) fail(Object.assign(new Error(r.error.message), { code: r.error.code }));
      wake();
    });
    t.worker.on("error", (e) => {
      crashed = true;
      fail(e);
    });
  }
  const rethrow = () => {
    if (failure) throw failure;
  };

  return {
    async add(artifacts, handOver) {
      rethrow();
      if (artifacts.length === 0) return;
      for (const a of artifacts) {
        if (!join(root, a.path).startsWith(root + "/")) throw new Error(`internal: artifact path escapes the output: ${a.path}`);
      }
      // text goes as it is (copied by postMessage, encoded by the thread: the rendering thread does not
      // encode it); bytes the caller holds are copied, bytes handed over are moved
      const files: FileJob[] = artifacts.map((a) => ({ path: a.path, mode: a.mode, data: a.contents }));
      const moved = handOver ? movableBuffers(files.map((f) => f.data).filter((d) => typeof d !== "string" && handOver.has(d))) : [];
      const thread = threads.reduce((least, t) => (t.files < least.files ? t : least));
      const id = nextId++;
      pending.set(id, { thread, files: files.length });
      thread.files += files.length;
      queued += files.length;
      thread.worker.postMessage({ id, files }, moved);
      await until(() => failure !== undefined || queued < QUEUE_LIMIT);
      rethrow();
    },
    async done() {
      try {
        await until(() => pending.size === 0 || crashed);
        rethrow();
      } finally {
        await Promise.all(threads.map((t) => t.worker.terminate()));
      }
    },
  };
}
