/** did-you-mean: edit distance and the hints built on it. */
import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "../../generator/profile/suggest.js";
import { load, variant } from "./support.js";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["abc", "abc", 0],
    ["adress", "address", 1],
    ["dve", "dev", 1],
    ["kitten", "sitting", 3],
    ["", "vlan", 4],
  ])("%s → %s is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("didYouMean", () => {
  const keys = ["cidr", "interface", "vlan", "gateway"];
  it.each([
    ["interfce", "interface"],
    ["Interface", "interface"],
    ["vlna", "vlan"],
    ["gatway", "gateway"],
    ["cdir", "cidr"],
  ])("%s → %s", (word, expected) => expect(didYouMean(word, keys)).toBe(expected));

  it.each(["mtu", "routes", "x"])("suggests nothing for %s", (word) => expect(didYouMean(word, keys)).toBeUndefined());

  it("prefers the closest, then the first listed", () => {
    expect(didYouMean("interfce", ["interfaces", "interface"])).toBe("interface");
    expect(didYouMean("ab", ["ax", "xb"])).toBe("ax");
  });
});

describe("hints in diagnostics", () => {
  const hint = (edits: [string, string][]) => load(variant(edits)).diagnostics.map((d) => d.hint);

  it("an unknown key suggests the allowed key", () => {
    expect(hint([["    interface: eth1", "    interfce: eth1"]])).toEqual(['did you mean "interface"?']);
  });

  it("an unknown key with no close match lists the allowed keys", () => {
    expect(hint([["    interface: eth1", "    mtu: 9000"]])).toEqual(["allowed keys here: cidr, interface, vlan, gateway, publicInterface"]);
  });

  it("an enum typo suggests the value, a far miss lists the values", () => {
    expect(hint([["      role: worker", "      role: wroker"]])).toEqual(['did you mean "worker"?']);
    expect(hint([["      role: worker", "      role: master"]])).toEqual(["allowed values: control-plane, worker, etcd"]);
  });

  it("a version without v suggests the v form; an unsupported patch the newest of its minor", () => {
    expect(hint([["    version: v1.33.5", "    version: 1.33.5"]])).toEqual(['write "v1.33.5"']);
    expect(hint([["    version: v1.33.5", "    version: v1.33.99"]])).toEqual(["use v1.33.13, the newest supported v1.33 patch"]);
    expect(hint([["    version: v1.33.5", "    version: v1.40.0"]])).toEqual(["supported versions: v1.28.0 to v1.34.10"]);
  });

  it("a number where a string is expected is quoted back as written", () => {
    expect(hint([["      host: k8s-api.test.internal", "      host: 1.50"]])).toEqual(['quote the value: "1.50"']);
  });
});
