/**
 * Generates an example profile (profiles/NAME.yaml) or an in-memory profile in memory, with a fixed
 * clock, and optionally writes the bundle to a fresh temp directory.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateCluster, type Generated } from "../../generator/bundle/generate.js";
import { fixedClock, systemRandom } from "../../generator/core/clock.js";
import { readProfileSources } from "../../generator/io/profile-files.js";
import { writeBundle } from "../../generator/io/write-dir.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import type { SecretsBundle } from "../../generator/pki/secrets.js";
import { loadProfile } from "../../generator/profile/index.js";
import type { ProfileInput } from "../../generator/profile/schema.js";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const TEST_CLOCK = fixedClock("2026-11-01T12:00:00Z");

export function exampleProfile(name: string): ProfileInput {
  const { profile, diagnostics } = loadProfile(readProfileSources(name, REPO_ROOT));
  if (!profile) throw new Error(`profiles/${name}.yaml does not load: ${JSON.stringify(diagnostics)}`);
  return profile;
}

/**
 * The profile with every control-plane certificate and kubeconfig issued by kubeseed
 * (pki.controlPlaneCertificates: pre-issued), for tests about those files: the prod example lets kubeadm
 * issue them on the nodes.
 */
export function preIssued(profile: ProfileInput): ProfileInput {
  return { ...profile, spec: { ...profile.spec, pki: { ...profile.spec.pki, controlPlaneCertificates: "pre-issued" } } };
}

export function generate(profile: ProfileInput, prior?: SecretsBundle): Promise<Generated> {
  return generateCluster(profile, prior, { clock: TEST_CLOCK, random: systemRandom, keys: defaultKeyFactory });
}

export function artifact(g: Generated, path: string): string {
  const a = g.bundle.artifacts.find((x) => x.path === path);
  if (!a) throw new Error(`no artifact ${path}`);
  return typeof a.contents === "string" ? a.contents : new TextDecoder().decode(a.contents);
}

/** Writes the bundle into a new temp directory and returns its path. */
export async function writeToTemp(g: Generated, prefix = "ks-out-"): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), prefix)), "out");
  await writeBundle(g.bundle, out, { force: false });
  return out;
}
