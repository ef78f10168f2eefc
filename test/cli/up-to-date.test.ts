/**
 * `gen` with nothing to do (cli/commands/up-to-date.ts): a run with the inputs of the run that wrote
 * the output, whose files are as that run wrote them, writes nothing and says so; a changed, removed
 * or added file, a changed profile or secrets file, or --rewrite make a full run that writes the
 * output as before.
 */
import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gen, readTree, scratchDir } from "./support.js";

const UP_TO_DATE = /output\/dev is up to date: its \d+ files are as the last run wrote them/;
const WROTE = /wrote output\/dev: \d+ files/;

function firstRun() {
  const dir = scratchDir();
  const r = gen(dir, "--profile", "dev");
  expect(r.status, r.stderr).toBe(0);
  const out = join(dir, "output/dev");
  return { dir, out, tree: readTree(out), inode: statSync(out).ino };
}

describe("gen on an up-to-date output", () => {
  it("writes nothing and says so; --rewrite writes the same bytes again", () => {
    const { dir, out, tree, inode } = firstRun();
    const r = gen(dir, "--profile", "dev");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(UP_TO_DATE);
    expect(r.stderr).not.toMatch(WROTE);
    expect(statSync(out).ino).toBe(inode); // not swapped
    const w = gen(dir, "--profile", "dev", "--rewrite");
    expect(w.stderr).toMatch(WROTE);
    expect(statSync(out).ino).not.toBe(inode);
    expect(readTree(out)).toEqual(tree);
  });

  it("rewrites an output whose file was changed or removed, and is up to date again after", () => {
    const { dir, out, tree } = firstRun();
    const meta = "nodes/kube-node-1/cloud-init/meta-data";
    appendFileSync(join(out, meta), "# edited\n");
    expect(gen(dir, "--profile", "dev").stderr).toMatch(WROTE);
    expect(readTree(out)).toEqual(tree);
    rmSync(join(out, "kubeconfigs/admin.conf"));
    expect(gen(dir, "--profile", "dev").stderr).toMatch(WROTE);
    expect(readTree(out)).toEqual(tree);
    expect(gen(dir, "--profile", "dev").stderr).toMatch(UP_TO_DATE);
  });

  it("treats a file added to the output as a full run does (refused without --force)", () => {
    const { dir, out } = firstRun();
    writeFileSync(join(out, "notes.txt"), "mine\n");
    const r = gen(dir, "--profile", "dev");
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(UP_TO_DATE);
    expect(gen(dir, "--profile", "dev", "--force").stderr).toMatch(WROTE);
  });

  it("runs in full when the profile or the secrets file changed", () => {
    const { dir, out } = firstRun();
    const profile = join(dir, "profiles/dev.yaml");
    const text = readFileSync(profile, "utf8");
    writeFileSync(profile, `${text}\n# a comment only: the validated profile is the same\n`);
    expect(gen(dir, "--profile", "dev").stderr).toMatch(UP_TO_DATE);
    const secrets = join(dir, "secrets/dev.yaml");
    writeFileSync(secrets, `${readFileSync(secrets, "utf8")}# kept by the user\n`);
    expect(gen(dir, "--profile", "dev").stderr).toMatch(WROTE);
    expect(readFileSync(join(out, "pki/ca.crt"), "utf8")).toMatch(/BEGIN CERTIFICATE/);
  });
});
