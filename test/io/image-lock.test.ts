/**
 * io/image-lock.ts: the image lock next to a profile (NAME.images.lock.json before images.lock.json),
 * and a clear error naming the file for every malformed lock.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../generator/core/errors.js";
import { readImageLock } from "../../generator/io/image-lock.js";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;
const lock = (images: unknown, format = "kubeseed.images-lock/v1") => JSON.stringify({ format, images });

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "ks-lock-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe("readImageLock", () => {
  it("reads nothing when there is no lock", () => {
    expect(readImageLock("profiles/prod.yaml", dir({}))).toEqual({ lock: {} });
  });

  it("prefers NAME.images.lock.json to images.lock.json", () => {
    const cwd = dir({});
    const d = join(cwd, "profiles");
    const made = dir({ "prod.images.lock.json": lock({ "a/b:1": D1 }), "images.lock.json": lock({ "a/b:1": D2 }) });
    expect(readImageLock(join(made, "prod.yaml"), d)).toEqual({ lock: { "a/b:1": D1 }, file: join(made, "prod.images.lock.json") });
    expect(readImageLock(join(made, "dev.yaml"), d)).toEqual({ lock: { "a/b:1": D2 }, file: join(made, "images.lock.json") });
  });

  it.each([
    ["not JSON", "{", /images\.lock\.json is not an image lock written by mirror\.sh: /],
    ["another format", lock({}, "kubeseed.files-lock/v1"), /format must be kubeseed\.images-lock\/v1/],
    ["images not a mapping", lock([]), /images must be a mapping of image reference to digest/],
    ["a bad digest", lock({ "registry.k8s.io/pause:3.10": "sha256:abc" }), /registry\.k8s\.io\/pause:3\.10: the digest must be sha256:<64 lower-case hex digits>/],
  ])("refuses %s, naming the file", (_, text, message) => {
    const d = dir({ "images.lock.json": text });
    let err: unknown;
    try {
      readImageLock(join(d, "prod.yaml"), d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(join(d, "images.lock.json"));
  });
});
