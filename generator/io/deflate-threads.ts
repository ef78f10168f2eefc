/**
 * Deflate on threads of kubeseed's own, so that compressing archives does not take the core the output
 * is rendered on: DEFLATE_THREADS threads (one less than the machine's cores, at least one), started on
 * the first job and not keeping the process alive. Each call sends its jobs to one thread as one
 * message (the least busy thread); the thread runs zlib's synchronous calls one after the other and
 * answers with their outputs. A thread keeps the process alive only while it has work. io/archive.ts
 * uses them for every archive.
 * Guarantees: the output of a job is what zlib's deflateRawSync or gzipSync gives for the same bytes
 * and options, whichever thread ran it; a failure rejects that call with zlib's error message; a
 * thread that stops is an error for every call it had.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { movableBuffers } from "./movable.js";

/** Threads compressing at once: the other cores, the rendering thread keeps one. */
export const DEFLATE_THREADS = Math.max(1, availableParallelism() - 1);

export interface DeflateJob {
  bytes: Uint8Array;
  /** "raw": a raw deflate stream; "gzip": a gzip member */
  format: "raw" | "gzip";
  level: number;
  /** zlib's windowBits (default 15) */
  windowBits?: number;
  /** zlib's memLevel (default 8) */
  memLevel?: number;
  /** zlib's flush at the end of the input (raw only; default Z_FINISH) */
  finishFlush?: number;
  /** a preset dictionary (raw only) */
  dictionary?: Uint8Array;
  /** also the CRC-32 of `bytes` */
  crc?: boolean;
  /**
   * `bytes` and `dictionary` were made for this job and nothing else reads them: their buffers move
   * to the thread instead of being copied (io/movable.ts), and are empty afterwards.
   */
  owned?: boolean;
}

export interface Deflated {
  bytes: Buffer;
  crc: number;
}

/**
 * The program of a deflate thread, as plain JavaScript text run with `eval` (as io/tree-writer.ts's
 * writer threads, for the same reasons). Each output is copied into a buffer of its own size, which is
 * then moved, not copied, to the main thread.
 */
const DEFLATE_THREAD = `
const zlib = require("node:zlib");
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ id, jobs }) => {
  try {
    const out = jobs.map((j) => {
      const options = { level: j.level };
      if (j.windowBits !== undefined) options.windowBits = j.windowBits;
      if (j.memLevel !== undefined) options.memLevel = j.memLevel;
      if (j.finishFlush !== undefined) options.finishFlush = j.finishFlush;
      if (j.dictionary) options.dictionary = j.dictionary;
      const made = j.format === "raw" ? zlib.deflateRawSync(j.bytes, options) : zlib.gzipSync(j.bytes, options);
      return { bytes: new Uint8Array(made), crc: j.crc ? zlib.crc32(j.bytes) : 0 };
    });
    parentPort.postMessage({ id, out }, out.map((o) => o.bytes.buffer));
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message) });
  }
});
`;

type Reply = { id: number; out?: { bytes: Uint8Array; crc: number }[]; error?: string };

interface Thread {
  worker: Worker;
  /** bytes sent and not answered yet */
  load: number;
  /** calls sent and not answered yet: the thread keeps the process alive only while there are some */
  waiting: number;
}

interface Call {
  thread: Thread;
  load: number;
  resolve: (out: Deflated[]) => void;
  reject: (e: Error) => void;
}

let threads: Thread[] | undefined;
const calls = new Map<number, Call>();
let nextId = 0;

function start(): Thread[] {
  return Array.from({ length: DEFLATE_THREADS }, () => {
    const thread: Thread = { worker: new Worker(DEFLATE_THREAD, { eval: true }), load: 0, waiting: 0 };
    thread.worker.unref();
    thread.worker.on("message", (r: Reply) => {
      const call = calls.get(r.id)!;
      calls.delete(r.id);
      thread.load -= call.load;
      if (--thread.waiting === 0) thread.worker.unref();
      if (r.error !== undefined) call.reject(new Error(`deflate: ${r.error}`));
      else call.resolve(r.out!.map((o) => ({ bytes: Buffer.from(o.bytes.buffer, o.bytes.byteOffset, o.bytes.byteLength), crc: o.crc })));
    });
    const stopped = (e: Error) => {
      for (const [id, call] of calls) {
        if (call.thread !== thread) continue;
        calls.delete(id);
        call.reject(e);
      }
      threads = threads?.filter((t) => t !== thread);
      if (threads?.length === 0) threads = undefined;
    };
    thread.worker.on("error", stopped);
    thread.worker.on("exit", (code) => stopped(new Error(`internal: a deflate thread stopped (exit code ${code})`)));
    return thread;
  });
}

/** Runs `jobs` on one deflate thread, in order; resolves with their outputs. */
export function deflateOnThread(jobs: readonly DeflateJob[]): Promise<Deflated[]> {
  threads ??= start();
  const thread = threads.reduce((a, b) => (b.load < a.load ? b : a));
  const load = jobs.reduce((n, j) => n + j.bytes.length, 0);
  thread.load += load;
  if (thread.waiting++ === 0) thread.worker.ref();
  const id = nextId++;
  return new Promise<Deflated[]>((resolve, reject) => {
    calls.set(id, { thread, load, resolve, reject });
    thread.worker.postMessage({ id, jobs }, movableBuffers(jobs.flatMap((j) => (!j.owned ? [] : j.dictionary ? [j.bytes, j.dictionary] : [j.bytes]))));
  });
}
