/**
 * Fixtures of the bootstrap tests: the HA topology (3 control planes, 2 workers) with fixed join data,
 * and helpers that run a rendered script for real in a scratch root: a PATH made of symlinks to the
 * named host programs only (so kubeadm, kubectl or curl are absent unless the test adds them), optional
 * presence-only stubs that record any call and FAIL (exit 97, they never pretend to succeed), and, when
 * the tests run as root, the script run as nobody so that a write outside the scratch root would fail.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildModel } from "../../../generator/model/build.js";
import type { ClusterModel } from "../../../generator/model/types.js";
import type { NodeRenderInput } from "../../../generator/render/node-input.js";
import { topology } from "../../helpers/profiles.js";

export const JOIN = { token: "abcdef.0123456789abcdef", caCertHash: `sha256:${"ab".repeat(32)}` };

export function haModel(): ClusterModel {
  return buildModel(topology(3, 2));
}

/** init = cp-1, control-plane = cp-2, worker = worker-1 */
export function inputFor(model: ClusterModel, name: string): NodeRenderInput {
  const node = model.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no node ${name}`);
  return { model, node, join: JOIN };
}

/** Programs the script uses on the paths the tests exercise (no kubeadm, kubelet, kubectl, crictl, curl). */
export const BASE_TOOLS = ["bash", "date", "mkdir", "chmod", "mv", "sed", "tee", "grep", "sleep", "timeout", "touch", "install", "cat", "sync"];

export interface Scratch {
  dir: string;
  root: string;
  script: string;
  bin: string;
  /** file the stubs append their argv to (empty = no stub was called) */
  calls: string;
}

const which = (tool: string): string => {
  const r = spawnSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`host program ${tool} not found`);
  return r.stdout.trim();
};

/** A scratch directory: the script, an empty root, and a bin dir with `tools` linked and `stubs` failing. */
export function scratch(scriptText: string, tools: readonly string[], stubs: readonly string[] = []): Scratch {
  const dir = mkdtempSync(join(tmpdir(), "ks-boot-"));
  const root = join(dir, "root");
  const bin = join(dir, "bin");
  const calls = join(dir, "calls");
  mkdirSync(root);
  mkdirSync(bin);
  writeFileSync(calls, "");
  chmodSync(calls, 0o666);
  for (const t of tools) symlinkSync(which(t), join(bin, t));
  for (const s of stubs) writeFileSync(join(bin, s), `#!${which("bash")}\necho "${s} $*" >> ${calls}\nexit 97\n`, { mode: 0o755 });
  const script = join(dir, "kubeseed-bootstrap");
  writeFileSync(script, scriptText, { mode: 0o755 });
  chmodSync(dir, 0o755);
  chmodSync(root, 0o777);
  return { dir, root, script, bin, calls };
}

export interface Run {
  code: number | null;
  out: string;
}

const asNobody = typeof process.getuid === "function" && process.getuid() === 0 && existsSync("/usr/bin/setpriv");

/** The owner ("uid:gid") the script runs as: files it must chown to can only be its own. */
export function runnerOwner(): string {
  return asNobody ? "65534:65534" : `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
}

/** Gives everything under root to the user the script runs as (after a test prepared files there). */
export function handOver(root: string): void {
  if (!asNobody) return;
  chownSync(root, 65534, 65534);
  for (const rel of snapshot(root).map((row) => row.split(" ")[0])) chownSync(join(root, rel), 65534, 65534);
}

/** Runs the script (with `args`) with only the given environment (plus PATH=bin and KUBESEED_ROOT=root). */
export function runScript(s: Scratch, env: Record<string, string> = {}, args: string[] = []): Run {
  const script = [which("bash"), s.script, ...args];
  const argv = asNobody ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", ...script] : script;
  const r = spawnSync(argv[0], argv.slice(1), {
    encoding: "utf8",
    env: { PATH: s.bin, KUBESEED_ROOT: s.root, HOME: s.dir, LANG: "C", ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** key=value lines of a status file (default: kubeseed-bootstrap's). */
export function readStatus(root: string, file = "var/lib/kubeseed/status"): Record<string, string> {
  const text = readFileSync(join(root, file), "utf8");
  return Object.fromEntries(text.trimEnd().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

/** Every entry under dir with its type, mode, size, mtime and content: equal snapshots = nothing changed. */
export function snapshot(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d).sort().flatMap((name) => {
      const p = join(d, name);
      const st = lstatSync(p);
      const row = `${relative(dir, p)} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs}`;
      return st.isDirectory() ? [row, ...walk(p)] : [`${row} ${readFileSync(p, "base64")}`];
    });
  return walk(dir);
}

/** Relative paths of the files (not directories) under dir. */
export function filesUnder(dir: string): string[] {
  return snapshot(dir)
    .map((row) => row.split(" "))
    .filter((cols) => cols.length === 5)
    .map((cols) => cols[0]);
}
