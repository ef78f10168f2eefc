/**
 * Nodes rendered on two cores: a render thread (render-thread.ts) and the main thread share the plan's
 * nodes. The thread is started before the model is known, so that loading kubeseed's modules overlaps
 * with the run's start; it plans the cluster itself while the PKI is issued (from the model's sources,
 * a few KB, rather than a copy of the plan) and gets the secrets when they are issued. From then on it
 * is kept AHEAD_ON_THREAD nodes ahead, the next nodes in plan order; the main thread renders the next
 * node nobody has while it waits for the thread's, and yields every node in plan order.
 * Guarantees: every node is yielded once, in plan order, rendered by the same pure function
 * (bundle/node-rendering.ts renderedNode) on either thread; at most MOST_AHEAD nodes are rendered or
 * being rendered and not yet yielded, however slowly the consumer takes them (memory stays bounded
 * whatever the cluster size and the disk's speed); a thread that stops or cannot start costs
 * only speed: the main thread renders the nodes it had; a node the thread could not render is rendered
 * again on the main thread, which throws the error a run without threads would; the thread never keeps
 * the process alive.
 * Without a build (sources run by tsx or vitest) there is no dist/io/render-thread.js: the nodes are
 * rendered on the main thread.
 */
import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { Assembly } from "../bundle/assemble.js";
import { IN_PROCESS, renderedNode, type AssemblySource, type ModelSource, type NodeRenderer, type RenderedNode } from "../bundle/node-rendering.js";

/** A cluster smaller than this is rendered on the main thread (starting a thread costs more than it saves). */
export const RENDER_THREAD_MIN_NODES = 48;
/** Nodes sent to the thread and not answered yet. */
const AHEAD_ON_THREAD = 8;
/** Nodes rendered and waiting for an earlier node before they can be yielded. */
const AHEAD_ON_MAIN = 16;
/**
 * Nodes handed out (to either side) and not yet yielded: the thread gets more only within this
 * window, so a consumer slower than the thread (a run writing to a slow disk) does not make the
 * thread's answers pile up (3 + 10,000 writing after a large delete on ext4: 10,000 nodes, 290 MB).
 */
export const MOST_AHEAD = AHEAD_ON_MAIN + AHEAD_ON_THREAD;
/** The thread's young generation (MB): V8's default reserves tens of MB (3 + 1,000: 15 MB more peak memory); 4 MB made 3 + 5,000 a third slower (its old generation collected far more often). */
const YOUNG_GENERATION_MB = 8;

export type ToRenderThread = { kind: "model"; model: ModelSource } | { kind: "assembly"; source: AssemblySource } | { kind: "nodes"; nodes: number[] };
type FromRenderThread = { kind: "ready" } | { kind: "node"; index: number; node: RenderedNode } | { kind: "failed"; index: number };

export interface RenderThreads extends NodeRenderer {
  /** Ends the thread (after the run, or when it failed before rendering). */
  close(): void;
  /** How many nodes each side rendered so far, and the most nodes handed out and not yet yielded at once. */
  readonly counts: { main: number; thread: number; mostAhead: number };
}

/** Renders every node on the main thread (IN_PROCESS), with nothing to close. */
export const mainThreadOnly = (): RenderThreads => ({ ...IN_PROCESS, close() {}, counts: { main: 0, thread: 0, mostAhead: 0 } });

/** Whether a run of `nodes` nodes renders on a thread as well (two cores or more, a built kubeseed). */
export function renderThreadsHelp(nodes: number): boolean {
  return nodes >= RENDER_THREAD_MIN_NODES && availableParallelism() > 1 && import.meta.url.endsWith(".js");
}

/**
 * Starts the render thread now; renders on the main thread alone when renderThreadsHelp(nodes) is false.
 * `mainRenders: false` leaves every node to the thread (the main thread renders only what the thread
 * could not): tests use it to know which side rendered what.
 */
export function startRenderThreads(nodes: number, { mainRenders = true } = {}): RenderThreads {
  if (!renderThreadsHelp(nodes)) return mainThreadOnly();
  const counts = { main: 0, thread: 0, mostAhead: 0 };
  const { port1: port, port2 } = new MessageChannel();
  const worker = new Worker(new URL("./render-thread.js", import.meta.url), { workerData: { port: port2 }, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  worker.unref();
  const inbox: FromRenderThread[] = [];
  let stopped = false;
  let wake: (() => void) | undefined;
  const woken = () => {
    wake?.();
    wake = undefined;
  };
  port.on("message", (m: FromRenderThread) => {
    inbox.push(m);
    woken();
  });
  port.unref();
  const stop = () => {
    stopped = true;
    woken();
  };
  worker.on("error", stop);
  worker.on("exit", stop);
  /** The thread's answers so far: those the event loop delivered, then those still queued on the port. */
  const received = (): FromRenderThread[] => {
    const out = inbox.splice(0);
    for (let r = receiveMessageOnPort(port); r; r = receiveMessageOnPort(port)) out.push(r.message as FromRenderThread);
    return out;
  };
  /** Resolves when the thread answers or stops; keeps the process alive meanwhile. */
  const answer = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      port.ref();
    }).finally(() => port.unref());

  return {
    counts,
    start(model) {
      port.postMessage({ kind: "model", model } satisfies ToRenderThread);
    },
    async *nodes(a: Assembly, source: AssemblySource) {
      const total = a.ctx.plan.nodes.length;
      port.postMessage({ kind: "assembly", source } satisfies ToRenderThread);
      let ready = false;
      let cursor = 0;
      let next = 0;
      const done = new Map<number, RenderedNode>();
      const onThread = new Set<number>();
      /** whether the thread may get another node: it has fewer than AHEAD_ON_THREAD, and the window has room */
      const room = () => onThread.size < AHEAD_ON_THREAD && cursor - next < MOST_AHEAD && cursor < total;
      const take = (m: FromRenderThread) => {
        if (m.kind === "ready") ready = true;
        else if (m.kind === "node") {
          onThread.delete(m.index);
          done.set(m.index, m.node);
          counts.thread++;
        } else {
          onThread.delete(m.index);
          done.set(m.index, renderedNode(a, m.index));
          counts.main++;
        }
      };
      while (next < total) {
        for (const m of received()) take(m);
        if (ready && !stopped && room()) {
          const nodes: number[] = [];
          while (room()) {
            onThread.add(cursor);
            nodes.push(cursor++);
          }
          port.postMessage({ kind: "nodes", nodes } satisfies ToRenderThread);
        }
        counts.mostAhead = Math.max(counts.mostAhead, cursor - next);
        const node = done.get(next);
        if (node) {
          done.delete(next++);
          yield node;
        } else if (stopped && onThread.delete(next)) {
          done.set(next, renderedNode(a, next));
          counts.main++;
        } else if ((mainRenders || stopped) && cursor < total && done.size < AHEAD_ON_MAIN) {
          done.set(cursor, renderedNode(a, cursor));
          cursor++;
          counts.main++;
        } else if (!stopped) {
          await answer();
        }
      }
    },
    close() {
      stopped = true;
      port.close();
      void worker.terminate();
    },
  };
}
