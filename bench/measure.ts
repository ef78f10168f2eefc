/**
 * Times one whole process as the operating system sees it: wall clock (measured here), user and
 * system CPU and peak resident memory (from GNU time, `/usr/bin/time -f`, i.e. the kernel's
 * getrusage of the child), the machine's load average when it started (the figures are only
 * comparable between runs at a similar load), and the steal while it ran: the share of the CPUs' time
 * the hypervisor gave to other guests (/proc/stat; a run under steal is slower, wall and CPU alike,
 * for reasons that are not in kubeseed). The `time` Debian package provides /usr/bin/time
 * (BENCH_TIME names another GNU time binary).
 * Guarantees: a run that exits non-zero throws with its stderr; nothing is retried or averaged here
 * (bench/run.ts repeats and keeps the best).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

export interface ProcessRun {
  wallMs: number;
  userMs: number;
  sysMs: number;
  /** user + sys */
  cpuMs: number;
  peakRssMB: number;
  /** 1-minute load average just before the run */
  load1: number;
  /** % of the CPUs' time stolen by the hypervisor during the run (0 where /proc/stat says none) */
  stealPct: number;
}

/** The machine's steal so far, in USER_HZ ticks (the 8th figure of /proc/stat's cpu line), or 0. */
function stealTicks(): number {
  try {
    return Number(readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/)[8]) || 0;
  } catch {
    return 0;
  }
}

const TIME = process.env.BENCH_TIME ?? "/usr/bin/time";

/** Throws a readable error when GNU time is missing (the benchmark needs it for CPU and memory). */
export function checkTimeTool(): void {
  if (!existsSync(TIME)) throw new Error(`${TIME} not found: install GNU time (Debian package "time") or set BENCH_TIME`);
}

/** Runs `cmd args` once in `cwd`; stdout and stderr are captured (returned for the caller to read). */
export function timeProcess(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): ProcessRun & { stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "kubeseed-bench-time-"));
  const report = join(dir, "rusage");
  try {
    const load1 = loadavg()[0];
    const steal0 = stealTicks();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(TIME, ["-f", "%U %S %M", "-o", report, "--", cmd, ...args], { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    // USER_HZ is 100 on Linux: a tick is 10 ms of one CPU
    const stealPct = Math.round((((stealTicks() - steal0) * 10) / (wallMs * cpus().length)) * 1000) / 10;
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(-4000)}`);
    // GNU time appends its line last (a "Command exited…" line may precede it)
    const [user, sys, rssKB] = readFileSync(report, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    const userMs = Math.round(user * 1000);
    const sysMs = Math.round(sys * 1000);
    return { wallMs: Math.round(wallMs), userMs, sysMs, cpuMs: userMs + sysMs, peakRssMB: Math.round(rssKB / 1024), load1, stealPct, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The best of several runs of one case: least wall and least CPU (each from its own run), most memory, least steal. */
export function best(runs: readonly ProcessRun[]): ProcessRun {
  return {
    wallMs: Math.min(...runs.map((r) => r.wallMs)),
    userMs: Math.min(...runs.map((r) => r.userMs)),
    sysMs: Math.min(...runs.map((r) => r.sysMs)),
    cpuMs: Math.min(...runs.map((r) => r.cpuMs)),
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    load1: Math.min(...runs.map((r) => r.load1)),
    stealPct: Math.min(...runs.map((r) => r.stealPct)),
  };
}
