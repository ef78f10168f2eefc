/**
 * Property-based fuzzing (fast-check) of the profile stage and what follows it. Three generators:
 * arbitrary text, the valid fixture's text with random edits (characters of any kind inserted,
 * ranges deleted, lines repeated, swapped or re-indented), and the fixture's structure with a random
 * field replaced, deleted or added with a hostile value (control characters, shell and YAML
 * metacharacters, huge numbers, NaN, deep lists, names of system accounts…). Properties:
 * - loadProfile never throws, and every diagnostic has a code and a place inside its file;
 * - what the CLI would print is free of control characters and bounded in size;
 * - a profile it accepts builds a model and a plan, and generates (reusing one set of secrets), or
 *   fails with a UserError — never with anything else.
 * A fixed seed and a few hundred runs in the normal suite; `npm run fuzz` runs many more with a new
 * seed (FUZZ_RUNS, FUZZ_SEED) and prints the seed, so a failure can be replayed.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generateCluster } from "../../generator/bundle/generate.js";
import { renderDiagnostic, type Diagnostic } from "../../generator/core/diagnostics.js";
import { fixedClock, systemRandom } from "../../generator/core/clock.js";
import { UserError } from "../../generator/core/errors.js";
import { buildModel } from "../../generator/model/build.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import type { SecretsBundle } from "../../generator/pki/secrets.js";
import { planCluster } from "../../generator/plan/plan.js";
import { loadProfile, type ProfileInput } from "../../generator/profile/index.js";
import { mutatedDoc } from "./mutations.js";
import { VALID } from "./support.js";

const long = process.env.FUZZ_RUNS !== undefined;
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? (long ? Date.now() % 2 ** 31 : 20_251_201));
if (long) process.stderr.write(`fuzz: ${RUNS} runs per property, seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npm run fuzz)\n`);

const DEPS = { clock: fixedClock("2026-11-01T12:00:00Z"), random: systemRandom, keys: defaultKeyFactory };
const counts = { texts: 0, accepted: 0, generated: 0, userErrors: 0 };

const FIXTURE: unknown = (() => {
  const r = loadProfile([{ file: "valid.yaml", text: VALID }]);
  if (!r.profile) throw new Error("fixture does not load");
  return JSON.parse(JSON.stringify(r.profile));
})();

const structured = mutatedDoc(FIXTURE).map((doc) => {
  try {
    return stringify(doc);
  } catch {
    return stringify(FIXTURE);
  }
});

const edit = fc.oneof(
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ unit: "binary", maxLength: 8 }) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant("dupLine" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("swapLines" as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant("indent" as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function applyEdit(text: string, e: Edit): string {
  const lines = text.split("\n");
  const line = e.at % lines.length;
  switch (e.op) {
    case "insert": {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case "delete": {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + e.len);
    }
    case "dupLine":
      lines.splice(line, 0, lines[line]);
      return lines.join("\n");
    case "swapLines": {
      const to = e.to % lines.length;
      [lines[line], lines[to]] = [lines[to], lines[line]];
      return lines.join("\n");
    }
    case "indent":
      lines[line] = e.by >= 0 ? " ".repeat(e.by) + lines[line] : lines[line].replace(new RegExp(`^ {0,${-e.by}}`), "");
      return lines.join("\n");
  }
}
const edited = fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => edits.reduce(applyEdit, VALID));
const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 400 }), fc.string({ unit: "grapheme-ascii", maxLength: 400 }));

/** The guarantees every input must keep, whatever it is. */
function checkDiagnostics(text: string, diags: Diagnostic[]): void {
  const lines = text.split("\n").length;
  for (const d of diags) {
    expect(d.code).toMatch(/^[a-z][a-z.-]*$/);
    expect(d.loc, d.code).toBeDefined();
    expect(d.loc!.line).toBeGreaterThanOrEqual(1);
    expect(d.loc!.line).toBeLessThanOrEqual(lines + 1);
  }
  const out = diags.map(renderDiagnostic).join("\n\n");
  expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  expect(out.length).toBeLessThanOrEqual(2_000 * Math.max(1, diags.length));
}

describe("fuzzing the profile stage", () => {
  let secrets: SecretsBundle;
  beforeAll(async () => {
    secrets = (await generateCluster(FIXTURE as ProfileInput, undefined, DEPS)).issue.secrets;
  }, 120_000);

  const load = (text: string): ProfileInput | undefined => {
    counts.texts++;
    const { profile, diagnostics } = loadProfile([{ file: "fuzz.yaml", text }]);
    checkDiagnostics(text, diagnostics);
    if (profile) {
      counts.accepted++;
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    }
    return profile;
  };

  it("arbitrary text: never throws, every diagnostic located and printable", () => {
    fc.assert(fc.property(anyText, (text) => void load(text)), { seed: SEED, numRuns: RUNS });
  });

  it("the valid profile with random edits: the same, and an accepted profile builds a model and a plan", () => {
    fc.assert(
      fc.property(edited, (text) => {
        const p = load(text);
        if (p) planCluster(buildModel(p));
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it("the valid profile with a hostile value in a random field: an accepted profile generates or fails as a user error", async () => {
    await fc.assert(
      fc.asyncProperty(structured, async (text) => {
        const p = load(text);
        if (!p) return;
        try {
          await generateCluster(p, p.metadata.name === secrets.cluster ? secrets : undefined, DEPS);
          counts.generated++;
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          counts.userErrors++;
        }
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
    if (long) process.stderr.write(`fuzz: ${counts.texts} inputs, ${counts.accepted} accepted, ${counts.generated} generated, ${counts.userErrors} user errors in generation\n`);
  }, 1_800_000);
});
