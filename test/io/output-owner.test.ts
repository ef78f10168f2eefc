/**
 * --force never deletes or overwrites what kubeseed did not write: the user's files beside the
 * output survive every run, the user's files where kubeseed writes are refused even with --force,
 * kubeseed's own files of an earlier run are replaced or dropped, and an output that holds the
 * working directory is never renamed away under the user's shell.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeBundle, type Artifact } from "../../generator/bundle/artifact.js";
import { UserError } from "../../generator/core/errors.js";
import { OUTPUT_MARKER, writeBundle } from "../../generator/io/write-dir.js";

const art = (path: string, contents: string): Artifact => ({ path, contents, mode: 0o644, sensitive: false });
const first = makeBundle([art("pki/ca.crt", "CRT1"), art("nodes/a/x", "A"), art("nodes/b/x", "B"), art("REPORT.md", "R1")]);
const second = makeBundle([art("pki/ca.crt", "CRT2"), art("nodes/a/x", "A2"), art("REPORT.md", "R2")]);

function tree(root: string, rel = ""): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tree(root, join(rel, e.name)) : [join(rel, e.name)])).sort();
}
const userError = async (f: () => Promise<unknown>): Promise<string> => {
  try {
    await f();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error("accepted");
};

describe("the output directory belongs partly to the user", () => {
  it("with --force keeps the user's files and folders beside kubeseed's, over two runs, and drops kubeseed's stale files", async () => {
    const out = mkdtempSync(join(tmpdir(), "ks-own-"));
    writeFileSync(join(out, "notes.txt"), "mine");
    mkdirSync(join(out, "src"));
    writeFileSync(join(out, "src/main.go"), "package main");
    await writeBundle(first, out, { force: true, cwd: "/" });
    await writeBundle(second, out, { force: true, cwd: "/" });
    expect(tree(out)).toEqual([OUTPUT_MARKER, "REPORT.md", "nodes/a/x", "notes.txt", "pki/ca.crt", "src/main.go"]);
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("mine");
    expect(readFileSync(join(out, "pki/ca.crt"), "utf8")).toBe("CRT2");
    expect(readdirSync(join(out, ".."))).not.toContainEqual(expect.stringMatching(/kubeseed-(new|old)/));
  });

  it("without --force refuses a kubeseed output to which the user added a file, and changes nothing", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ks-own-")), "out");
    await writeBundle(first, out, { force: false });
    writeFileSync(join(out, "todo.txt"), "mine");
    expect(await userError(() => writeBundle(second, out, { force: false }))).toMatch(/"todo\.txt"/);
    expect(readFileSync(join(out, "pki/ca.crt"), "utf8")).toBe("CRT1");
    await writeBundle(second, out, { force: true });
    expect(readFileSync(join(out, "todo.txt"), "utf8")).toBe("mine");
  });

  it.each([
    ["a file at one of kubeseed's paths", "REPORT.md"],
    ["a file inside kubeseed's folder", "nodes/notes.txt"],
    ["a folder where kubeseed writes one", "pki/mine/key"],
    ["a file named like a kubeseed folder", "nodes"],
  ])("even with --force refuses %s, and keeps it", async (_title, path) => {
    const out = mkdtempSync(join(tmpdir(), "ks-own-"));
    mkdirSync(join(out, path, ".."), { recursive: true });
    writeFileSync(join(out, path), "mine");
    expect(await userError(() => writeBundle(first, out, { force: true }))).toMatch(/stands? where kubeseed writes its own files/);
    expect(readFileSync(join(out, path), "utf8")).toBe("mine");
    expect(tree(out)).toEqual([path]);
  });

  it("an output that holds the working directory is filled entry by entry: the directory itself stays (same inode)", async () => {
    const out = mkdtempSync(join(tmpdir(), "ks-own-"));
    writeFileSync(join(out, "package.json"), "{}");
    const ino = statSync(out).ino;
    await writeBundle(first, out, { force: true, cwd: out });
    await writeBundle(second, out, { force: true, cwd: out });
    expect(statSync(out).ino).toBe(ino);
    expect(tree(out)).toEqual([OUTPUT_MARKER, "REPORT.md", "nodes/a/x", "package.json", "pki/ca.crt"]);
  });

  it("an output written by an earlier kubeseed (a marker without a list) is replaced whole, as that kubeseed said", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ks-own-")), "out");
    mkdirSync(join(out, "old"), { recursive: true });
    writeFileSync(join(out, "old/file"), "x");
    writeFileSync(join(out, OUTPUT_MARKER), "kubeseed output directory: the next `gen` run replaces it whole\n");
    await writeBundle(second, out, { force: false });
    expect(tree(out)).toEqual([OUTPUT_MARKER, "REPORT.md", "nodes/a/x", "pki/ca.crt"]);
  });

  it("refuses an --out that is a file, or under a file, before writing anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ks-own-"));
    writeFileSync(join(dir, "file"), "x");
    expect(await userError(() => writeBundle(first, join(dir, "file"), { force: true }))).toMatch(/is a file, not a directory/);
    expect(await userError(() => writeBundle(first, join(dir, "file/sub/out"), { force: true }))).toMatch(/file\/sub\/out cannot be a directory: .*file is a file/);
    expect(readdirSync(dir)).toEqual(["file"]);
  });

  it("follows an --out that is a symbolic link to a directory, and keeps the link", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ks-own-"));
    mkdirSync(join(dir, "real"));
    symlinkSync(join(dir, "real"), join(dir, "link"));
    await writeBundle(first, join(dir, "link"), { force: false });
    await writeBundle(second, join(dir, "link"), { force: false });
    expect(readFileSync(join(dir, "link/pki/ca.crt"), "utf8")).toBe("CRT2");
    expect(tree(join(dir, "real"))).toContain("REPORT.md");
  });
});
