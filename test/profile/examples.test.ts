/**
 * Every example profile in profiles/ (each *.yaml: the README's and the guides' starting points) loads
 * without an error and renders whole — model, plan, certificates, every node's first-boot document
 * within its cloud's budget — with the locks that lie next to it, as `gen` would read them.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCluster } from "../../generator/bundle/generate.js";
import { hasErrors } from "../../generator/core/diagnostics.js";
import { systemRandom } from "../../generator/core/clock.js";
import { readFilesLock } from "../../generator/io/files-lock.js";
import { readImageLock } from "../../generator/io/image-lock.js";
import { readProfileSources } from "../../generator/io/profile-files.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import { loadProfile } from "../../generator/profile/index.js";
import { REPO_ROOT, TEST_CLOCK } from "../helpers/generate.js";

const EXAMPLES = readdirSync(join(REPO_ROOT, "profiles")).filter((f) => f.endsWith(".yaml")).sort();

describe("the example profiles", () => {
  it("are the ones the README and the guides name", () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(["aws.yaml", "bare-metal.yaml", "coreos.yaml", "dev.yaml", "hetzner.yaml", "prod-airgap.yaml", "prod.yaml"]));
  });

  it.each(EXAMPLES)("profiles/%s loads without an error and renders every node within its cloud's budget", async (name) => {
    const sources = readProfileSources(join("profiles", name), REPO_ROOT);
    const { profile, diagnostics } = loadProfile(sources);
    expect(hasErrors(diagnostics), JSON.stringify(diagnostics)).toBe(false);
    const file = sources[0].file;
    const g = await generateCluster(profile!, undefined, { clock: TEST_CLOCK, random: systemRandom, keys: defaultKeyFactory }, { filesLock: readFilesLock(file, REPO_ROOT), imageLock: readImageLock(file, REPO_ROOT).lock });
    expect(g.sizes).toHaveLength(profile!.spec.nodes.length);
    expect(g.sizes.every((s) => s.fits)).toBe(true);
  });
});
