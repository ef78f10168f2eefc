/**
 * External programs for the consumer suites, always time-bounded:
 * - run: a short command, synchronous, killed (SIGKILL) at its time limit;
 * - runAsync: the same without blocking the event loop (for clients of a server in this process);
 * - Daemons: long-running servers started in the background, logged to files, stopped by their own
 *   pid in afterAll, with a last-resort kill when the test process exits;
 * - freePorts / waitFor: distinct free loopback ports and a bounded poll.
 * Guarantees: never kills anything it did not start; a timed-out command reports status null.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";

export interface Ran {
  /** exit status; null when the program was killed (time limit or signal) */
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for assertions and failure messages */
  out: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Ran {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    input: opts.input,
    env: opts.env ?? process.env,
    timeout: opts.timeoutMs ?? 60_000,
    killSignal: "SIGKILL",
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`${cmd} is not installed`);
  const stdout = r.stdout ?? "";
  const stderr = r.stderr ?? "";
  return { status: r.status, stdout, stderr, out: `${stdout}${stderr}` };
}

export function runAsync(cmd: string, args: string[], opts: RunOptions = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ status: code, stdout, stderr, out: `${stdout}${stderr}` });
    });
    child.stdin.end(opts.input ?? "");
  });
}

interface Daemon {
  name: string;
  child: ChildProcess;
  log: string;
}

/** Background servers of one test file. */
export class Daemons {
  private readonly running: Daemon[] = [];
  private readonly onExit = () => {
    for (const d of this.running) if (d.child.exitCode === null && d.child.pid) d.child.kill("SIGKILL");
  };

  constructor() {
    process.once("exit", this.onExit);
  }

  /** Starts CMD with stdout and stderr appended to LOG. */
  start(name: string, cmd: string, args: string[], log: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
    const fd = openSync(log, "a");
    const child = spawn(cmd, args, { env, stdio: ["ignore", fd, fd] });
    closeSync(fd);
    child.once("error", () => undefined);
    this.running.push({ name, child, log });
    return child;
  }

  /** The names of daemons that have exited, with the tail of their logs. */
  exited(): string[] {
    return this.running.filter((d) => d.child.exitCode !== null || d.child.signalCode !== null).map((d) => `${d.name} exited (${d.child.exitCode ?? d.child.signalCode}):\n${tail(d.log)}`);
  }

  log(name: string): string {
    const d = this.running.find((x) => x.name === name);
    if (!d) throw new Error(`no daemon ${name}`);
    return readFileSync(d.log, "utf8");
  }

  /** SIGTERM each daemon, SIGKILL whatever is still alive after graceMs; resolves when all have exited. */
  async stopAll(graceMs = 5_000): Promise<void> {
    await Promise.all(this.running.map((d) => end(d, graceMs)));
    process.removeListener("exit", this.onExit);
  }

  /** Stops the daemon NAME the same way and forgets it, so that a daemon of that name can be started again. */
  async stop(name: string, graceMs = 5_000): Promise<void> {
    const i = this.running.findIndex((x) => x.name === name);
    if (i < 0) throw new Error(`no daemon ${name}`);
    await end(this.running[i], graceMs);
    this.running.splice(i, 1);
  }
}

/** SIGTERM, SIGKILL after graceMs; resolves once the daemon has exited. */
function end(d: Daemon, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (d.child.exitCode !== null || d.child.signalCode !== null) return resolve();
    const kill = setTimeout(() => d.child.kill("SIGKILL"), graceMs);
    d.child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    d.child.kill("SIGTERM");
  });
}

export function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** n distinct ports free on 127.0.0.1 (all held open together, then released): for daemons that must know
 * each other's ports before they start (etcd peers); the caller retries on "address already in use". */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = createServer();
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => resolve());
      });
      servers.push(s);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** Polls `probe` every intervalMs until it returns a value or timeoutMs passes; then throws with the last note. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, lastNote: () => string = () => "", intervalMs = 500): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what}: not reached within ${timeoutMs} ms\n${lastNote()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
