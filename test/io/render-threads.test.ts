/**
 * Nodes rendered on a render thread and on the main thread (io/render-threads.ts), from the build in
 * dist/ (the thread runs dist/io/render-thread.js, as `gen` does): the batches are those the main thread
 * alone renders, in plan order, whichever side rendered them; a node the thread cannot render is
 * rendered again on the main thread, whose error is the run's.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import type * as Generate from "../../generator/bundle/generate.js";
import type * as Threads from "../../generator/io/render-threads.js";
import type * as Rendering from "../../generator/bundle/node-rendering.js";
import type * as Assemble from "../../generator/bundle/assemble.js";
import type * as Plan from "../../generator/plan/plan.js";
import type { Artifact } from "../../generator/bundle/artifact.js";
import { fixedClock } from "../../generator/core/clock.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { topology } from "../helpers/profiles.js";
import { REPO_ROOT } from "../helpers/generate.js";
import { seededRandom } from "../pki/support.js";

const dist = <T>(path: string) => import(pathToFileURL(join(REPO_ROOT, "dist", path)).href) as Promise<T>;
const deps = () => ({ clock: fixedClock("2026-11-01T12:00:00Z"), random: seededRandom("render-threads"), keys: defaultKeyFactory });

/** The batches streamCluster emits; each waits `delayMs` before the next is taken (a slow disk). */
async function batches(profile: ProfileInput, prior: Awaited<ReturnType<typeof Generate.generateCluster>>["issue"]["secrets"] | undefined, renderer?: Threads.RenderThreads, delayMs = 0) {
  const { streamCluster } = await dist<typeof Generate>("bundle/generate.js");
  const out: Artifact[][] = [];
  const emit = async (b: Artifact[]) => {
    out.push(b);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  };
  try {
    await streamCluster(profile, prior, deps(), {}, emit, renderer);
  } finally {
    renderer?.close();
  }
  return out;
}

it.each([false, true])("gives the batches the main thread alone gives, in plan order (the main thread renders too: %s)", async (mainRenders) => {
  const { startRenderThreads, RENDER_THREAD_MIN_NODES } = await dist<typeof Threads>("io/render-threads.js");
  const { generateCluster } = await dist<typeof Generate>("bundle/generate.js");
  const profile = topology(3, RENDER_THREAD_MIN_NODES + 30);
  const { issue } = await generateCluster(profile, undefined, deps());
  const threads = startRenderThreads(profile.spec.nodes.length, { mainRenders });
  const threaded = await batches(profile, issue.secrets, threads);
  const alone = await batches(profile, issue.secrets);
  // which side renders how many depends on their speeds, except when the main thread leaves them all to the thread
  if (!mainRenders) expect(threads.counts).toMatchObject({ main: 0, thread: profile.spec.nodes.length });
  expect(threads.counts.main + threads.counts.thread).toBe(profile.spec.nodes.length);
  expect(threaded.length).toBe(profile.spec.nodes.length + 2);
  expect(threaded).toEqual(alone);
});

it("hands out at most MOST_AHEAD nodes not yet taken, however slowly they are taken (a run writing to a slow disk)", async () => {
  const { startRenderThreads, RENDER_THREAD_MIN_NODES, MOST_AHEAD } = await dist<typeof Threads>("io/render-threads.js");
  const { generateCluster } = await dist<typeof Generate>("bundle/generate.js");
  const profile = topology(3, RENDER_THREAD_MIN_NODES + 30);
  const { issue } = await generateCluster(profile, undefined, deps());
  const threads = startRenderThreads(profile.spec.nodes.length, { mainRenders: false });
  // a consumer far slower than the thread (20 ms a batch): the bound holds whatever the speeds; before
  // the window, each node taken sent the thread up to 8 more, and they all waited in memory
  const taken = await batches(profile, issue.secrets, threads, 20);
  expect(taken.length).toBe(profile.spec.nodes.length + 2);
  expect(threads.counts.thread).toBe(profile.spec.nodes.length);
  expect(threads.counts.mostAhead).toBeGreaterThan(0);
  expect(threads.counts.mostAhead).toBeLessThanOrEqual(MOST_AHEAD);
});

it("renders again on the main thread a node the thread could not render, and fails with the main thread's error", async () => {
  const { startRenderThreads, RENDER_THREAD_MIN_NODES } = await dist<typeof Threads>("io/render-threads.js");
  const { generateCluster } = await dist<typeof Generate>("bundle/generate.js");
  const { IN_PROCESS, modelFrom } = await dist<typeof Rendering>("bundle/node-rendering.js");
  const { assembly } = await dist<typeof Assemble>("bundle/assemble.js");
  const { planCluster } = await dist<typeof Plan>("plan/plan.js");
  const profile = topology(3, RENDER_THREAD_MIN_NODES + 30, { pki: { workerKubelet: "pre-issued" } });
  const total = profile.spec.nodes.length;
  const { issue } = await generateCluster(profile, undefined, deps());
  const source = { profile, join: { method: "token" as const } };
  const plan = planCluster(modelFrom(source));
  // the secrets without worker-7's kubelet certificate: rendering worker-7 is an internal error
  const victim = "node/worker-7/kubelet";
  expect(issue.secrets.certs[victim]).toBeDefined();
  const broken = { ...issue.secrets, certs: Object.fromEntries(Object.entries(issue.secrets.certs).filter(([id]) => id !== victim)) };
  const collect = async (nodes: AsyncIterable<Rendering.RenderedNode>) => {
    const out: Rendering.RenderedNode[] = [];
    for await (const n of nodes) out.push(n);
    return out;
  };
  const alone = await collect(IN_PROCESS.nodes(assembly(plan, issue.secrets), { secrets: issue.secrets }));

  // only the thread lacks it: the main thread renders worker-7 again, the batches are unchanged
  const threads = startRenderThreads(total, { mainRenders: false });
  threads.start!(source);
  const mended = await collect(threads.nodes(assembly(plan, issue.secrets), { secrets: broken })).finally(() => threads.close());
  expect(threads.counts).toMatchObject({ main: 1, thread: total - 1 });
  expect(mended).toEqual(alone);

  // both lack it: the run fails with the main thread's error
  const again = startRenderThreads(total, { mainRenders: false });
  again.start!(source);
  await expect(collect(again.nodes(assembly(plan, broken), { secrets: broken })).finally(() => again.close())).rejects.toThrow(`internal: certificate ${victim} was planned but not issued`);
});
