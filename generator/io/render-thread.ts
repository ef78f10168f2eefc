/**
 * The program of a render thread (io/render-threads.ts starts it from dist/io/render-thread.js): plans
 * the cluster from the model's sources while the PKI is issued, builds the assembly when the secrets
 * come, then renders the nodes it is sent, one reply per node.
 * Guarantees: renders with the same pure functions as the main thread (bundle/node-rendering.ts), from
 * the same sources, so a node's batch is the same whichever thread made it; a node it cannot render is
 * answered "failed" (the main thread renders it again and reports the error as a run without threads
 * would).
 */
import { workerData, type MessagePort } from "node:worker_threads";
import { assembly, type Assembly } from "../bundle/assemble.js";
import { modelFrom, renderedNode } from "../bundle/node-rendering.js";
import { planCluster } from "../plan/plan.js";
import type { ClusterPlan } from "../plan/types.js";
import type { ToRenderThread } from "./render-threads.js";

const port = (workerData as { port: MessagePort }).port;
let plan: ClusterPlan | undefined;
let a: Assembly | undefined;

port.on("message", (m: ToRenderThread) => {
  switch (m.kind) {
    case "model":
      plan = planCluster(modelFrom(m.model));
      break;
    case "assembly":
      a = assembly(plan!, m.source.secrets, m.source.filesLock, m.source.rotation);
      port.postMessage({ kind: "ready" });
      break;
    case "nodes":
      for (const index of m.nodes) {
        try {
          port.postMessage({ kind: "node", index, node: renderedNode(a!, index) });
        } catch {
          port.postMessage({ kind: "failed", index });
        }
      }
  }
});
