/**
 * Running programs for the rehearsal scripts: `must` runs one and returns its stdout or throws a
 * RehearsalError with the command and its output; `attempt` returns the status instead; `say` prints a
 * progress line on stderr. Paths of the cache and the repository, as the shell scripts use them.
 * Guarantees: every call has a time limit (SIGKILL); nothing runs through a shell unless the caller
 * asks for `bash -c`.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");
export const CACHE = process.env.KUBESEED_CACHE || join(process.env.HOME || "/root", ".cache/kubeseed");

/** A failure the user can act on: printed without a stack trace by the entry points. */
export class RehearsalError extends Error {}

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** let the program's stderr through to ours (long builds show their progress) */
  showStderr?: boolean;
}

export function attempt(cmd: string, args: string[], opts: RunOptions = {}): Result {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    input: opts.input,
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    timeout: opts.timeoutMs ?? 120_000,
    killSignal: "SIGKILL",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["pipe", "pipe", opts.showStderr ? "inherit" : "pipe"],
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") throw new RehearsalError(`${cmd} is not installed (see README "Rehearse a profile locally": prerequisites)`);
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

export function must(cmd: string, args: string[], opts: RunOptions = {}): string {
  const r = attempt(cmd, args, opts);
  if (r.status !== 0) {
    const why = r.status === null ? `was stopped after ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s` : `exited ${r.status}`;
    throw new RehearsalError(`${cmd} ${args.join(" ")} ${why}:\n${(r.stderr + r.stdout).trim().split("\n").slice(-25).join("\n")}`);
  }
  return r.stdout;
}

export function say(line: string, who = "cluster-up"): void {
  process.stderr.write(`${who}: ${line}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
