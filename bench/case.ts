/**
 * One benchmark case in its own process (so peak memory is this case's alone):
 * `node --import tsx bench/case.ts ALGORITHM WORKERS` → one JSON line {alg, workers, certs, files, ms, peakRssMB}.
 * Generates 3 control planes + WORKERS workers with pre-issued kubelet certificates, from empty secrets.
 */
import { generateCluster } from "../generator/bundle/generate.js";
import { systemClock, systemRandom } from "../generator/core/clock.js";
import { defaultKeyFactory } from "../generator/pki/keys.js";
import type { KeyAlgorithm } from "../generator/profile/schema.js";
import { topology } from "../test/helpers/profiles.js";

const [alg, workersText] = process.argv.slice(2);
const workers = Number(workersText);
const profile = topology(3, workers, { pki: { keyAlgorithm: alg as KeyAlgorithm, workerKubelet: "pre-issued" } });
const t0 = performance.now();
const g = await generateCluster(profile, undefined, { clock: systemClock, random: systemRandom, keys: defaultKeyFactory });
const ms = performance.now() - t0;
const t1 = performance.now();
await generateCluster(profile, g.issue.secrets, { clock: systemClock, random: systemRandom, keys: defaultKeyFactory });
const rerunMs = performance.now() - t1;
console.log(
  JSON.stringify({
    alg,
    workers,
    certs: g.plan.certs.length,
    files: g.bundle.artifacts.length,
    ms: Math.round(ms),
    rerunMs: Math.round(rerunMs),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
