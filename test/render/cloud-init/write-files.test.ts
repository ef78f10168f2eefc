/**
 * write_files items are laid out without the yaml package where their content has one of two common
 * forms (render/cloud-init/write-files.ts): each must be exactly yaml's item. Compared for chosen
 * contents (some in the fast forms, some just outside them) and for generated ones (fast-check, a fixed
 * seed), in both renderings, with paths and owners yaml must quote.
 */
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastYamlItem, writeFileEntry, yamlItem } from "../../../generator/render/cloud-init/write-files.js";

const entry = (content: string, extra: Record<string, unknown> = {}) => ({ path: "/etc/kubeseed/file", owner: "root:root", permissions: "0644", ...extra, content });
const b64 = (text: string) => gzipSync(Buffer.from(text)).toString("base64");

const CHOSEN = [
  "a\nb\n",
  "line one\n\nline three — with a dash\n",
  "key: value\n- item\n  indented: yes\n# comment\n---\n...\n%directive\n|\n>\n",
  "trailing spaces  \nin the middle \nend\n",
  "tab\tinside\nand\ttabs\n",
  "   \nleading blank line\n",
  " leading space\n",
  "\nleading newline\n",
  "trailing blank line\n\n",
  "no newline at the end",
  "ends with a space \n",
  "single\n",
  "control \u0001 char\nx\n",
  "carriage\r\nreturn\n",
  "emoji 😀 pair\nx\n",
  "lone \ud800 surrogate\nx\n",
  "nbsp\u00a0start\n\u00a0x\n",
  "c1 \u0085 next line\nx\n",
  b64("a file that compresses\n".repeat(50)),
  "H4sI not base64 at all",
  "H4sI",
  "",
];

describe("write_files items laid out without yaml are yaml's", () => {
  it.each(CHOSEN.map((c) => [JSON.stringify(c).slice(0, 40), c]))("%s", (_name, content) => {
    for (const extra of [{}, { encoding: "gz+b64" }, { path: "/odd path: #x", owner: "1000:1000" }, { permissions: "0600", path: "/- dash" }]) {
      const e = entry(content, extra);
      expect(fastYamlItem(e)).toBe(yamlItem(e));
    }
  });

  it("generated contents, plain and packed entries", () => {
    const alphabet = fc.constantFrom("a", "Z", "0", " ", "  ", "\t", "\n", "\n\n", ":", ": ", "#", " #", "-", "- ", "|", ">", "'", '"', "—", "é", "\\", "{", "}", "[", "]", "---", "...", "%", "&", "*", "!", "?", "\u0007", "\u00a0");
    const text = fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.boolean(), (content, pack) => {
        const e = writeFileEntry({ path: "/etc/x", owner: "root:root", mode: 0o600, contents: content.repeat(pack ? 40 : 1) }, pack);
        expect(fastYamlItem(e)).toBe(yamlItem(e));
      }),
      { numRuns: 3000, seed: 1515 },
    );
  });

  it("the comparison can fail: another layout of the same content is told apart", () => {
    const e = entry("a\nb\n");
    expect(fastYamlItem(e)).toBe(yamlItem(e));
    expect(fastYamlItem(e)).not.toBe(yamlItem(entry("a\nb\n\n")));
    expect(yamlItem(e)).toMatch(/content: \|\n {6}a\n {6}b\n$/);
  });
});

describe("a large text that compresses well is packed as gzip level 6", () => {
  // a large text (an /etc/hosts of many nodes), compressible, over the packing threshold
  const hosts = (seed: string) => Array.from({ length: 800 }, (_, i) => `10.${seed}.${i >> 8}.${i & 255} node-${seed}-${i}\n`).join("");
  const file = (contents: string) => ({ path: "/etc/hosts", mode: 0o644, owner: "root:root", contents });

  it("gz+b64 of gzip's level 6 of the text, and the text as it is without packing", () => {
    const text = hosts("7");
    const packed = writeFileEntry(file(text), true);
    expect(packed.encoding).toBe("gz+b64");
    expect(packed.content).toBe(gzipSync(Buffer.from(text, "utf8"), { level: 6 }).toString("base64"));
    // level 6 is what tells it apart: the comparison above can fail
    expect(gzipSync(Buffer.from(text, "utf8"), { level: 1 }).toString("base64")).not.toBe(packed.content);
    expect(writeFileEntry(file(text), false)).toEqual({ path: "/etc/hosts", owner: "root:root", permissions: "0644", content: text });
  });
});
