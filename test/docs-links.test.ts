/**
 * The README and docs/ link only to files that exist (every relative Markdown link, anchors aside), and
 * the README stays near its size budget (about 12 KB: the user's path, not the reference).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "..");
const documents = ["README.md", ...readdirSync(join(repo, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

function relativeLinks(text: string): string[] {
  const links: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1].split("#")[0];
    if (target && !/^[a-z]+:/.test(target)) links.push(target);
  }
  return links;
}

describe("documentation links", () => {
  it.each(documents)("%s links only to files of the repository", (doc) => {
    const missing = relativeLinks(readFileSync(join(repo, doc), "utf8")).filter((l) => !existsSync(join(repo, dirname(doc), l)));
    expect(missing).toEqual([]);
  });

  it("the README stays within about 12 KB", () => {
    expect(statSync(join(repo, "README.md")).size).toBeLessThanOrEqual(12_800);
  });
});
