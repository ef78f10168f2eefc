/** io/profile-files: name and path lookup, the extends chain, cycles and missing files. */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/core/diagnostics.js";
import { UserError } from "../../generator/core/errors.js";
import { readProfileSources } from "../../generator/io/profile-files.js";
import { loadProfile } from "../../generator/profile/index.js";
import { REPO, summary } from "./support.js";

const DIR = "test/fixtures/profiles/extends";

function failure(ref: string, cwd = REPO): { error: UserError; d: Diagnostic } {
  try {
    readProfileSources(ref, cwd);
  } catch (e) {
    if (e instanceof UserError) return { error: e, d: e.diagnostics[0] };
    throw e;
  }
  throw new Error(`${ref} was read without error`);
}

describe("readProfileSources", () => {
  it("looks a name up as profiles/NAME.yaml under cwd, with a display path relative to cwd", () => {
    const sources = readProfileSources("dev", REPO);
    expect(sources.map((s) => s.file)).toEqual(["profiles/dev.yaml"]);
    expect(sources[0].text).toContain("kind: ClusterProfile");
  });

  it("follows extends relative to the naming file, most-derived first", () => {
    const files = readProfileSources(`${DIR}/top.yaml`, REPO).map((s) => s.file);
    expect(files).toEqual([`${DIR}/top.yaml`, `${DIR}/sub/mid.yaml`, `${DIR}/base.yaml`]);
  });

  it("the chain of three loads, each level overriding", () => {
    const { profile, diagnostics } = loadProfile(readProfileSources(`${DIR}/top.yaml`, REPO));
    expect(summary(diagnostics)).toEqual([]);
    expect(profile?.metadata.name).toBe("top");
    expect(profile?.spec.kubernetes.version).toBe("v1.34.10");
  });

  it("an unknown name fails with profile-not-found and a did-you-mean hint", () => {
    const { d } = failure("dve");
    expect(d.code).toBe("profile-not-found");
    expect(d.hint).toContain('"dev"');
  });

  it("an unknown name far from any profile lists the available ones", () => {
    const { d } = failure("staging");
    expect(d.hint).toMatch(/^available profiles: .*\bdev, .*\bprod\b/);
  });

  it("a missing base fails at the extends line of the file that names it", () => {
    const { d } = failure(`${DIR}/missing.yaml`);
    expect(d.code).toBe("extends-not-found");
    expect(d.loc).toMatchObject({ file: `${DIR}/missing.yaml`, line: 4, col: 10, text: "extends: nowhere.yaml" });
    expect(d.message).toContain(`${DIR}/nowhere.yaml`);
  });

  it.each([
    ["cycle-a.yaml", "cycle-b.yaml", 5, ["cycle-a.yaml", "cycle-b.yaml", "cycle-a.yaml"]],
    ["self.yaml", "self.yaml", 1, ["self.yaml", "self.yaml"]],
  ])("a cycle from %s fails at the extends that closes it", (start, closer, line, chain) => {
    const { d } = failure(`${DIR}/${start}`);
    expect(d.code).toBe("extends-cycle");
    expect(d.loc).toMatchObject({ file: `${DIR}/${closer}`, line });
    expect(d.message).toContain(chain.map((f) => `${DIR}/${f}`).join(" -> "));
  });

  it("a file with YAML errors ends the chain; loadProfile reports the errors", () => {
    const sources = readProfileSources(`${DIR}/broken-yaml.yaml`, REPO);
    expect(sources).toHaveLength(1);
    expect(summary(loadProfile(sources).diagnostics, true)).toEqual([`yaml-syntax <root> ${DIR}/broken-yaml.yaml:4`]);
  });

  it("a path outside cwd is shown absolute", () => {
    const sources = readProfileSources(`${REPO}profiles/dev.yaml`, `${REPO}test`);
    expect(sources[0].file).toBe(`${REPO}profiles/dev.yaml`);
  });
});
