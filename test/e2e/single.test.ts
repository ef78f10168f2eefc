/**
 * The smallest rehearsal: one control plane and one worker (test/e2e/profiles/single.yaml), booted by
 * scripts/cluster-up.sh from their generated seeds, air-gapped, everything built from source, in
 * external-CA mode (no CA key on any node) with an untainted control plane. See checks.ts and
 * seed-checks.ts for what is judged. Needs root, podman and Go (scripts/setup-test-env.sh); skips with the
 * reason otherwise, and fails under CI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterBasics } from "./checks.js";
import { seedChecks } from "./seed-checks.js";
import { type Cluster, clusterDown, clusterUp, memoryMiB, nodeReadiness, skipReason } from "./support.js";

const why = skipReason();
let c: Cluster;

describe.skipIf(!!why)(`rehearsal cluster: 1 control plane + 1 worker${why ? ` — SKIPPED: ${why}` : ""}`, () => {
  beforeAll(() => {
    c = clusterUp("test/e2e/profiles/single.yaml");
    console.log(`e2e single: cluster-up took ${c.upSeconds} s (${c.figures}); containers (MiB): ${JSON.stringify(memoryMiB(c))}`);
  }, 95 * 60_000);
  afterAll(() => clusterDown(c), 600_000);

  it("boots the topology this file is named for: every node of the plan, and only the kubelet-registered ones in the cluster", () => {
    expect(c.plan.nodes.map((n) => n.role).sort()).toEqual(["control-plane", "worker"]);
    const registered = [...nodeReadiness(c).keys()].map((name) => c.plan.nodes.find((n) => n.name === name)?.role);
    expect(registered.sort()).toEqual(["control-plane", "worker"]);
  });

  clusterBasics(() => c, () => c.plan.nodes.map((n) => n.name));
  seedChecks("test/e2e/profiles/single.yaml", () => c, () => c.plan.nodes.map((n) => n.name));
});
