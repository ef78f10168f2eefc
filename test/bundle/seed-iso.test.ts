import { describe, expect, it } from "vitest";
import { gunzipSync, gzipSync } from "node:zlib";
import { artifactBytes, encodedBundle, makeBundle, type Artifact } from "../../generator/bundle/artifact.js";
import { withSeedIsos } from "../../generator/bundle/seed-iso.js";

const art = (path: string, contents: string, mode = 0o644, sensitive = false): Artifact => ({ path, contents, mode, sensitive });

describe("withSeedIsos", () => {
  const bundle = makeBundle([
    art("nodes/cp-1/cloud-init/user-data", "#cloud-config\nkey: secret\n", 0o600, true),
    art("nodes/cp-1/cloud-init/meta-data", "instance-id: a\n"),
    art("nodes/cp-1/cloud-init/network-config", "version: 2\n"),
    art("nodes/cp-1/files/etc/hosts", "127.0.0.1 localhost\n"),
    art("nodes/fcos-1/ignition.json", "{}", 0o600, true),
    art("pki/ca.crt", "CRT"),
  ]);
  const seeded = withSeedIsos(bundle);

  it("adds nodes/NODE/seed.iso (0600, sensitive) for cloud-init nodes only, and keeps every other artifact", () => {
    const added = seeded.artifacts.filter((a) => !bundle.artifacts.includes(a));
    expect(added.map((a) => [a.path, a.mode, a.sensitive])).toEqual([["nodes/cp-1/seed.iso", 0o600, true]]);
    expect(seeded.artifacts.map((a) => a.path)).toEqual([...bundle.artifacts.map((a) => a.path), "nodes/cp-1/seed.iso"].sort());
  });

  it("holds each cloud-init document's bytes, sector-aligned, and only those", () => {
    const iso = Buffer.from(artifactBytes(seeded.artifacts.find((a) => a.path === "nodes/cp-1/seed.iso")!));
    for (const a of bundle.artifacts.filter((x) => x.path.includes("/cloud-init/"))) expect(iso.indexOf(Buffer.from(artifactBytes(a))) % 2048, a.path).toBe(0);
    expect(iso.includes("127.0.0.1 localhost")).toBe(false);
  });

  it("is deterministic", () => {
    expect(withSeedIsos(bundle)).toEqual(seeded);
  });

  it("names where the image holds each document's very bytes (pieces), so archives deflate them once", () => {
    // archives take the bundle encoded: the image then holds the user-data artifact's own bytes object
    const encoded = encodedBundle(bundle);
    const iso = withSeedIsos(encoded).artifacts.find((a) => a.path === "nodes/cp-1/seed.iso")!;
    const image = iso.contents as Uint8Array;
    const docs = encoded.artifacts.filter((a) => a.path.includes("/cloud-init/"));
    for (const d of docs) expect(iso.pieces!.some((p) => p.bytes === d.contents), d.path).toBe(true);
    for (const p of iso.pieces!) expect(Buffer.from(image.subarray(p.at, p.at + p.bytes.length)).equals(p.bytes)).toBe(true);
    // and the system area, zero, shared by every image
    expect(iso.pieces!.find((p) => p.at === 0)!.bytes).toEqual(new Uint8Array(16 * 2048));
  });

  it("holds the gzip bytes of a base64 user-data, given as its text or as its bytes (NoCloud does not decode base64)", () => {
    const gz = gzipSync("#cloud-config\nkey: secret\n");
    const base64 = makeBundle([art("nodes/h-1/cloud-init/user-data", gz.toString("base64"), 0o600, true), art("nodes/h-1/cloud-init/meta-data", "instance-id: h\n")]);
    for (const b of [base64, encodedBundle(base64)]) {
      const iso = Buffer.from(artifactBytes(withSeedIsos(b).artifacts.find((a) => a.path === "nodes/h-1/seed.iso")!));
      const at = iso.indexOf(gz);
      expect(at % 2048).toBe(0);
      expect(gunzipSync(iso.subarray(at, at + gz.length)).toString()).toBe("#cloud-config\nkey: secret\n");
      expect(iso.includes(gz.toString("base64"))).toBe(false);
    }
  });
});
