/**
 * What each --format asks for (bundle/archives.ts outputForms), and the node archive's artifact: 0600,
 * sensitive, carrying its node and kind (so budget, seed-iso and the layout read fields, not its path).
 */
import { describe, expect, it } from "vitest";
import { nodeArchiveArtifact, outputForms } from "../../generator/bundle/archives.js";
import { placeOf } from "../../generator/core/layout.js";

describe("--format", () => {
  it.each([
    ["dir", { isos: false, nodeArchives: false, whole: [] }],
    ["iso", { isos: true, nodeArchives: false, whole: [] }],
    ["tar.gz", { isos: false, nodeArchives: true, whole: ["tar.gz"] }],
    ["zip", { isos: false, nodeArchives: true, whole: ["zip"] }],
    ["all", { isos: true, nodeArchives: true, whole: ["tar.gz", "zip"] }],
  ] as const)("%s", (format, forms) => {
    expect(outputForms(format)).toEqual(forms);
  });

  it("a node archive is the node's secret material: 0600, sensitive, placed by its fields", () => {
    const a = nodeArchiveArtifact({ node: "cp-1", path: "nodes/cp-1.tar.gz", artifacts: [] }, Uint8Array.of(1, 2));
    expect(a).toMatchObject({ path: "nodes/cp-1.tar.gz", mode: 0o600, sensitive: true, node: "cp-1", kind: "archive" });
    expect(placeOf(a)).toMatchObject({ node: "cp-1", kind: "archive" });
  });
});
