/**
 * profile/fast-parse.ts against the yaml package: for every example and fixture profile, a large
 * generated one, and fuzzed edits of the prod example (YAML metacharacters inserted, ranges deleted,
 * lines repeated, swapped, re-indented), parse.ts gives the same result with and without the fast
 * reader — tree (values, offsets, raw texts, key order), line starts, identity, `extends`, diagnostics.
 * And the fast reader does read the examples (else it would save nothing).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { fastParse } from "../../generator/profile/fast-parse.js";
import type { LNode } from "../../generator/profile/merge.js";
import { MAX_DEPTH, parseText, type ParsedSource } from "../../generator/profile/parse.js";
import { topology } from "../helpers/profiles.js";
import { FIXTURES, REPO, VALID } from "./support.js";

const tree = (n: LNode | undefined): unknown =>
  n === undefined ? undefined : n.kind === "map" ? { pos: n.pos, entries: [...n.entries].map(([k, e]) => [k, e.keyPos, tree(e.node)]) } : n.kind === "seq" ? { pos: n.pos, items: n.items.map(tree) } : n;
const view = (p: ParsedSource) => ({ ...p, root: tree(p.root), lineCounter: p.lineCounter.lineStarts });

function same(text: string): boolean {
  const source = { file: "p.yaml", text };
  expect(view(parseText(source, 0, true))).toEqual(view(parseText(source, 0, false)));
  return fastParse(text, 0, { maxNodes: 100_000, maxDepth: MAX_DEPTH }) !== undefined;
}

const BASE = readFileSync(join(REPO, "profiles/prod.yaml"), "utf8");
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));

describe("fast-parse reads what yaml reads, or leaves it to yaml", () => {
  it("every example and fixture profile; the examples by the fast reader", () => {
    for (const f of yamlFiles(join(REPO, "profiles"))) expect(same(readFileSync(f, "utf8")), f).toBe(true);
    for (const f of yamlFiles(FIXTURES)) same(readFileSync(f, "utf8"));
    same(VALID);
  });

  it("a generated profile of 3 + 200 nodes, and scalars of every core-schema type", () => {
    expect(same(stringify(topology(3, 200)))).toBe(true);
    const scalars = ["~", "null", "Null", "NULL", "true", "False", "TRUE", "0o17", "017", "-12", "+3", "0x1F", "0X1F", ".inf", "-.Inf", ".nan", "1e3", "-1.5E-2", ".5", "1.", "1_000",
      "v1.31.4", "10.0.0.1", "a b  c", "x#y", "http://a:8/b", "-x", "'q'", '"d"', "''", '""', "'it''s'", '"a\\tb"', "yes", "on", "2026-01-01", "12:30", "a # c", "'x' # c"];
    for (const s of scalars) same(`apiVersion: kubeseed/v1\nkind: ClusterProfile\nk: ${s}\nlist:\n  - ${s}\n- ${s}\n`);
    for (const s of scalars) expect(same(`a: ${s}\nb:\n- ${s}\n- k: ${s}\n  j: 1\n`) || /^['"-]|\\|''/.test(s), s).toBe(true);
  });

  it("fuzzed edits of the prod example", () => {
    const meta = fc.constantFrom(..." -:#'\"\n\t{}[],&*!|>%@`?~.0123456789abc\\\u00e9\u2028\r");
    const edit = fc.oneof(
      fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ unit: meta, maxLength: 4 }) }),
      fc.record({ op: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ op: fc.constant("dup" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("swap" as const), at: fc.nat(), to: fc.nat() }),
      fc.record({ op: fc.constant("indent" as const), at: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }),
    );
    type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;
    const apply = (text: string, e: Edit): string => {
      const lines = text.split("\n");
      const l = e.at % lines.length;
      if (e.op === "insert" || e.op === "delete") {
        const at = e.at % (text.length + 1);
        return e.op === "insert" ? text.slice(0, at) + e.text + text.slice(at) : text.slice(0, at) + text.slice(at + e.len);
      }
      if (e.op === "dup") lines.splice(l, 0, lines[l]);
      else if (e.op === "swap") [lines[l], lines[e.to % lines.length]] = [lines[e.to % lines.length], lines[l]];
      else lines[l] = e.by >= 0 ? " ".repeat(e.by) + lines[l] : lines[l].replace(new RegExp(`^ {0,${-e.by}}`), "");
      return lines.join("\n");
    };
    let fast = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        if (same(edits.reduce(apply, BASE))) fast++;
      }),
      { numRuns: 600, seed: 20_261_202 },
    );
    expect(fast).toBeGreaterThan(100); // the comparison covered texts the fast reader took
  });
});
