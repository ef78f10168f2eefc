/**
 * The rehearsal cluster as the e2e suites use it: scripts/cluster-up.sh run as a user runs it (a child
 * process, its output in a log file), then everything judged from outside the nodes — the operator's
 * kubectl (the cluster's own v1.34 build) with the generated kubeconfigs, `podman exec` into the node
 * containers for what only a node can show, etcdctl against the real etcd — never by editing a node.
 * Guarantees: `up` starts from nothing (cluster-down first) unless KUBESEED_E2E_REUSE=1 and the cluster
 * is already up; `down` removes everything unless KUBESEED_E2E_KEEP=1. Waits poll with an upper bound
 * only; nothing asserts how long anything took.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadModel, rehearsalPlan, type RehearsalPlan } from "../../scripts/rehearsal/plan.js";
import { containerName, registryName } from "../../scripts/rehearsal/nodes.js";
import { kubectlPath, operatorKubeconfig } from "../../scripts/rehearsal/up.js";
import { REPO_ROOT } from "../helpers/generate.js";

export interface Cluster {
  plan: RehearsalPlan;
  workdir: string;
  output: string;
  /** the operator's admin kubeconfig for this machine */
  admin: string;
  /** seconds cluster-up took, from its own report */
  upSeconds: number;
  /** its "boot to Ready … memory …" line */
  figures: string;
  log: string;
}

export interface Ran {
  status: number | null;
  out: string;
}

export function run(cmd: string, args: string[], timeoutMs = 60_000, input?: string): Ran {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL", input, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

const inCI = () => !!process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase());

/** Why the rehearsal cannot run on this machine (not root, no podman, no Go), or undefined. */
export function missingPrerequisite(): string | undefined {
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "the rehearsal cluster needs root (podman with privileged containers, bridges)";
  for (const p of ["podman", "go", "xorriso", "skopeo", "dnsmasq", "unshare"]) {
    if (spawnSync("bash", ["-c", `command -v ${p}`]).status !== 0) return `${p} is not installed (bash scripts/setup-test-env.sh installs it)`;
  }
  return undefined;
}

/** Skip reason for describe titles; under CI a missing prerequisite is a failure, not a skip. */
export function skipReason(): string | undefined {
  const why = missingPrerequisite();
  if (why && inCI()) throw new Error(`CI is set but ${why}`);
  return why;
}

export function clusterUp(profile: string, extra: string[] = []): Cluster {
  const model = loadModel(profile, REPO_ROOT);
  const plan = rehearsalPlan(model);
  const workdir = join("/var/tmp/kubeseed-rehearsal", `e2e-${plan.cluster}`);
  const logDir = join(REPO_ROOT, "test/e2e/.logs");
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, `${plan.cluster}-up.log`);
  const reuse = process.env.KUBESEED_E2E_REUSE === "1" && existsSync(join(workdir, "admin.conf"));
  if (!reuse) run(resolve(REPO_ROOT, "scripts/cluster-down.sh"), [plan.cluster, "--workdir", workdir], 300_000);
  const up = run(resolve(REPO_ROOT, "scripts/cluster-up.sh"), [profile, "--workdir", workdir, ...extra], 90 * 60_000);
  writeFileSync(log, up.out);
  if (up.status !== 0) throw new Error(`cluster-up ${profile} failed (exit ${up.status}); its output is in ${log}:\n${up.out.split("\n").slice(-60).join("\n")}`);
  const secs = /is up \(\d+ nodes Ready, (\d+) s\)/.exec(up.out);
  const figures = /boot to Ready: .*/.exec(up.out)?.[0] ?? "";
  return { plan, workdir, output: join(workdir, "output"), admin: join(workdir, "admin.conf"), upSeconds: secs ? Number(secs[1]) : NaN, figures, log };
}

/** Runs cluster-up again on the same work directory (boots held nodes, waits); its output. */
export function clusterUpAgain(c: Cluster, profile: string, extra: string[] = []): string {
  const up = run(resolve(REPO_ROOT, "scripts/cluster-up.sh"), [profile, "--workdir", c.workdir, ...extra], 60 * 60_000);
  writeFileSync(c.log.replace(/-up\.log$/, "-up-again.log"), up.out);
  if (up.status !== 0) throw new Error(`cluster-up ${profile} (again) failed (exit ${up.status}):\n${up.out.split("\n").slice(-60).join("\n")}`);
  return up.out;
}

