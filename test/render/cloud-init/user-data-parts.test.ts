/**
 * renderUserData stringifies its document in parts (the mapping before write_files, each write_files
 * item from a memo, the rest) for speed: the parts joined must be exactly the YAML the yaml package
 * makes of the whole document. A body is that canonical stringification when parsing it and
 * stringifying the value again gives the same text; checked for every cloud-init node of every example
 * profile and for file contents chosen to stress block scalars and quoting, in both renderings.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { userDataText } from "../../../generator/bundle/delivery.js";
import { renderUserData } from "../../../generator/render/cloud-init/user-data.js";
import type { NodeFile } from "../../../generator/render/node-input.js";
import { toYaml } from "../../../generator/render/yaml.js";
import { exampleProfile, generate, REPO_ROOT } from "../../helpers/generate.js";

/** The YAML after the two header comment lines. */
const body = (doc: string) => doc.split("\n").slice(2).join("\n");
const canonical = (text: string) => toYaml(parse(text));

// every example but those of Ignition nodes (they come with a files lock and have no user-data)
const listed = readdirSync(join(REPO_ROOT, "profiles"));
const examples = listed
  .filter((f) => f.endsWith(".yaml") && !listed.includes(f.replace(/\.yaml$/, ".files.lock.json")))
  .map((f) => f.slice(0, -".yaml".length));

describe("user-data stringified in parts is the whole document's YAML", () => {
  it.each(examples)("every cloud-init node of %s", async (name) => {
    const g = await generate(exampleProfile(name));
    const docs = g.bundle.artifacts.filter((a) => a.path.endsWith("/cloud-init/user-data"));
    for (const a of docs) {
      const text = body(userDataText(a.contents));
      expect(canonical(text), a.path).toBe(text);
    }
  });

  const contents = [
    "",
    "no trailing newline",
    "one line\n",
    "kept trailing newlines\n\n\n",
    "  leading spaces\nsecond\n",
    "key: value\n- item\n---\n...\n# not a comment\n",
    "tab\there and trailing space \n",
    "unicode — ✓ and \u00e9\n",
    "x".repeat(5000) + "\n",
    Array.from({ length: 200 }, (_, i) => `line ${i} of a file that compresses well`).join("\n") + "\n",
  ];
  const files: NodeFile[] = contents.map((c, i) => ({ path: `/etc/test/f${i}`, mode: i % 2 ? 0o600 : 0o644, owner: "root:root", contents: c }));

  it.each([true, false])("files with hard contents (pack: %s), twice (the second time from the memo)", async (pack) => {
    const g = await generate(exampleProfile("dev"));
    const input = { model: g.model, node: g.model.nodes[0], join: { token: "abcdef.0123456789abcdef", caCertHash: "sha256:00" } };
    const first = renderUserData(input, files, { runcmd: [["true"]], pack });
    expect(canonical(body(first))).toBe(body(first));
    expect(renderUserData(input, files, { runcmd: [["true"]], pack })).toBe(first);
    // every file is there with its contents (packed ones as gz+b64)
    const wf = (parse(body(first)) as { write_files: { path: string; content: string; encoding?: string }[] }).write_files;
    expect(wf.map((f) => f.path)).toEqual(files.map((f) => f.path));
    expect(wf.some((f) => f.encoding === "gz+b64")).toBe(pack);
    expect(renderUserData(input, [], { runcmd: [["true"]], pack })).toMatch(/^write_files: \[\]$/m);
  });

  it("the check can fail: text that is not the canonical stringification is told apart", () => {
    expect(canonical("a:   1\n")).not.toBe("a:   1\n");
    expect(canonical("write_files:\n- path: /x\n")).not.toBe("write_files:\n- path: /x\n");
  });
});
