/**
 * The smallest rehearsal: one control plane and one worker (test/e2e/profiles/single.yaml), booted by
 * scripts/cluster-up.sh from their generated seeds, air-gapped, everything built from source, in
 * external-CA mode (no CA key on any node) with an untainted control plane. See checks.ts and
 * seed-checks.ts for what is judged. Needs root, podman and Go (scripts/setup-test-env.sh); skips with the
 * reason otherwise, and fails under CI.
 */
import { afterAll, beforeAll, describe } from "vitest";
import { clusterBasics } from "./checks.js";
import { seedChecks } from "./seed-checks.js";
import { clusterDown, clusterUp, memoryMiB, skipReason, type Cluster } from "./support.js";

const why = skipReason();
let c: Cluster;

describe.skipIf(!!why)(`rehearsal cluster: 1 control plane + 1 worker${why ? ` — SKIPPED: ${why}` : ""}`, () => {
  beforeAll(() => {
    c = clusterUp("test/e2e/profiles/single.yaml");
    console.log(`e2e single: cluster-up took ${c.upSeconds} s (${c.figures}); containers (MiB): ${JSON.stringify(memoryMiB(c))}`);
  }, 95 * 60_000);
  afterAll(() => clusterDown(c), 600_000);

  clusterBasics(() => c, () => c.plan.nodes.map((n) => n.name));
  seedChecks("test/e2e/profiles/single.yaml", () => c, () => c.plan.nodes.map((n) => n.name));
});
