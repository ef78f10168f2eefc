/**
 * makeDirs (io/text-file.ts): makes the missing folders of a path and says which was the first it made;
 * a folder that is there already — made before, or by another run at the same moment — is taken as it
 * is; a file in the way, or a file system that refuses the folder (/proc), is the error it is.
 */
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { makeDirs } from "../../generator/io/text-file.js";

const scratch = () => mkdtempSync(join(tmpdir(), "ks-text-file-"));

it("makes every missing folder and returns the first it made", () => {
  const root = scratch();
  expect(makeDirs(join(root, "a/b/c"))).toBe(join(root, "a"));
  expect(statSync(join(root, "a/b/c")).isDirectory()).toBe(true);
  expect(makeDirs(join(root, "a/b/d"))).toBe(join(root, "a/b/d"));
});

it("takes a folder that is there already as it is, and makes none", () => {
  const root = scratch();
  mkdirSync(join(root, "made-by-another-run"));
  expect(makeDirs(join(root, "made-by-another-run"))).toBeUndefined();
  expect(makeDirs(root)).toBeUndefined();
});

it("refuses a file in the way, and a folder the file system will not make", () => {
  const root = scratch();
  writeFileSync(join(root, "file"), "x");
  expect(() => makeDirs(join(root, "file"))).toThrow(/EEXIST/);
  expect(() => makeDirs(join(root, "file/below"))).toThrow(/ENOTDIR/);
  expect(() => makeDirs("/proc/kubeseed-no-such/folder")).toThrow(/ENOENT/);
});
