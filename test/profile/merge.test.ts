/**
 * The extends overlay: mappings merge, lists replace, scalars replace; every diagnostic points into
 * the file that holds the offending value.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadProfile, type ProfileSource } from "../../generator/profile/index.js";
import { mergeChain, toPlain } from "../../generator/profile/merge.js";
import { parseSource } from "../../generator/profile/parse.js";
import { FIXTURES, summary } from "./support.js";

const fixture = (name: string): ProfileSource => ({ file: name, text: readFileSync(`${FIXTURES}extends/${name}`, "utf8") });

/** Plain merge of inline YAML documents given most-derived first. */
function merged(...texts: string[]): unknown {
  const trees = texts.map((text, i) => parseSource({ file: `f${i}.yaml`, text }, i).root!);
  return toPlain(mergeChain(trees)!);
}

describe("merge rule", () => {
  it("merges nested mappings key by key", () => {
    expect(merged("a:\n  b:\n    c: 2\n", "a:\n  b:\n    c: 1\n    d: 1\n  e: 1\n")).toEqual({ a: { b: { c: 2, d: 1 }, e: 1 } });
  });

  it("replaces lists whole", () => {
    expect(merged("l: [3]\n", "l: [1, 2]\n")).toEqual({ l: [3] });
    expect(merged("l:\n  - {x: 1}\n", "l:\n  - {x: 0, y: 0}\n  - {x: 2}\n")).toEqual({ l: [{ x: 1 }] });
  });

  it("replaces scalars, and any change of kind", () => {
    expect(merged("s: b\n", "s: a\n")).toEqual({ s: "b" });
    expect(merged("m: 1\n", "m: {a: 1}\n")).toEqual({ m: 1 });
    expect(merged("m: {a: 1}\n", "m: [1]\n")).toEqual({ m: { a: 1 } });
    expect(merged("m:\n", "m: {a: 1}\n")).toEqual({ m: null });
  });

  it("keeps base key order and appends new keys", () => {
    expect(Object.keys(merged("c: 3\na: 9\n", "a: 1\nb: 2\n") as object)).toEqual(["a", "b", "c"]);
  });

  it("merges a chain of three, most-derived first", () => {
    expect(merged("x: 3\n", "x: 2\ny: 2\n", "x: 1\ny: 1\nz: 1\n")).toEqual({ x: 3, y: 2, z: 1 });
  });
});

describe("loadProfile over an extends chain", () => {
  it("applies the overlay: new name, merged network, replaced node list, inherited admin", () => {
    const { profile, diagnostics } = loadProfile([fixture("overlay.yaml"), fixture("base.yaml")]);
    expect(summary(diagnostics)).toEqual([]);
    expect(profile?.metadata.name).toBe("overlay");
    expect(profile?.spec.network).toEqual({ cidr: "192.168.1.0/24", interface: "eth1", vlan: 20 });
    expect(profile?.spec.nodes).toEqual([{ name: "cp-9", role: "control-plane", address: "192.168.1.19" }]);
    expect(profile?.spec.admin.uid).toBe(1000);
    expect(profile).not.toHaveProperty("extends");
  });

  it("points each diagnostic into the file that holds the value", () => {
    const { profile, diagnostics } = loadProfile([fixture("broken-overlay.yaml"), fixture("base.yaml")]);
    expect(profile).toBeUndefined();
    expect(summary(diagnostics, true)).toEqual([
      "missing-field spec.nodes[1].role broken-overlay.yaml:10", // the list came from the overlay
      "out-of-range spec.admin.uid broken-overlay.yaml:13", // the overlay's value wins
      "vip-outside-network spec.controlPlane.endpoint.vip base.yaml:16", // made wrong by the overlay, held by the base
    ]);
  });

  it("reports YAML errors of every file of the chain, each in its file", () => {
    const broken = { file: "b.yaml", text: "apiVersion: kubeseed/v1\nkind: ClusterProfile\na: [1\n" };
    const { diagnostics } = loadProfile([fixture("broken-yaml.yaml"), broken]);
    expect(summary(diagnostics, true)).toEqual(["yaml-syntax <root> b.yaml:4", "yaml-syntax <root> broken-yaml.yaml:4"]);
  });
});
