/**
 * bundle/freshness.ts renderWindow: regenerating with the same profile and secrets at any clock
 * inside the window gives the bundle byte for byte; just past its end, something differs (the join
 * method, then a certificate's renewal): the window is neither too long nor needlessly short.
 */
import { describe, expect, it } from "vitest";
import { generateCluster, type Generated } from "../../generator/bundle/generate.js";
import { renderWindow } from "../../generator/bundle/freshness.js";
import { fixedClock, systemRandom } from "../../generator/core/clock.js";
import { artifactBytes } from "../../generator/bundle/artifact.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import type { SecretsBundle } from "../../generator/pki/secrets.js";
import { exampleProfile, TEST_CLOCK } from "../helpers/generate.js";

const profile = exampleProfile("dev");
const at = (ms: number, prior: SecretsBundle | undefined, before?: Generated) =>
  generateCluster(profile, prior, { clock: fixedClock(new Date(ms).toISOString()), random: systemRandom, keys: defaultKeyFactory }, before ? { previous: { files: before.hashes, changes: before.changes } } : {});
const bytes = (g: Generated) => new Map(g.bundle.artifacts.map((a) => [a.path, Buffer.from(artifactBytes(a)).toString("base64")]));

describe("renderWindow", () => {
  it("holds the output from the first run until the token may expire, then until the first renewal", async () => {
    const first = await at(TEST_CLOCK.now().getTime(), undefined);
    const w = renderWindow(first.issue.secrets, first.model);
    expect(w.from).toBeLessThanOrEqual(TEST_CLOCK.now().getTime());
    expect(w.until).toBeGreaterThan(TEST_CLOCK.now().getTime());
    const inside = await at(w.until - 1000, first.issue.secrets, first);
    expect(bytes(inside)).toEqual(bytes(first));
    const past = await at(w.until + 1000, first.issue.secrets, first);
    expect(past.model.join.method).toBe("credential");
    expect(bytes(past)).not.toEqual(bytes(first));

    const w2 = renderWindow(past.issue.secrets, past.model);
    expect(w2.until).toBeGreaterThan(w.until);
    const later = await at(w2.until - 1000, past.issue.secrets, past);
    expect(bytes(later)).toEqual(bytes(past));
    const renewing = await at(w2.until + 1000, past.issue.secrets, past);
    expect(renewing.issue.issued.length).toBeGreaterThan(0);
  });
});
