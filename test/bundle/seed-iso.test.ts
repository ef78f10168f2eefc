import { describe, expect, it } from "vitest";
import { artifactBytes, makeBundle, type Artifact } from "../../generator/bundle/artifact.js";
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
});
