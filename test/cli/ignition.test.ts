/**
 * `gen` with Ignition nodes through the real CLI: the files lock next to the profile is read from disk
 * (io/files-lock.ts), each node gets ignition.json instead of cloud-init/, and a missing or broken lock
 * fails with exit 1, naming every URL without a hash (or the broken file), and writes nothing.
 */
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gen, modeOf, scratchDir } from "./support.js";

describe("gen with Fedora CoreOS and Flatcar nodes", () => {
  it("writes ignition.json (0600) instead of cloud-init for every node, with the lock's hashes", () => {
    const dir = scratchDir();
    const r = gen(dir, "--profile", "coreos");
    expect(r.status, r.stderr).toBe(0);
    for (const node of ["fcos-cp-1", "fcos-worker-1", "flatcar-worker-1"]) {
      const file = join(dir, "output/coreos/nodes", node, "ignition.json");
      expect(modeOf(file)).toBe(0o600);
      expect(existsSync(join(dir, "output/coreos/nodes", node, "cloud-init"))).toBe(false);
    }
    expect(r.stderr).toMatch(/first-boot documents: 5; the largest: fcos-cp-1 ignition\.json, \d+ bytes; no cloud limit checked/);
  });

  it("fails with every missing URL when the lock lacks hashes, and writes nothing", () => {
    const dir = scratchDir();
    rmSync(join(dir, "profiles/coreos.files.lock.json"));
    const r = gen(dir, "--profile", "coreos");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error: profiles/coreos.files.lock.json lacks the hash of 5 files that Ignition downloads on fcos-cp-1, fcos-cp-2, fcos-cp-3 and 2 more nodes");
    expect(r.stderr.match(/\(files-lock-missing\)/g)).toHaveLength(5);
    expect(r.stderr).toContain("https://dl.k8s.io/release/v1.34.10/bin/linux/amd64/kubelet.sha256");
    expect(existsSync(join(dir, "output/coreos"))).toBe(false);
  });

  it("--check reports the same missing hashes without generating anything", () => {
    const dir = scratchDir();
    expect(gen(dir, "--profile", "coreos", "--check").status).toBe(0);
    rmSync(join(dir, "profiles/coreos.files.lock.json"));
    const r = gen(dir, "--profile", "coreos", "--check");
    expect(r.status).toBe(1);
    expect(r.stderr.match(/\(files-lock-missing\)/g)).toHaveLength(5);
    expect(existsSync(join(dir, "output"))).toBe(false);
    expect(existsSync(join(dir, "secrets"))).toBe(false);
  });

  it("refuses a lock that is not one", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "profiles/coreos.files.lock.json"), JSON.stringify({ format: "kubeseed.files-lock/v1", files: { "https://x": { sha256: "ABC" } } }));
    const r = gen(dir, "--profile", "coreos");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("profiles/coreos.files.lock.json is not a kubeseed files lock (format kubeseed.files-lock/v1): https://x: sha256 must be 64 lower-case hex digits");
  });
});
