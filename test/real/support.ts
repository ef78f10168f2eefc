/**
 * Support for the real-consumer suites: one generated 3+2 cluster written to a temp dir, a free-port
 * finder, and a runner for external programs with a time limit.
 */
import { execFile, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import type { Generated } from "../../generator/bundle/generate.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { generate, writeToTemp } from "../helpers/generate.js";
import { topology } from "../helpers/profiles.js";

export interface Cluster {
  g: Generated;
  out: string;
  /** path of a node file: node("cp-1", "etc/kubernetes/pki/ca.crt") */
  node(name: string, path: string): string;
}

export async function makeCluster(extra: Partial<ProfileInput["spec"]> = {}): Promise<Cluster> {
  const g = await generate(topology(3, 2, { users: [{ name: "dev", groups: ["developers"] }], ...extra }));
  const out = writeToTemp(g, "ks-real-");
  return { g, out, node: (name, path) => `${out}/nodes/${name}/files/${path}` };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Ran {
  status: number | null;
  out: string;
}

/** Runs a program with a hard time limit; stdout and stderr are joined for assertions. */
export function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Ran {
  const r = spawnSync(cmd, args, { encoding: "utf8", input: opts.input, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 30_000 });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

/** Like run, but without blocking the event loop (for programs that talk to a server in this process). */
export function runAsync(cmd: string, args: string[], timeoutMs = 30_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: "utf8", timeout: timeoutMs }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ status, out: `${stdout ?? ""}${stderr ?? ""}` });
    });
  });
}
