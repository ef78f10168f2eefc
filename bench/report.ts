/**
 * The benchmark's output: the raw result (saved as JSON by bench/run.ts), the table of every case, the
 * ratios issue 15 asks for (openssl script against gen, gen against the key-generation bound, growth
 * from 1,000 workers, `--format all` against the directory alone) and its targets, each marked ok or
 * over. With an earlier result (BENCH_COMPARE), each case also shows the earlier best figures.
 * Guarantees: prints to stdout only; pure apart from that. Wall figures move with the machine's load
 * (the load column says what it was); user+sys CPU is the steadier figure.
 */
import type { ProcessRun } from "./measure.js";

export interface BenchCase {
  name: string;
  alg: string;
  workers: number;
  runs: ProcessRun[];
  best: ProcessRun;
}

export interface BenchResult {
  format: "kubeseed.bench/v1";
  commit: string;
  dirty: boolean;
  date: string;
  node: string;
  openssl: string;
  cpus: number;
  loadavg: { start: number[]; end: number[] };
  settings: Record<string, unknown>;
  cases: BenchCase[];
}

const EC = "ecdsa-p256";
const RSA = "rsa-2048";

function find(r: BenchResult | undefined, name: string, alg: string, workers: number): ProcessRun | undefined {
  return r?.cases.find((c) => c.name === name && c.alg === alg && c.workers === workers)?.best;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const x = (n: number) => `${n.toFixed(2)}×`;
const pad = (v: string, n: number) => (v.length >= n ? v : " ".repeat(n - v.length) + v);

function table(r: BenchResult, before?: BenchResult): void {
  const head = ["case".padEnd(28), "algorithm".padEnd(10), pad("workers", 7), pad("runs", 4), pad("wall", 9), pad("user+sys", 9), pad("peak RSS", 9), pad("load", 5), pad("steal", 6)];
  if (before) head.push(pad("before: wall", 13), pad("user+sys", 9), pad("peak RSS", 9));
  console.log(head.join("  "));
  for (const c of r.cases) {
    const b = c.best;
    const row = [c.name.padEnd(28), c.alg.padEnd(10), pad(c.workers ? String(c.workers) : "", 7), pad(String(c.runs.length), 4), pad(s(b.wallMs), 9), pad(s(b.cpuMs), 9), pad(`${b.peakRssMB} MB`, 9), pad(b.load1.toFixed(1), 5), pad(`${b.stealPct.toFixed(0)} %`, 6)];
    const p = find(before, c.name, c.alg, c.workers);
    if (before) row.push(...(p ? [pad(s(p.wallMs), 13), pad(s(p.cpuMs), 9), pad(`${p.peakRssMB} MB`, 9)] : [pad("-", 13), pad("-", 9), pad("-", 9)]));
    console.log(row.join("  "));
  }
}

/** "A / B: wall ×, user+sys ×" for every size where both cases ran. */
function ratios(r: BenchResult): string[] {
  const lines: string[] = [];
  const sizes = (alg: string) => [...new Set(r.cases.filter((c) => c.alg === alg).map((c) => c.workers))];
  for (const alg of [EC, RSA]) {
    for (const w of sizes(alg)) {
      const first = find(r, "gen first run", alg, w);
      const openssl = find(r, "openssl script", alg, w);
      const bound = find(r, "key-generation bound", alg, w);
      const label = `${alg} 3 + ${w}`;
      if (first && openssl) lines.push(`${label}: openssl script / gen first run = ${x(openssl.wallMs / first.wallMs)} wall, ${x(openssl.cpuMs / first.cpuMs)} user+sys`);
      if (first && bound) lines.push(`${label}: gen first run / key-generation bound = ${x(first.wallMs / bound.wallMs)} wall, ${x(first.cpuMs / bound.cpuMs)} user+sys`);
      for (const kind of ["first run", "re-run"]) {
        const dir = find(r, `gen ${kind}`, alg, w);
        const all = find(r, `gen --format all, ${kind}`, alg, w);
        if (dir && all) lines.push(`${label}: --format all / directory only (${kind}) = ${x(all.wallMs / dir.wallMs)} wall, ${x(all.cpuMs / dir.cpuMs)} user+sys`);
      }
    }
  }
  const base = find(r, "gen first run", EC, 1000);
  for (const w of [5000, 10000]) {
    const big = find(r, "gen first run", EC, w);
    if (base && big) lines.push(`${EC} first run 3 + ${w} / 3 + 1000 = ${x(big.wallMs / base.wallMs)} wall, ${x(big.cpuMs / base.cpuMs)} user+sys (linear: ${w / 1000}×)`);
  }
  return lines;
}

interface Target {
  what: string;
  value: (r: BenchResult) => number | undefined;
  limit: number;
  unit: string;
}

const ratio = (a?: ProcessRun, b?: ProcessRun) => (a && b ? a.wallMs / b.wallMs : undefined);
const largestRsa = (r: BenchResult) => Math.max(0, ...r.cases.filter((c) => c.alg === RSA && c.name === "key-generation bound").map((c) => c.workers));

/** Issue 15's targets (2 cores), in its order. */
const TARGETS: Target[] = [
  { what: "first run 3 + 1,000 ECDSA, wall", value: (r) => find(r, "gen first run", EC, 1000)?.wallMs, limit: 3000, unit: "ms" },
  { what: "first run 3 + 1,000 ECDSA, peak RSS", value: (r) => find(r, "gen first run", EC, 1000)?.peakRssMB, limit: 250, unit: "MB" },
  { what: "re-run 3 + 1,000, wall", value: (r) => find(r, "gen re-run", EC, 1000)?.wallMs, limit: 1500, unit: "ms" },
  { what: "gen validate 3 + 1,000, wall", value: (r) => find(r, "gen validate", EC, 1000)?.wallMs, limit: 300, unit: "ms" },
  { what: "first run 3 + 5,000 / 3 + 1,000, wall", value: (r) => ratio(find(r, "gen first run", EC, 5000), find(r, "gen first run", EC, 1000)), limit: 5, unit: "×" },
  { what: "first run 3 + 10,000, peak RSS", value: (r) => find(r, "gen first run", EC, 10000)?.peakRssMB, limit: 1024, unit: "MB" },
  { what: "--format all / directory, 3 + 1,000 first run", value: (r) => ratio(find(r, "gen --format all, first run", EC, 1000), find(r, "gen first run", EC, 1000)), limit: 2, unit: "×" },
  { what: "RSA-2048 first run / key-generation bound", value: (r) => ratio(find(r, "gen first run", RSA, largestRsa(r)), find(r, "key-generation bound", RSA, largestRsa(r))), limit: 1.1, unit: "×" },
  { what: "gen --help, wall", value: (r) => find(r, "gen --help", "-", 0)?.wallMs, limit: 150, unit: "ms" },
];

const show = (v: number, unit: string) => (unit === "ms" ? s(v) : unit === "×" ? x(v) : `${v} ${unit}`);

export function printReport(r: BenchResult, before?: BenchResult): void {
  console.log(`\nkubeseed ${r.commit}${r.dirty ? " (uncommitted changes)" : ""}, node ${r.node}, ${r.openssl}, ${r.cpus} CPUs, ` + `load ${r.loadavg.start.map((l) => l.toFixed(1)).join(" ")} → ${r.loadavg.end.map((l) => l.toFixed(1)).join(" ")}`);
  if (before) console.log(`before: ${before.commit}${before.dirty ? " (uncommitted changes)" : ""} of ${before.date}`);
  console.log("best of the runs: least wall and least user+sys (each from its own run), most memory; load = 1-minute average at the start; steal = the CPUs' time the hypervisor gave to other guests (least of the runs)\n");
  table(r, before);
  console.log("");
  for (const l of ratios(r)) console.log(l);
  console.log("\ntargets (issue 15, 2 cores):");
  for (const t of TARGETS) {
    const v = t.value(r);
    const verdict = v === undefined ? "not measured" : v <= t.limit ? "ok" : "OVER";
    console.log(`  ${t.what.padEnd(50)} ${pad(v === undefined ? "-" : show(v, t.unit), 9)}  limit ${pad(show(t.limit, t.unit), 7)}  ${verdict}`);
  }
}
