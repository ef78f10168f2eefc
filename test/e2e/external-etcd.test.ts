/**
 * External etcd (seed 003) in a rehearsal: test/e2e/profiles/external-etcd.yaml — three dedicated etcd
 * members, one control plane keeping its data on them, one worker, seed 000's firewall — booted by
 * scripts/cluster-up.sh from their generated seeds. See checks.ts and seed-checks.ts for what is judged.
 * Needs root, podman and Go; skips with the reason otherwise, fails under CI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterBasics } from "./checks.js";
import { seedChecks } from "./seed-checks.js";
import { type Cluster, clusterDown, clusterUp, memoryMiB, nodeReadiness, skipReason } from "./support.js";

const why = skipReason();
let c: Cluster;
const all = () => c.plan.nodes.map((n) => n.name);

describe.skipIf(!!why)(`rehearsal cluster: external etcd (3 members) + 1 control plane + 1 worker${why ? ` — SKIPPED: ${why}` : ""}`, () => {
  beforeAll(() => {
    c = clusterUp("test/e2e/profiles/external-etcd.yaml");
    console.log(`e2e external etcd: cluster-up took ${c.upSeconds} s (${c.figures}); containers (MiB): ${JSON.stringify(memoryMiB(c))}`);
  }, 95 * 60_000);
  afterAll(() => clusterDown(c), 600_000);

  it("boots the topology this file is named for: every node of the plan, and only the kubelet-registered ones in the cluster", () => {
    expect(c.plan.nodes.map((n) => n.role).sort()).toEqual(["control-plane", "etcd", "etcd", "etcd", "worker"]);
    const registered = [...nodeReadiness(c).keys()].map((name) => c.plan.nodes.find((n) => n.name === name)?.role);
    expect(registered.sort()).toEqual(["control-plane", "worker"]);
  });

  clusterBasics(() => c, all);
  seedChecks("test/e2e/profiles/external-etcd.yaml", () => c, all);
});
