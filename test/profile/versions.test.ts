/**
 * model/versions.ts: the supported-version table, pinned against the kubeadm image table
 * test/fixtures/kubeadm-images.tsv (the images `kubeadm config images list` names per release; see
 * docs/sources.md#kubeadm-images).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareVersions, lookupVersion, newestPatchOf, NEWEST_SUPPORTED, OLDEST_SUPPORTED, SUPPORTED_VERSIONS } from "../../generator/model/versions.js";
import { REPO } from "./support.js";

const REFERENCE = `${REPO}test/fixtures/kubeadm-images.tsv`;

describe("SUPPORTED_VERSIONS", () => {
  it("is sorted, unique and well-formed", () => {
    const versions = SUPPORTED_VERSIONS.map((r) => r.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect([...versions].sort(compareVersions)).toEqual(versions);
    for (const r of SUPPORTED_VERSIONS) {
      expect(r.version).toMatch(/^v1\.\d+\.\d+$/);
      expect(r.coredns).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(r.etcd).toMatch(/^\d+\.\d+\.\d+-\d+$/);
      expect(r.pause).toMatch(/^\d+\.\d+(\.\d+)?$/);
    }
  });

  it("equals the kubeadm image table of test/fixtures", () => {
    const rows = readFileSync(REFERENCE, "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"));
    expect(SUPPORTED_VERSIONS.map((r) => [r.version, r.coredns, r.etcd, r.pause])).toEqual(rows);
  });

  it("looks up exact versions", () => {
    expect(lookupVersion("v1.31.14")).toEqual({ version: "v1.31.14", coredns: "v1.11.3", etcd: "3.5.24-0", pause: "3.10" });
    expect(lookupVersion("v1.34.0")?.etcd).toBe("3.6.4-0");
    expect(lookupVersion("v1.31.99")).toBeUndefined();
    expect(lookupVersion("1.31.4")).toBeUndefined();
  });

  it("finds the newest patch of a minor and the range", () => {
    expect(newestPatchOf("v1.31.99")).toBe("v1.31.14");
    expect(newestPatchOf("v1.27.1")).toBeUndefined();
    expect([OLDEST_SUPPORTED, NEWEST_SUPPORTED]).toEqual(["v1.28.0", "v1.34.10"]);
  });

  it("compares numerically, not as text", () => {
    expect(compareVersions("v1.31.10", "v1.31.9")).toBeGreaterThan(0);
    expect(compareVersions("v1.9.0", "v1.10.0")).toBeLessThan(0);
  });
});
