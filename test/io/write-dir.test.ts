import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeBundle, type Artifact } from "../../generator/bundle/artifact.js";
import { openOutput, OUTPUT_MARKER, writeBundle } from "../../generator/io/write-dir.js";

const art = (path: string, contents: string, mode = 0o644, sensitive = false): Artifact => ({ path, contents, mode, sensitive });

function listTree(root: string, rel = ""): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTree(root, join(rel, e.name)) : [join(rel, e.name)],
  );
}

describe("writeBundle", () => {
  const bundle = makeBundle([art("nodes/a/files/etc/kubernetes/pki/ca.key", "KEY", 0o600, true), art("pki/ca.crt", "CRT"), art("join-info.yaml", "x: 1\n")]);

  it("writes every artifact with its exact mode, whatever the umask", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ks-io-")), "out");
    const old = process.umask(0o077);
    try {
      await writeBundle(bundle, out, { force: false });
    } finally {
      process.umask(old);
    }
    expect(statSync(join(out, "nodes/a/files/etc/kubernetes/pki/ca.key")).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, "pki/ca.crt")).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(out, "pki/ca.crt"), "utf8")).toBe("CRT");
  });

  it("moves the bytes handed over to its thread (empty here afterwards) and copies the rest, writing each file whole", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ks-io-")), "out");
    const iso = new Uint8Array(100_000).map((_, i) => i % 251);
    const kept = new Uint8Array(50_000).fill(9);
    const small = Buffer.from("pooled, never moved");
    const writer = await openOutput(out, { force: false });
    await writer.add(
      [
        { path: "nodes/a/seed.iso", mode: 0o600, contents: iso, sensitive: false },
        { path: "nodes/a/kept", mode: 0o644, contents: kept, sensitive: false },
        { path: "nodes/a/small", mode: 0o644, contents: small, sensitive: false },
      ],
      new Set([iso, small]),
    );
    await writer.commit();
    expect(iso.length).toBe(0);
    expect(kept.length).toBe(50_000);
    expect(small.toString()).toBe("pooled, never moved");
    expect(readFileSync(join(out, "nodes/a/seed.iso")).equals(Buffer.from(new Uint8Array(100_000).map((_, i) => i % 251)))).toBe(true);
    expect(readFileSync(join(out, "nodes/a/kept")).equals(Buffer.alloc(50_000, 9))).toBe(true);
    expect(readFileSync(join(out, "nodes/a/small"), "utf8")).toBe("pooled, never moved");
  });

  it("writes the same bytes twice and may replace its own earlier output", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ks-io-")), "out");
    await writeBundle(bundle, out, { force: false });
    const first = listTree(out).map((p) => [p, readFileSync(join(out, p), "utf8")]);
    await writeBundle(bundle, out, { force: false });
    expect(listTree(out).map((p) => [p, readFileSync(join(out, p), "utf8")])).toEqual(first);
    expect(listTree(out)).toContain(OUTPUT_MARKER);
  });

  it("writes text as TextEncoder's UTF-8 (non-ASCII, a lone surrogate) and the manifest hashes those very bytes", async () => {
    const { fileHash } = await import("../../generator/bundle/manifest.js");
    const text = "grüße ✓ \u{1F600} lone:\uD800 end\n";
    const out = join(mkdtempSync(join(tmpdir(), "ks-io-")), "out");
    await writeBundle(makeBundle([art("a/text", text), art("b/bytes", new TextEncoder().encode(text) as unknown as string)]), out, { force: false });
    const expected = Buffer.from(new TextEncoder().encode(text));
    expect(readFileSync(join(out, "a/text")).equals(expected)).toBe(true);
    expect(readFileSync(join(out, "b/bytes")).equals(expected)).toBe(true);
    expect(fileHash(text, 0o644)).toBe(fileHash(new TextEncoder().encode(text), 0o644));
    expect(fileHash(text, 0o644)).not.toBe(fileHash(text.replace("\uD800", ""), 0o644));
  });

  it("drops files of an earlier run that the new bundle no longer has", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ks-io-")), "out");
    await writeBundle(bundle, out, { force: false });
    await writeBundle(makeBundle([art("pki/ca.crt", "CRT2")]), out, { force: false });
    expect(listTree(out).sort()).toEqual([OUTPUT_MARKER, "pki/ca.crt"]);
  });

  it("refuses a non-empty directory it did not write, unless forced", async () => {
    const out = mkdtempSync(join(tmpdir(), "ks-io-"));
    writeFileSync(join(out, "precious.txt"), "keep me");
    await expect(writeBundle(bundle, out, { force: false })).rejects.toThrow(/holds 1 entry kubeseed did not write \("precious\.txt"\)/);
    expect(readFileSync(join(out, "precious.txt"), "utf8")).toBe("keep me");
    await writeBundle(bundle, out, { force: true });
    expect(readFileSync(join(out, "pki/ca.crt"), "utf8")).toBe("CRT");
  });

  it("leaves the previous output intact and no staging directory when writing fails midway", async () => {
    const parent = mkdtempSync(join(tmpdir(), "ks-io-"));
    const out = join(parent, "out");
    await writeBundle(bundle, out, { force: false });
    // "x" as a file and "x/y" below it cannot both exist: the second write fails after the first
    const broken = makeBundle([art("a-first.txt", "1"), art("x", "file"), art("x/y", "child")]);
    await expect(writeBundle(broken, out, { force: false })).rejects.toThrow();
    expect(readFileSync(join(out, "pki/ca.crt"), "utf8")).toBe("CRT");
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it("writes many files in nested folders at once, and a failure among them still leaves the previous output and no staging", async () => {
    const parent = mkdtempSync(join(tmpdir(), "ks-io-"));
    const out = join(parent, "out");
    const many = Array.from({ length: 400 }, (_, i) => art(`nodes/n${i % 40}/files/etc/d${i % 7}/f${i}`, `file ${i}\n`, i % 2 ? 0o600 : 0o644, i % 2 === 1));
    await writeBundle(makeBundle(many), out, { force: false });
    for (const a of many) {
      expect(readFileSync(join(out, a.path), "utf8")).toBe(a.contents);
      expect(statSync(join(out, a.path)).mode & 0o777).toBe(a.mode);
    }
    // one file stands where another artifact needs a folder: the write fails among hundreds of others
    const broken = makeBundle([...many.map((a) => ({ ...a, contents: "new" })), art("nodes/n7/files/etc/d3", "file"), art("nodes/n7/files/etc/d3/x", "child")]);
    await expect(writeBundle(broken, out, { force: false })).rejects.toThrow();
    expect(readFileSync(join(out, many[0].path), "utf8")).toBe("file 0\n");
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it("rejects two artifacts at one path", () => {
    expect(() => makeBundle([art("a", "1"), art("a", "2")])).toThrow(/two artifacts/);
  });

  it("never writes outside the output directory", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ks-io-")), "out");
    mkdirSync(out);
    await expect(writeBundle(makeBundle([art("../escape", "x")]), out, { force: false })).rejects.toThrow(/escapes/);
  });
});
