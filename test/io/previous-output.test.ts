/**
 * readPreviousOutput: the previous output's file hashes as the next run compares them — from its
 * manifest.json, or, without a readable one (older output, damaged file), hashed file by file the same
 * way; nothing at all for a missing directory or one kubeseed did not write.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifest } from "../../generator/bundle/manifest.js";
import { readPreviousOutput } from "../../generator/io/previous-output.js";
import { writeBundle } from "../../generator/io/write-dir.js";
import { artifact, exampleProfile, generate } from "../helpers/generate.js";

describe("readPreviousOutput", () => {
  it("reads manifest.json; without it (or damaged) hashes the files to the same values", async () => {
    const g = await generate(exampleProfile("dev"));
    const out = join(mkdtempSync(join(tmpdir(), "ks-prev-")), "out");
    await writeBundle(g.bundle, out, { force: false });
    const manifest = parseManifest(artifact(g, "manifest.json"))!;
    const read = readPreviousOutput(out)!;
    expect(read.files).toEqual(manifest.files);
    expect(read.changes).toEqual(manifest.changes);
    // a seed ISO and the reports are not compared
    writeFileSync(join(out, "nodes/kube-node-2/seed.iso"), "iso");
    writeFileSync(join(out, "manifest.json"), "{ damaged");
    const hashed = readPreviousOutput(out)!;
    expect(hashed.files).toEqual(manifest.files);
    expect(hashed.changes).toBeUndefined();
    rmSync(join(out, "manifest.json"));
    expect(readPreviousOutput(out)!.files).toEqual(manifest.files);
  });

  it("is undefined for a missing directory and for one kubeseed did not write", () => {
    const dir = mkdtempSync(join(tmpdir(), "ks-prev-"));
    expect(readPreviousOutput(join(dir, "none"))).toBeUndefined();
    mkdirSync(join(dir, "other"));
    writeFileSync(join(dir, "other/file"), "x");
    expect(readPreviousOutput(join(dir, "other"))).toBeUndefined();
  });
});
