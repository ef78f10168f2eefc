/**
 * `npm run bench`: times what users run — the built CLI (`node bin/gen.mjs`, dist/) as a whole process —
 * and, in the same invocation, the baselines it is measured against. For 3 control planes + N workers
 * with pre-issued kubelet certificates:
 *   gen first run (new secrets, new output) · re-run (kept secrets, output replaced) · `gen validate`
 *   · `--format all` (first run and re-run) · the openssl-CLI script making the same certificates
 *   (bench/openssl-certs.sh) · the key-generation bound (bench/keygen-bound.mjs: the same keys on the
 *   same threads, nothing else) · `gen --help`.
 * Each figure is wall clock, user+sys CPU and peak RSS from the OS (bench/measure.ts), the best of
 * BENCH_RUNS runs; the table (bench/report.ts) prints ratios and the targets of issue 15, and the raw
 * figures go to a JSON file (bench/results/DATE-COMMIT.json, or BENCH_JSON) for comparison between
 * commits (BENCH_COMPARE=that file adds a "before" column).
 * Nothing is deleted between timed runs (each first run writes a new output directory; the scratch
 * folder goes at the end): on this ext4 without a journal, creating files within a minute or so after
 * tens of thousands were deleted costs several times the system CPU (the inode allocator skips
 * recently deleted inodes one by one, ext4 recently_deleted()), so a first run timed right after
 * removing the previous output measured that removal's after-effect more than gen. "re-run" is a run
 * with the same inputs on the output the last first run wrote: an up-to-date check since this branch.
 * Settings (environment): BENCH_WORKERS (ECDSA P-256 sizes, default 10,100,1000,5000,10000),
 * BENCH_RSA_WORKERS (RSA-2048 sizes, default 10,100: larger RSA runs take minutes, the openssl script
 * longer), BENCH_RUNS (repetitions of each timed case up to 1,000 workers, default 3; larger sizes
 * run once), BENCH_OPENSSL_MAX (largest size the openssl script runs for, default 1000; 0 = never),
 * BENCH_FORMAT_ALL (sizes to time `--format all` at, default 1000), BENCH_DIR (scratch folder).
 * Does not: assert anything (tests never time anything); it only reports.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFLATE_THREADS } from "../generator/io/deflate-threads.js";
import type { KeyAlgorithm } from "../generator/profile/schema.js";
import { writeBenchProfile, writeOpensslSpec } from "./cases.js";
import { best, checkTimeTool, timeProcess, type ProcessRun } from "./measure.js";
import { printReport, type BenchCase, type BenchResult } from "./report.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);
const gen = join(repo, "bin/gen.mjs");
const list = (v: string | undefined, d: string) => (v ?? d).split(",").filter(Boolean).map(Number);
const ecSizes = list(process.env.BENCH_WORKERS, "10,100,1000,5000,10000");
const rsaSizes = list(process.env.BENCH_RSA_WORKERS, "10,100");
const repeat = Number(process.env.BENCH_RUNS ?? 3);
const opensslMax = Number(process.env.BENCH_OPENSSL_MAX ?? 1000);
const formatAllAt = new Set(list(process.env.BENCH_FORMAT_ALL, "1000"));
const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), "kubeseed-bench-"));

const cases: BenchCase[] = [];
const note = (s: string) => process.stderr.write(s);

/** Times `cmd args` `times` times (run i with `args(i)` when a function, each after `before(i)`), records the case and returns its runs. */
function timed(name: string, alg: string, workers: number, times: number, cmd: string, args: string[] | ((i: number) => string[]), before: (i: number) => void = () => {}): ProcessRun[] {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < times; i++) {
    before(i);
    const { stdout: _o, stderr: _e, ...run } = timeProcess(cmd, typeof args === "function" ? args(i) : args, work);
    runs.push(run);
  }
  const b = best(runs);
  cases.push({ name, alg, workers, runs, best: b });
  note(`  ${name} ${alg} ${workers}: ${(b.wallMs / 1000).toFixed(2)} s wall, ${(b.cpuMs / 1000).toFixed(2)} s cpu, ${b.peakRssMB} MB (load ${loadavg()[0].toFixed(1)}, steal ${runs.map((r) => `${r.stealPct.toFixed(0)} %`).join(" ")})\n`);
  return runs;
}

