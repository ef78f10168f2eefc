/**
 * The rules' defaulted accessors (profile/rule-context.ts strOrDefault / numOrDefault) read the profile's
 * defaults from model/defaults.ts DEFAULT_AT, the same table of values the model applies.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_AT, DEFAULTS } from "../../generator/model/defaults.js";
import { ruleContext } from "../../generator/profile/rule-context.js";

describe("defaulted accessors of the rule context", () => {
  const empty = ruleContext({ spec: {} });
  const given = ruleContext({ spec: { pki: { keyAlgorithm: "rsa-2048" }, controlPlane: { bindPort: 7443 } } });

  it("give the profile's value when it is there, else the default", () => {
    expect(given.strOrDefault(["spec", "pki", "keyAlgorithm"])).toBe("rsa-2048");
    expect(empty.strOrDefault(["spec", "pki", "keyAlgorithm"])).toBe(DEFAULTS.keyAlgorithm);
    expect(given.numOrDefault(["spec", "controlPlane", "bindPort"])).toBe(7443);
    expect(empty.numOrDefault(["spec", "controlPlane", "bindPort"])).toBe(DEFAULTS.apiPort);
  });

  it("a value of the wrong type counts as absent, as for every accessor", () => {
    expect(ruleContext({ spec: { controlPlane: { bindPort: "x" } } }).numOrDefault(["spec", "controlPlane", "bindPort"])).toBe(DEFAULTS.apiPort);
  });

  it("refuse a path without a registered default (a programming error, never a user's)", () => {
    expect(() => empty.strOrDefault(["spec", "nowhere"])).toThrow(/no default at spec\.nowhere/);
  });

  it("every registered default is one of DEFAULTS' values", () => {
    const values = new Set<unknown>(Object.values(DEFAULTS));
    for (const [path, value] of Object.entries(DEFAULT_AT)) expect(values.has(value), path).toBe(true);
  });
});
