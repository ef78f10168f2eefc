/**
 * cluster-up's disk preflight (scripts/rehearsal/disk.ts): refuses a boot that would leave less than the
 * kubelet's eviction threshold free, and says how much to free.
 */
import { describe, expect, it } from "vitest";
import { diskProblem, GROWTH_PER_NODE } from "../../scripts/rehearsal/disk.js";

const GiB = 2 ** 30;
const disk = (availableGiB: number) => ({ path: "/var/lib/containers/storage", available: availableGiB * GiB, total: 100 * GiB });

describe("cluster-up's disk preflight", () => {
  it("lets a cluster boot with the threshold and every node's images free", () => {
    expect(diskProblem(disk(15 + (5 * GROWTH_PER_NODE) / GiB), 5)).toBeNull();
    expect(diskProblem(disk(60), 5)).toBeNull();
  });

  it("refuses below the kubelet's 15 % with the figures and what to free", () => {
    const why = diskProblem(disk(14), 2);
    expect(why).toContain("/var/lib/containers/storage has 14.0 GiB free of 100.0 GiB");
    expect(why).toContain("2 nodes need 18.0 GiB");
    expect(why).toContain("Free 4.0 GiB first");
  });

  it("counts each node's images: above 15 % but not enough for five nodes", () => {
    expect(diskProblem(disk(20), 5)).toMatch(/5 nodes need 22\.5 GiB/);
  });
});