function benchSize(alg: KeyAlgorithm, workers: number): void {
  const times = workers <= 1000 ? repeat : 1;
  const id = `${alg}-${workers}`;
  const profile = `${id}.yaml`;
  writeBenchProfile(join(work, profile), alg, workers);
  const out = join(work, "out", id);
  const secrets = join(work, "secrets", `${id}.yaml`);
  const clearSecrets = () => rmSync(secrets, { force: true });
  // each first run into a directory of its own, deleted only at the end (see the header); the re-run
  // uses the last one
  const genArgs = (o: string, extra: string[] = []) => [gen, "--profile", profile, "--out", o, "--secrets", secrets, ...extra];
  note(`${alg}, 3 + ${workers} workers\n`);
  timed("gen first run", alg, workers, times, process.execPath, (i) => genArgs(`${out}-${i}`), clearSecrets);
  timed("gen re-run", alg, workers, times, process.execPath, genArgs(`${out}-${times - 1}`));
  if (alg.startsWith("ecdsa")) timed("gen validate", alg, workers, times, process.execPath, [gen, "validate", "--profile", profile]);
  if (formatAllAt.has(workers)) {
    const all = join(work, "out", `${id}-all`);
    timed("gen --format all, first run", alg, workers, times, process.execPath, (i) => genArgs(`${all}-${i}`, ["--format", "all"]), clearSecrets);
    timed("gen --format all, re-run", alg, workers, times, process.execPath, genArgs(`${all}-${times - 1}`, ["--format", "all"]));
  }
  const spec = writeOpensslSpec(join(work, `${id}.tsv`), alg, workers);
  if (alg.startsWith("rsa") || workers <= 1000) {
    timed("key-generation bound", alg, workers, times, process.execPath, [join(here, "keygen-bound.mjs"), alg, String(spec.keys)]);
  }
  if (workers <= opensslMax) {
    const dir = join(work, "openssl", id);
    timed("openssl script", alg, workers, 1, "bash", [join(here, "openssl-certs.sh"), alg, join(work, `${id}.tsv`), dir, String(spec.validityDays)]);
  }
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

checkTimeTool();
execFileSync(process.execPath, [gen, "--version"]); // fails early when dist/ is not built
const startLoad = loadavg();
try {
  note(`gen --help\n`);
  timed("gen --help", "-", 0, 5, process.execPath, [gen, "--help"]);
  for (const w of ecSizes) benchSize("ecdsa-p256", w);
  for (const w of rsaSizes) benchSize("rsa-2048", w);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const commit = git(["rev-parse", "--short", "HEAD"]);
const result: BenchResult = {
  format: "kubeseed.bench/v1",
  commit,
  dirty: git(["status", "--porcelain", "--untracked-files=no"]) !== "",
  date: new Date().toISOString(),
  node: process.version,
  openssl: execFileSync("openssl", ["version"], { encoding: "utf8" }).trim(),
  cpus: cpus().length,
  loadavg: { start: startLoad, end: loadavg() },
  settings: { ecSizes, rsaSizes, repeat, opensslMax, formatAllAt: [...formatAllAt], threadpool: process.env.UV_THREADPOOL_SIZE ?? "4 (default)", deflateThreads: DEFLATE_THREADS },
  cases,
};
const before: BenchResult | undefined = process.env.BENCH_COMPARE ? JSON.parse(readFileSync(process.env.BENCH_COMPARE, "utf8")) : undefined;
printReport(result, before);
const file = process.env.BENCH_JSON ?? join(here, "results", `${result.date.slice(0, 19).replace(/[:T]/g, "-")}-${commit || "nogit"}${result.dirty ? "-dirty" : ""}.json`);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
console.log(`\nraw figures: ${file}`);
