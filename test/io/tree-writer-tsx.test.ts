/**
 * The output's writer threads run their program from text (io/tree-writer.ts). The rehearsal and
 * developers run gen from the sources through tsx, whose transform adds helpers (esbuild's __name) to
 * functions: a thread program taken from a function's toString() failed there with "__name is not
 * defined". This runs scripts/rehearsal/gen.mjs (tsx) on the dev example and checks the whole tree
 * equals what the built CLI's pipeline writes (the suite's own transform is not tsx).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/generate.js";
import { filesUnder } from "../render/bootstrap/support.js";

describe("gen from the sources through tsx (as the rehearsal runs it)", () => {
  it("writes the dev example's output through the writer threads, twice with the same secrets, byte for byte", () => {
    const dir = mkdtempSync(join(tmpdir(), "ks-tsx-"));
    const gen = (out: string) =>
      spawnSync(process.execPath, [join(REPO_ROOT, "scripts/rehearsal/gen.mjs"), "--profile", "dev", "--out", join(dir, out), "--secrets", join(dir, "secrets.yaml")], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });
    const first = gen("a");
    expect(first.status, first.stderr).toBe(0);
    const second = gen("b");
    expect(second.status, second.stderr).toBe(0);
    const files = filesUnder(join(dir, "a"));
    expect(files).toContain("nodes/kube-node-1/cloud-init/user-data");
    expect(filesUnder(join(dir, "b"))).toEqual(files);
    for (const f of files.filter((x) => !/^(REPORT\.md|report\.json|manifest\.json|\.kubeseed-output)$/.test(x))) {
      expect(readFileSync(join(dir, "b", f)).equals(readFileSync(join(dir, "a", f))), f).toBe(true);
    }
  }, 300_000);
});
