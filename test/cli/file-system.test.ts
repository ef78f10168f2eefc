/**
 * The real CLI against file-system faults and the user's own files: each fault is a one-line error
 * with exit 1, no stack trace, and the previous output and secrets intact. Full and read-only disks
 * are real tmpfs mounts (the suite runs as root; without root these tests are skipped and say so).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gen, readTree, scratchDir } from "./support.js";

const root = typeof process.getuid === "function" && process.getuid() === 0;
const mounts: string[] = [];

/** A fresh tmpfs of `size` (e.g. "600k"), optionally read-only; unmounted after the file. */
function tmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ks-tmpfs-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`mount: ${r.stderr}`);
  mounts.push(dir);
  return dir;
}
const remountReadOnly = (dir: string) => expect(spawnSync("mount", ["-o", "remount,ro", dir]).status).toBe(0);
afterAll(() => {
  for (const m of mounts) spawnSync("umount", ["-l", m]);
});

/** A user error: exit 1, the expected text, no stack trace, no "internal error". */
function expectUserError(r: ReturnType<typeof gen>, text: RegExp): void {
  expect(r.status, r.stderr).toBe(1);
  expect(r.stderr).toMatch(text);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe("file-system faults are user errors", () => {
  it.skipIf(!root)("a disk that fills up while the output is written: exit 1, previous output unchanged, no staging left (needs root: tmpfs)", () => {
    const dir = scratchDir();
    const disk = tmpfs("600k");
    const out = join(disk, "out");
    expect(gen(dir, "--profile", "dev", "--out", out).status).toBe(0);
    const before = readTree(out);
    // the seed ISOs do not fit beside the previous output
    expectUserError(gen(dir, "--profile", "dev", "--out", out, "--format", "iso"), /^error: cannot write .*out: no space left on the device \(ENOSPC\); the previous output is unchanged$/m);
    expect(readTree(out)).toEqual(before);
    expect(readdirSync(disk)).toEqual(["out"]);
  });

  it.skipIf(!root)("a disk that is full when the secrets file is written: exit 1, no secrets file and no temporary file left (needs root: tmpfs)", () => {
    const dir = scratchDir();
    const disk = tmpfs("8k");
    writeFileSync(join(disk, "filler"), Buffer.alloc(4096));
    const r = gen(dir, "--profile", "dev", "--secrets", join(disk, "dev.yaml"));
    expectUserError(r, /^error: cannot write .*dev\.yaml: no space left on the device \(ENOSPC\); the secrets file is unchanged$/m);
    expect(readdirSync(disk)).toEqual(["filler"]);
    expect(existsSync(join(dir, "output/dev"))).toBe(false);
  });

  it.skipIf(!root)("a read-only output location: exit 1, previous output unchanged (needs root: tmpfs)", () => {
    const dir = scratchDir();
    const disk = tmpfs("2m");
    const out = join(disk, "out");
    expect(gen(dir, "--profile", "dev", "--out", out).status).toBe(0);
    const before = readTree(out);
    remountReadOnly(disk);
    expectUserError(gen(dir, "--profile", "dev", "--out", out), /^error: cannot (lock|write) .*out: the file system is read-only \(EROFS\)/m);
    expect(readTree(out)).toEqual(before);
  });

  it("a folder where the whole-output archive goes: exit 1 naming it, the output written, no temporary archive left", () => {
    const dir = scratchDir();
    mkdirSync(join(dir, "output/dev.tar.gz"), { recursive: true });
    const r = gen(dir, "--profile", "dev", "--format", "tar.gz");
    expectUserError(r, /^error: cannot write output\/dev\.tar\.gz: it is a folder \(EISDIR\)$/m);
    expect(existsSync(join(dir, "output/dev/manifest.json"))).toBe(true);
    expect(readdirSync(join(dir, "output")).sort()).toEqual(["dev", "dev.tar.gz"]);
    expect(readdirSync(join(dir, "output/dev.tar.gz"))).toEqual([]);
  });

  it.each([
    ["--out that is a file", ["--out", "profiles/dev.yaml"], /^error: --out profiles\/dev\.yaml is a file, not a directory/m],
    ["--out under a file", ["--out", "profiles/dev.yaml/out"], /^error: --out profiles\/dev\.yaml\/out cannot be a directory: profiles\/dev\.yaml is a file/m],
    ["--secrets that is a directory", ["--secrets", "profiles"], /^error: --secrets profiles is a directory/m],
  ])("%s: exit 1, nothing written", (_title, args, text) => {
    const dir = scratchDir();
    expectUserError(gen(dir, "--profile", "dev", ...args), text);
    expect(existsSync(join(dir, "output"))).toBe(false);
    expect(existsSync(join(dir, "secrets"))).toBe(false);
  });

  it("an image lock that is a FIFO is refused, never waited on", () => {
    const dir = scratchDir();
    expect(spawnSync("mkfifo", [join(dir, "profiles/images.lock.json")]).status).toBe(0);
    expectUserError(gen(dir, "--profile", "dev"), /^error: cannot read the image lock profiles\/images\.lock\.json \(not a regular file\)$/m);
  });

  it("gen schema --out where no file can be written is a user error", () => {
    expectUserError(gen(scratchDir(), "schema", "--out", "/proc/kubeseed/schema.json"), /^error: cannot write \/proc\/kubeseed\/schema\.json: no such file or folder \(ENOENT\)$/m);
  });

  it("an empty secrets file is refused, never taken for a new PKI", () => {
    const dir = scratchDir();
    mkdirSync(join(dir, "secrets"));
    writeFileSync(join(dir, "secrets/dev.yaml"), "");
    expectUserError(gen(dir, "--profile", "dev"), /secrets\/dev\.yaml is empty: it holds no CA/);
    expect(readFileSync(join(dir, "secrets/dev.yaml"), "utf8")).toBe("");
    expect(existsSync(join(dir, "output"))).toBe(false);
  });
});

describe("--force and the secrets file never cost the user a file", () => {
  it("--out . --force keeps every file of the working directory, over two runs", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "notes.txt"), "mine");
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/app.go"), "package main");
    const ino = statSync(dir).ino;
    const secrets = join(mkdtempSync(join(tmpdir(), "ks-sec-")), "dev.yaml");
    expectUserError(gen(dir, "--profile", "dev", "--out", ".", "--secrets", secrets), /holds 3 entries kubeseed did not write \("notes\.txt", "profiles", "src"\); pass --force/);
    for (let i = 0; i < 2; i++) {
      const r = gen(dir, "--profile", "dev", "--out", ".", "--force", "--secrets", secrets);
      expect(r.status, r.stderr).toBe(0);
    }
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(readFileSync(join(dir, "src/app.go"), "utf8")).toBe("package main");
    expect(existsSync(join(dir, "profiles/dev.yaml"))).toBe(true);
    expect(existsSync(join(dir, "pki/ca.crt"))).toBe(true);
    expect(statSync(dir).ino).toBe(ino);
  });

  it("a user's file in a foreign output directory survives --force", () => {
    const dir = scratchDir();
    mkdirSync(join(dir, "site"));
    writeFileSync(join(dir, "site/inventory.csv"), "a,b\n");
    expect(gen(dir, "--profile", "dev", "--out", "site", "--force").status).toBe(0);
    expect(readFileSync(join(dir, "site/inventory.csv"), "utf8")).toBe("a,b\n");
  });

  it("a secrets file inside the output directory is refused before anything is written", () => {
    const dir = scratchDir();
    expectUserError(gen(dir, "--profile", "dev", "--secrets", "output/dev/secrets.yaml"), /secrets file output\/dev\/secrets\.yaml is inside the output directory output\/dev/);
    expect(existsSync(join(dir, "output"))).toBe(false);
  });

  it("a missing secrets file beside an output with an earlier CA is refused: no new CA in silence", () => {
    const dir = scratchDir();
    expect(gen(dir, "--profile", "dev").status).toBe(0);
    const ca = readFileSync(join(dir, "output/dev/pki/ca.crt"), "utf8");
    expectUserError(gen(dir, "--profile", "dev", "--secrets", "elsewhere.yaml"), /elsewhere\.yaml does not exist, but output\/dev holds the output of an earlier run with its CA/);
    expect(readFileSync(join(dir, "output/dev/pki/ca.crt"), "utf8")).toBe(ca);
    expect(existsSync(join(dir, "elsewhere.yaml"))).toBe(false);
  });
});
