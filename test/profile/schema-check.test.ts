/**
 * The CLI's quick check of a profile (profile/schema-check.ts over the committed JSON Schema) against
 * zod, the schema it stands for: on every example and fixture profile and on fuzzed ones, it passes
 * exactly what zod passes and gives exactly zod's data (key order included); the syntax rules that
 * the JSON Schema now carries as patterns say what the length predicates they replaced said.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readProfileJsonSchema } from "../../generator/io/profile-schema.js";
import { schemaChecker } from "../../generator/profile/schema-check.js";
import { profileSchema } from "../../generator/profile/schema.js";
import { DNS_LABEL_LENGTHS, QUALIFIED_NAME, QUALIFIED_NAME_LENGTHS, RFC1123_SUBDOMAIN } from "../../generator/profile/syntax.js";
import { mutatedDoc } from "./mutations.js";
import { FIXTURES, REPO, VALID } from "./support.js";

const quick = schemaChecker(readProfileJsonSchema())!;
const byZod = (doc: unknown) => {
  const r = profileSchema.safeParse(doc);
  return r.success ? r.data : undefined;
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".yaml"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
const PROFILES = [...yamlFiles(join(REPO, "profiles")), ...yamlFiles(FIXTURES)];

describe("the quick check of a profile", () => {
  it("compiles the committed JSON Schema, and declines a keyword it does not know", () => {
    expect(quick).toBeDefined();
    expect(schemaChecker({ type: "string", format: "hostname" })).toBeUndefined();
    expect(schemaChecker({ type: "object", properties: { a: { type: "string" } }, additionalProperties: false, if: {} })).toBeUndefined();
  });

  it("passes what zod passes and gives zod's data, on every example and fixture profile", () => {
    let passed = 0;
    for (const file of PROFILES) {
      let doc: unknown;
      try {
        doc = parse(readFileSync(file, "utf8"));
      } catch {
        continue; // not YAML: the parser's to report, before any check of the structure
      }
      const data = quick(doc);
      expect(JSON.stringify(data), file).toBe(JSON.stringify(byZod(doc)));
      if (data !== undefined) passed++;
    }
    // the examples and the valid fixture pass (those with extends: are partial and fail both)
    expect(passed).toBeGreaterThanOrEqual(8);
    expect(PROFILES.length - passed).toBeGreaterThanOrEqual(10);
  });

  it("passes what zod passes and gives zod's data, on fuzzed profiles", () => {
    const base: unknown = parse(VALID);
    const counts = { passed: 0, failed: 0 };
    fc.assert(
      fc.property(mutatedDoc(base), (doc) => {
        const data = quick(doc);
        expect(JSON.stringify(data)).toBe(JSON.stringify(byZod(doc)));
        counts[data === undefined ? "failed" : "passed"]++;
      }),
      { seed: 20_261_203, numRuns: 1500 },
    );
    expect(counts.passed).toBeGreaterThan(100);
    expect(counts.failed).toBeGreaterThan(100);
  });

  it("passes what zod passes at the edges of every field: lengths, ranges, integers, types", () => {
    const base = parse(VALID) as Record<string, unknown>;
    const edges = ["", "a", "a".repeat(63), "a".repeat(64), "a".repeat(253), "a".repeat(254), `${"a".repeat(63)}.b`, `${"a".repeat(64)}.b`, "example.com/a", `${"a".repeat(64)}/b`,
      0, -1, 1, 1.5, 999, 1000, 60000, 60001, 4094, 4095, 65535, 65536, 255, 256, 2 ** 53, 2 ** 53 - 1, -0, NaN, Infinity, true, null, [], {}, ["a"]];
    let compared = 0;
    const visit = (v: unknown, at: (string | number)[]): void => {
      if (at.length > 0) {
        for (const edge of edges) {
          const doc = structuredClone(base);
          let parent = doc as Record<string | number, unknown>;
          for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
          parent[at[at.length - 1]] = edge;
          expect(JSON.stringify(quick(doc)), `${at.join(".")} = ${JSON.stringify(edge)}`).toBe(JSON.stringify(byZod(doc)));
          compared++;
        }
      }
      if (typeof v === "object" && v !== null && !Array.isArray(v)) {
        // a key beside the others: unknown to a strict object, a name a record (labels) checks
        for (const key of ["a", "Bad Key", "-a", "a/b/c", "example.com/a", "a".repeat(64), `${"a".repeat(254)}/b`]) {
          const doc = structuredClone(base);
          let parent = doc as Record<string | number, unknown>;
          for (const k of at) parent = parent[k] as Record<string | number, unknown>;
          parent[key] = typeof Object.values(v)[0] === "string" ? "value" : Object.values(v)[0];
          expect(JSON.stringify(quick(doc)), `${at.join(".")} + ${key}`).toBe(JSON.stringify(byZod(doc)));
          compared++;
        }
      }
      if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) visit(x, [...at, Array.isArray(v) ? Number(k) : k]);
    };
    visit(base, []);
    expect(compared).toBeGreaterThan(1000);
  });

  it("keeps zod's key order for objects and the profile's own for labels", () => {
    const doc = parse(VALID) as { spec: Record<string, unknown> };
    const reordered = { ...doc, spec: Object.fromEntries(Object.entries(doc.spec).reverse()) };
    expect(Object.keys((quick(reordered) as typeof doc).spec)).toEqual(Object.keys(byZod(reordered)!.spec));
    expect(Object.keys((quick(reordered) as typeof doc).spec)).not.toEqual(Object.keys(reordered.spec));
  });
});

/** The rules the patterns replace, written the long way. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAME_63 = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const dnsSubdomain = (s: string) => s.length <= 253 && s.split(".").every((l) => DNS_LABEL.test(l));
function qualifiedName(s: string): boolean {
  const parts = s.split("/");
  if (parts.length > 2) return false;
  return NAME_63.test(parts[parts.length - 1]) && (parts.length === 1 || (parts[0] !== "" && dnsSubdomain(parts[0])));
}

describe("the length rules as patterns", () => {
  const label = fc.oneof(fc.constantFrom("a", "x".repeat(63), "y".repeat(64), "a-b", "-a", "A", "a_b", ""), fc.stringMatching(/^[a-z0-9-]{1,70}$/));
  const dns = fc.array(label, { minLength: 1, maxLength: 6 }).map((ls) => ls.join("."));
  const qualified = fc.oneof(dns, fc.tuple(dns, label).map(([p, n]) => `${p}/${n}`), fc.tuple(dns, dns, label).map(([a, b, n]) => `${a}/${b}/${n}`));

  it("a DNS name: RFC 1123 characters, labels of at most 63, 253 in all", () => {
    fc.assert(
      fc.property(dns, (s) => {
        expect(s.length <= 253 && RFC1123_SUBDOMAIN.test(s) && DNS_LABEL_LENGTHS.test(s)).toBe(dnsSubdomain(s));
      }),
      { seed: 1, numRuns: 3000 },
    );
    expect(DNS_LABEL_LENGTHS.test(`a.${"b".repeat(64)}.c`)).toBe(false);
    expect(DNS_LABEL_LENGTHS.test(`a.${"b".repeat(63)}\n${"c".repeat(64)}`)).toBe(false);
  });

  it("a qualified name: [DNS subdomain /] name of at most 63", () => {
    fc.assert(
      fc.property(qualified, (s) => {
        expect(s.length >= 1 && s.length <= 317 && QUALIFIED_NAME.test(s) && QUALIFIED_NAME_LENGTHS.test(s)).toBe(qualifiedName(s));
      }),
      { seed: 2, numRuns: 3000 },
    );
    expect(QUALIFIED_NAME_LENGTHS.test(`${"a.".repeat(126)}ab/name`)).toBe(false);
    expect(QUALIFIED_NAME_LENGTHS.test(`${"a.".repeat(125)}ab/name`)).toBe(true);
  });
});