export function clusterDown(c: Cluster | undefined): void {
  if (!c || process.env.KUBESEED_E2E_KEEP === "1") return;
  run(resolve(REPO_ROOT, "scripts/cluster-down.sh"), [c.plan.cluster, "--workdir", c.workdir], 300_000);
}

/** The operator's copy of a generated kubeconfig (e.g. kubeconfigs/users/developer.conf) for this machine. */
export function kubeconfigFor(c: Cluster, rel: string): string {
  return operatorKubeconfig(c.plan, c.output, c.workdir, rel);
}

export function kubectl(c: Cluster, args: string[], kubeconfig = c.admin, input?: string, timeoutMs = 60_000): Ran {
  return run(kubectlPath(c.plan), ["--kubeconfig", kubeconfig, "--request-timeout=30s", ...args], timeoutMs, input);
}

/** kubectl that must succeed: its stdout. */
export function kubectlOk(c: Cluster, args: string[], input?: string): string {
  const r = kubectl(c, args, c.admin, input);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${r.out}`);
  return r.out;
}

/** A command in a node container (sh -c). */
export function onNode(c: Cluster, node: string, command: string, timeoutMs = 60_000): Ran {
  return run("podman", ["exec", containerName(c.plan.cluster, node), "sh", "-c", command], timeoutMs);
}

/**
 * A file of a node's /etc/kubernetes/pki (REL relative to it) on this machine: the output tree's copy when
 * gen wrote it, else the node's own (kubeadm issued it there: pki.controlPlaneCertificates on-node),
 * copied into the work directory.
 */
export function nodePkiFile(c: Cluster, node: string, rel: string): string {
  const generated = join(c.output, "nodes", node, "files/etc/kubernetes/pki", rel);
  if (existsSync(generated)) return generated;
  const r = onNode(c, node, `cat /etc/kubernetes/pki/${rel}`);
  if (r.status !== 0) throw new Error(`${node}: cannot read /etc/kubernetes/pki/${rel}: ${r.out}`);
  const copy = join(c.workdir, "node-pki", node, rel.replaceAll("/", "_"));
  mkdirSync(join(copy, ".."), { recursive: true });
  writeFileSync(copy, r.out, { mode: 0o600 });
  return copy;
}

export const registryContainer = (c: Cluster) => registryName(c.plan.cluster);

/** Polls `probe` until it returns a value or `limitMs` passes (an upper bound only); throws with `what`. */
export async function eventually<T>(what: string, limitMs: number, probe: () => T | undefined, lastWords?: () => string): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(limitMs / 1000)} s${lastWords ? `\n${lastWords()}` : ""}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** key=value lines of a node's /var/lib/kubeseed/status. */
export function bootstrapStatus(c: Cluster, node: string): Record<string, string> {
  const text = onNode(c, node, "cat /var/lib/kubeseed/status").out;
  return Object.fromEntries(text.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

/** Ready status of every node, by name. */
export function nodeReadiness(c: Cluster): Map<string, string> {
  const r = kubectl(c, ["get", "nodes", "-o", 'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
  if (r.status !== 0) return new Map();
  return new Map(r.out.trim().split("\n").filter(Boolean).map((l) => l.split(" ") as [string, string]));
}

/** Peak of the containers' memory right now, in MiB (podman stats), for the report. */
export function memoryMiB(c: Cluster): Record<string, number> {
  const r = run("podman", ["stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}"], 60_000);
  const out: Record<string, number> = {};
  for (const line of r.out.trim().split("\n")) {
    const [name, used] = line.split(" ");
    if (!name?.startsWith(`ks-${c.plan.cluster}-`)) continue;
    const m = /^([\d.]+)([kMG]i?B)/.exec(used ?? "");
    if (m) out[name] = Math.round(Number(m[1]) * ({ kB: 1 / 1024, KiB: 1 / 1024, MB: 1, MiB: 1, GB: 1024, GiB: 1024 } as Record<string, number>)[m[2]]);
  }
  return out;
}

export const readText = (path: string) => readFileSync(path, "utf8");
