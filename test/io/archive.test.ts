/**
 * Reproducible archives (io/archive.ts, bundle/archives.ts) of the prod output, read back by the real
 * tar and unzip: identical bytes on a second run, every file byte for byte with its mode (keys 0600),
 * fixed dates and owners, and node archives holding only their node's material.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { artifactBytes } from "../../generator/bundle/artifact.js";
import { nodeArchives, wholeOutput } from "../../generator/bundle/archives.js";
import type { Generated } from "../../generator/bundle/generate.js";
import { archiveBytes } from "../../generator/io/archive.js";
import { exampleProfile, generate } from "../helpers/generate.js";

let g: Generated;
beforeAll(async () => {
  g = await generate(exampleProfile("prod"));
});

function unpack(bytes: Buffer, format: "tar.gz" | "zip"): string {
  const dir = mkdtempSync(join(tmpdir(), "ks-unpack-"));
  const file = join(dir, `a.${format}`);
  writeFileSync(file, bytes);
  const r = format === "zip" ? spawnSync("unzip", ["-q", file, "-d", join(dir, "x")], { encoding: "utf8" }) : spawnSync("tar", ["-xzf", file, "-C", dir, "--one-top-level=x"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${format}: ${r.stderr}`);
  return join(dir, "x");
}

describe.each(["tar.gz", "zip"] as const)("%s of the whole output", (format) => {
  it("is byte-identical on a second run and unpacks to every file with its bytes and mode", async () => {
    const a = await archiveBytes(wholeOutput(g.bundle), format, "prod/");
    const b = await archiveBytes(wholeOutput(g.bundle), format, "prod/");
    expect(a.equals(b)).toBe(true);
    const root = join(unpack(a, format), "prod");
    for (const art of g.bundle.artifacts) {
      const file = join(root, art.path);
      expect(readFileSync(file).equals(Buffer.from(artifactBytes(art))), art.path).toBe(true);
      expect(statSync(file).mode & 0o777, art.path).toBe(art.mode);
    }
  });
});

it("tar lists fixed dates, owner 0/0 and keys at 0600", async () => {
  const bytes = await archiveBytes(wholeOutput(g.bundle), "tar.gz", "prod/");
  const dir = mkdtempSync(join(tmpdir(), "ks-tar-"));
  writeFileSync(join(dir, "a.tgz"), bytes);
  const list = spawnSync("tar", ["-tvzf", join(dir, "a.tgz"), "--utc"], { encoding: "utf8" }).stdout.trim().split("\n");
  expect(list.length).toBe(g.bundle.artifacts.length);
  for (const line of list) expect(line).toMatch(/^-[rwx-]{9} 0\/0 +\d+ 1980-01-01 00:00 prod\//);
  expect(list.find((l) => l.endsWith(" prod/pki/ca.key"))).toMatch(/^-rw------- /);
});

it("gives each node an archive with only its own material", async () => {
  const archives = nodeArchives(g.bundle);
  expect(archives.map((a) => a.path)).toEqual(g.model.nodes.map((n) => `nodes/${n.name}.tar.gz`).sort());
  for (const a of archives) {
    expect(a.artifacts.length).toBeGreaterThan(5);
    const root = join(unpack(await archiveBytes(a.artifacts, "tar.gz", `${a.node}/`), "tar.gz"), a.node);
    for (const art of a.artifacts) expect(readFileSync(join(root, art.path)).equals(Buffer.from(artifactBytes(art)))).toBe(true);
    const paths = a.artifacts.map((x) => x.path);
    expect(paths.some((p) => p.startsWith("cloud-init/user-data"))).toBe(true);
    expect(paths.every((p) => p.startsWith("files/") || p.startsWith("cloud-init/") || p === "ignition.json" || p === "seed.iso")).toBe(true);
    // the operator's CA copies, kubeconfigs and registry key are never in a node archive
    const text = a.artifacts.map((x) => (typeof x.contents === "string" ? x.contents : "")).join("\n");
    if (a.node.startsWith("kube-worker")) {
      expect(text).not.toContain(g.issue.secrets.cas.kubernetes.key);
      expect(text).not.toContain(g.issue.secrets.serviceAccount.key);
    }
  }
});
