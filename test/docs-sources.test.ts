/**
 * A reader of the repository alone can follow every reference: no file points at documents outside the
 * checkout (the user's seeds and reference notes live beside it, not in it), and every link into
 * docs/sources.md names an anchor that page has — a heading's GitHub-style anchor or an explicit
 * `<a id="…">` on a heading line. Links are found in every file, code comments and profiles included:
 * `docs/sources.md` relative to the repository, or `sources.md` relative to the linking file, plus the
 * page's links to itself (`](#…)`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "..");
const SOURCES = "docs/sources.md";
/** build output, run artifacts and git's own files (.gitignore'd), not files of the repository */
const SKIP = new Set(["node_modules", "dist", "output", ".git", "secrets", "bench/results", "test/e2e/.logs"]);
/** the outside paths, spelled so that this file does not contain them */
const OUTSIDE = [["..", "shared", ""].join("/"), ["", "work", "shared"].join("/")];
/** the reference notes cited by file and section without their folder ("pki.md" + " §5", "reference/" + "airgap.md") */
const OUTSIDE_NOTES = /\breference\/(?:pki|airgap|peers|cloud-init|ignition)\.md|\b(?:pki|airgap|peers|cloud-init|ignition)\.md §/;

function repoFiles(dir = repo): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (SKIP.has(relative(repo, path)) || SKIP.has(e.name)) return [];
    if (e.isDirectory()) return repoFiles(path);
    return e.isFile() && statSync(path).size < 4_000_000 ? [relative(repo, path)] : [];
  });
}

/** GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces → hyphens. */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/<[^>]*>/g, "") // inline HTML
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // links keep their text
    .replace(/[`*_~](?=[^\w]|$)|(?<=^|[^\w])[`*_~]/g, "") // emphasis and code marks
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "").replace(/\s/g, "-");
}

/** Every anchor of a Markdown text: heading slugs (with GitHub's -1, -2 for repeats) and ids on heading lines. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = githubSlug(m[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
    for (const id of m[1].matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id[1]);
  }
  return anchors;
}

/**
 * Every link into docs/sources.md in `text` (a file at repository path `file`), with its anchor; a path to a
 * `sources.md` that exists neither from the repository nor from the file is reported with anchor "" (never
 * an anchor), so a misspelt path fails too.
 */
function sourceLinks(file: string, text: string): { where: string; anchor: string }[] {
  const links: { where: string; anchor: string }[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/([\w./-]*sources\.md)#([^\s)`'",;:\]]*)/g)) {
      const target = m[1];
      const intoSources =
        relative(repo, resolve(repo, target)) === SOURCES || relative(repo, resolve(repo, dirname(file), target)) === SOURCES;
      const exists = [resolve(repo, target), resolve(repo, dirname(file), target)].some((p) => existsSync(p));
      if (intoSources || !exists) links.push({ where: `${file}:${i + 1} ${target}`, anchor: intoSources ? m[2].replace(/[.]+$/, "") : "" });
    }
    if (file === SOURCES) for (const m of line.matchAll(/\]\(#([^)\s]*)\)/g)) links.push({ where: `${file}:${i + 1}`, anchor: m[1] });
  });
  return links;
}

const files = repoFiles();
const texts = new Map(files.map((f) => [f, readFileSync(join(repo, f), "utf8")]));

describe("docs/sources.md", () => {
  it("no file of the repository points at documents outside it", () => {
    const outside = files.flatMap((f) =>
      texts
        .get(f)!
        .split("\n")
        .flatMap((line, i) => (OUTSIDE.some((o) => line.includes(o)) || OUTSIDE_NOTES.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(outside).toEqual([]);
  });

  it("every link into docs/sources.md names one of its anchors", () => {
    const anchors = anchorsOf(texts.get(SOURCES)!);
    const links = files.flatMap((f) => sourceLinks(f, texts.get(f)!));
    expect(links.length).toBeGreaterThan(20);
    expect(links.filter((l) => !anchors.has(l.anchor)).map((l) => `${l.where}: #${l.anchor}`)).toEqual([]);
  });

  it("has one section per seed document, anchored seed-000 … seed-004", () => {
    const anchors = anchorsOf(texts.get(SOURCES)!);
    for (const n of ["000", "001", "002", "003", "004"]) expect(anchors).toContain(`seed-${n}`);
  });

  it("computes anchors the way GitHub does", () => {
    expect(githubSlug("Seed 000 — Debian 12 node provisioning and firewall")).toBe("seed-000--debian-12-node-provisioning-and-firewall");
    expect(githubSlug("kubeadm's PKI file modes")).toBe("kubeadms-pki-file-modes");
    expect(githubSlug("kubeadm v1.29 admin.conf / super-admin.conf change")).toBe("kubeadm-v129-adminconf--super-adminconf-change");
    expect(githubSlug("Audit log ([seed 001](x.md#y)) — `spec.audit`")).toBe("audit-log-seed-001--specaudit");
    expect([...anchorsOf("# A\n## A\n```\n# not a heading\n```\n## <a id=\"x\"></a>B")]).toEqual(["a", "a-1", "b", "x"]);
  });
});
