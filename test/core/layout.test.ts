import { describe, expect, it } from "vitest";
import { cloudInitPath, ignitionPath, isBootDoc, nodeArchivePath, nodeFilePath, OUTPUT, parseNodePath, placeOf, seedIsoPath } from "../../generator/core/layout.js";

describe("core/layout", () => {
  it.each([
    [nodeFilePath("cp-1", "/etc/kubernetes/pki/ca.crt"), { node: "cp-1", kind: "file", rel: "files/etc/kubernetes/pki/ca.crt", onNode: "/etc/kubernetes/pki/ca.crt" }],
    [cloudInitPath("cp-1", "user-data"), { node: "cp-1", kind: "cloud-init", rel: "cloud-init/user-data", doc: "user-data" }],
    [ignitionPath("fcos-1"), { node: "fcos-1", kind: "ignition", rel: "ignition.json" }],
    [seedIsoPath("cp-1"), { node: "cp-1", kind: "seed-iso", rel: "seed.iso" }],
    [nodeArchivePath("cp-1"), { node: "cp-1", kind: "archive", rel: "" }],
    ["nodes/cp-1/notes.txt", { node: "cp-1", kind: "other", rel: "notes.txt" }],
  ])("parses %s back to its place", (path, place) => {
    expect(parseNodePath(path)).toEqual(place);
    expect(placeOf({ path, node: place.node, kind: place.kind as never })).toEqual(place);
  });

  it("gives no node place to the operator's and the run's files", () => {
    for (const p of [OUTPUT.report, OUTPUT.manifest, `${OUTPUT.pki}/ca.crt`, `${OUTPUT.kubeconfigs}/admin.conf`, `${OUTPUT.registry}/images.json`]) expect(parseNodePath(p)).toBeUndefined();
  });

  it("knows the first-boot documents", () => {
    expect([cloudInitPath("a", "user-data"), cloudInitPath("a", "meta-data"), ignitionPath("a"), nodeFilePath("a", "/x")].map((p) => isBootDoc(parseNodePath(p)))).toEqual([true, false, true, false]);
  });
});
