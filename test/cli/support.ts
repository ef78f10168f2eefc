/**
 * Runs the real CLI (`node bin/gen.mjs`) in a scratch working directory holding copies of the
 * example profiles, and reads back the tree it wrote.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");
const BIN = join(REPO, "bin/gen.mjs");

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ks-cli-"));
  cpSync(join(REPO, "profiles"), join(dir, "profiles"), { recursive: true });
  return dir;
}

/** The scratch copy of profiles/prod.yaml with its control planes' certificates pre-issued (prod lets kubeadm issue them on the nodes). */
export function preIssuedProd(dir: string): void {
  const file = join(dir, "profiles/prod.yaml");
  const text = readFileSync(file, "utf8");
  if (!text.includes("controlPlaneCertificates: on-node")) throw new Error("profiles/prod.yaml no longer sets controlPlaneCertificates: on-node");
  writeFileSync(file, text.replace("controlPlaneCertificates: on-node", "controlPlaneCertificates: pre-issued"));
}

export function gen(cwd: string, ...args: string[]): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** path → contents of every file below root, sorted by path */
export function readTree(root: string, rel = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(rel, e.name);
    if (e.isDirectory()) for (const [k, v] of readTree(root, p)) out.set(k, v);
    else out.set(p, readFileSync(join(root, p), "utf8"));
  }
  return out;
}

export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}
