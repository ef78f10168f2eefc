/**
 * scripts/cluster-up.sh PROFILE [--workdir DIR] [--hold NODE]... [--timeout SECONDS]
 *
 * Rehearses a profile: generates it into the work directory (its own secrets file: never the
 * operator's), builds from source whatever its nodes will ask the air gap for, fills the registry
 * host with the generated mirror.sh (push, push-packages), boots every node as a container from the
 * files of its generated seed.iso and nothing else, and waits until every booted node's
 * kubeseed-bootstrap says done, every node is Ready and every kube-system pod runs, or the time is
 * up. Nobody touches a node: whatever happens on it is its cloud-init's and kubeseed-bootstrap's doing.
 * Run again with the same work directory to boot held nodes (`--hold` leaves a node off the first
 * run) or to wait again; scripts/cluster-down.sh removes everything it made. `--prepare` only builds
 * and caches what the air gap serves (CI's set-up does it, so the builds show as their own phase).
 * Exit: 0 up; 1 the cluster did not come up (the failing node's status and journal are printed);
 * 2 usage or a profile the rehearsal cannot run (every rule it breaks is printed).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { buildPrograms, debianPackages, kubernetesDebs, nodeImage, ociImages, readJson, registryImage } from "./build.js";
import { diskProblem } from "./disk.js";
import { hostSettings, setUpNetworks } from "./network.js";
import { bootstrapStatus, containerName, inNode, startNode, startRegistry } from "./nodes.js";
import { loadModel, rehearsalPlan, type RehearsalPlan } from "./plan.js";
import { attempt, CACHE, must, REPO, RehearsalError, say, sleep } from "./proc.js";

interface Args {
  profile: string;
  workdir?: string;
  hold: string[];
  timeoutSeconds: number;
  /** build and cache everything, start nothing */
  prepare: boolean;
}

const USAGE = "usage: scripts/cluster-up.sh PROFILE [--workdir DIR] [--hold NODE]... [--timeout SECONDS] [--prepare]";

function parseArgs(argv: string[]): Args {
  const a: Args = { profile: "", hold: [], timeoutSeconds: 1500, prepare: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new RehearsalError(`${v} needs a value\n${USAGE}`);
      return argv[++i];
    };
    if (v === "--workdir") a.workdir = next();
    else if (v === "--hold") a.hold.push(next());
    else if (v === "--timeout") a.timeoutSeconds = Number(next());
    else if (v === "--prepare") a.prepare = true;
    else if (v === "-h" || v === "--help") throw new RehearsalError(USAGE);
    else if (!v.startsWith("-") && !a.profile) a.profile = v;
    else throw new RehearsalError(`unknown argument ${v}\n${USAGE}`);
  }
  if (!a.profile) throw new RehearsalError(USAGE);
  if (!Number.isFinite(a.timeoutSeconds) || a.timeoutSeconds <= 0) throw new RehearsalError(`--timeout wants seconds\n${USAGE}`);
  return a;
}

/** The built kubectl of the cluster's version (scripts/kube-bins.sh). */
export const kubectlPath = (plan: RehearsalPlan) => join(CACHE, "kube-static", plan.model.kubernetes.version.full, "kubectl");

/** gen into WORKDIR/output with WORKDIR/secrets.yaml, seed ISOs included; kept when already there. */
function generate(profile: string, workdir: string): string {
  const out = join(workdir, "output");
  if (existsSync(join(out, ".kubeseed-output"))) return out;
  say(`gen --profile ${profile} --out ${out} --format iso`);
  must(process.execPath, [join(REPO, "scripts/rehearsal/gen.mjs"), "--profile", profile, "--out", out, "--secrets", join(workdir, "secrets.yaml"), "--format", "iso"], { timeoutMs: 600_000, showStderr: true });
  return out;
}

/** The package tree the registry host serves: the nodes' Debian packages and the Kubernetes debs, indexed. */
function packageTree(plan: RehearsalPlan, output: string, workdir: string): void {
  const mirror = join(output, "registry/mirror.sh");
  const debian = debianPackages(plan, mirror);
  const k8s = kubernetesDebs(plan);
  const dir = join(workdir, "packages");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "debs"), { recursive: true });
  for (const from of [join(debian, "debs"), k8s]) for (const f of readdirSync(from).filter((x) => x.endsWith(".deb"))) copyFileSync(join(from, f), join(dir, "debs", f));
  must("bash", [mirror, "index-packages", dir], { timeoutMs: 600_000 });
  must("bash", [mirror, "push-packages", dir, join(workdir, "srv")], { timeoutMs: 600_000 });
}

/** mirror.sh push of the OCI layout, with registry.local resolved to the registry host for this run only. */
function pushImages(plan: RehearsalPlan, output: string, layout: string, workdir: string): void {
  say(`mirror.sh push: ${plan.images.length} images into ${plan.model.registry.repository}`);
  withRegistryName(plan, workdir, ["bash", join(output, "registry/mirror.sh"), "push", layout], { ALLOW_UNSIGNED: "1" });
}

/**
 * Runs a command of this machine that talks to the registry by its name (mirror.sh, skopeo): in a
 * mount namespace of its own where /etc/hosts maps the registry's name to its address, so that
 * nothing of the machine's own /etc/hosts changes.
 */
export function withRegistryName(plan: RehearsalPlan, workdir: string, argv: string[], env: Record<string, string> = {}): string {
  const r = plan.model.registry;
  const hosts = join(workdir, "push-hosts");
  writeFileSync(hosts, `127.0.0.1 localhost\n${r.address} ${r.host}\n`);
  return must("unshare", ["-m", "sh", "-c", `mount --bind "$1" /etc/hosts && shift && exec "$@"`, "sh", hosts, ...argv], {
    env: { ...process.env, ...env },
    timeoutMs: 30 * 60_000,
  });
}

async function waitForRegistry(plan: RehearsalPlan, output: string, deadline: number): Promise<void> {
  const r = plan.model.registry;
  const url = `${r.url}/v2/`;
  const port = String(r.port);
  for (;;) {
    const args = ["-s", "-o", "/dev/null", "--max-time", "5", "--resolve", `${r.host}:${port}:${r.address}`];
    if (r.tls === "ca") args.push("--cacert", join(output, "registry/ca.crt"));
    if (attempt("curl", [...args, url]).status === 0) return;
    if (Date.now() > deadline) throw new RehearsalError(`the registry host did not answer ${url} at ${r.address}`);
    await sleep(1000);
  }
}

/** The seed of each node: the files of its generated seed.iso, extracted with xorriso. */
function extractSeeds(plan: RehearsalPlan, output: string, workdir: string): void {
  for (const n of plan.nodes) {
    const dir = join(workdir, "seeds", n.name);
    if (existsSync(join(dir, "user-data"))) continue;
    mkdirSync(dir, { recursive: true });
    must("xorriso", ["-osirrox", "on", "-indev", join(output, "nodes", n.name, "seed.iso"), "-extract", "/", dir]);
  }
}

/**
 * The operator's kubeconfig for this machine: the generated admin.conf, pointed at the address the
 * nodes' /etc/hosts gives the endpoint's name, with that name kept for TLS (tls-server-name).
 */
export function operatorKubeconfig(plan: RehearsalPlan, output: string, workdir: string, source = "kubeconfigs/admin.conf"): string {
  const e = plan.model.endpoint;
  const init = plan.nodes.find((n) => n.init)!;
  const hostsFile = readFileSync(join(output, "nodes", init.name, "files/etc/hosts"), "utf8");
  const line = hostsFile.split("\n").find((l) => l.split(/\s+/).slice(1).includes(e.host));
  const address = line ? line.split(/\s+/)[0] : e.host;
  const k = parse(readFileSync(join(output, source), "utf8"));
  for (const c of k.clusters) {
    c.cluster.server = `https://${address}:${e.port}`;
    if (address !== e.host) c.cluster["tls-server-name"] = e.host;
  }
  const path = join(workdir, source.split("/").pop()!);
  writeFileSync(path, stringify(k), { mode: 0o600 });
  return path;
}

/** Memory in use on this machine (MemTotal − MemAvailable), in MiB; `peak` keeps the largest seen. */
const memory = {
  peak: 0,
  sample(): number {
    const info = readFileSync("/proc/meminfo", "utf8");
    const kib = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(info)?.[1] ?? 0);
    const used = Math.round((kib("MemTotal") - kib("MemAvailable")) / 1024);
    memory.peak = Math.max(memory.peak, used);
    return used;
  },
};

async function waitForBootstraps(plan: RehearsalPlan, nodes: string[], deadline: number): Promise<void> {
  const last = new Map<string, string>();
  const pending = new Set(nodes);
  while (pending.size) {
    for (const node of [...pending]) {
      const s = bootstrapStatus(containerName(plan.cluster, node));
      const shown = s.state ? `${s.state} ${s.step ?? ""}: ${s.message ?? ""}` : "booting (no bootstrap status yet)";
      if (last.get(node) !== shown) {
        say(`${node}: ${shown}`);
        last.set(node, shown);
      }
      if (s.state === "done") pending.delete(node);
      if (s.state === "failed" && s.retry === "no") throw new RehearsalError(nodeReport(plan, node, "its bootstrap failed for good"));
    }
    memory.sample();
    if (!pending.size) return;
    if (Date.now() > deadline) throw new RehearsalError([...pending].map((n) => nodeReport(plan, n, "its bootstrap did not finish in time")).join("\n\n"));
    await sleep(3000);
  }
}

function nodeReport(plan: RehearsalPlan, node: string, what: string): string {
  const name = containerName(plan.cluster, node);
  const status = inNode(name, "cat /var/lib/kubeseed/status") ?? "(no status file)";
  const cloud = inNode(name, "cloud-init status --long 2>&1 | tail -n 5") ?? "";
  const journal = inNode(name, "journalctl -u kubeseed-bootstrap --no-pager -n 30 2>&1") ?? "";
  return `${node}: ${what}\n--- /var/lib/kubeseed/status\n${status}\n--- cloud-init status\n${cloud}\n--- journalctl -u kubeseed-bootstrap (last 30 lines)\n${journal}`;
}

function kubectl(plan: RehearsalPlan, kubeconfig: string, args: string[]): { ok: boolean; out: string } {
  const r = attempt(kubectlPath(plan), ["--kubeconfig", kubeconfig, "--request-timeout=10s", ...args], { timeoutMs: 30_000 });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

/** Every node Ready, every kube-system and kube-flannel pod Running and ready. */
async function waitForCluster(plan: RehearsalPlan, kubeconfig: string, booted: string[], deadline: number): Promise<void> {
  let why = "";
  for (;;) {
    memory.sample();
    const nodes = kubectl(plan, kubeconfig, ["get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"]);
    const pods = kubectl(plan, kubeconfig, ["get", "pods", "-A", "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.status.phase} {.status.containerStatuses[*].ready}{\"\\n\"}{end}"]);
    if (nodes.ok && pods.ok) {
      const ready = new Map(nodes.out.trim().split("\n").filter(Boolean).map((l) => l.split(" ") as [string, string]));
      const notReady = booted.filter((n) => ready.get(n) !== "True");
      const badPods = pods.out.trim().split("\n").filter((l) => l && !/ Running (true ?)+$/.test(l) && !/ Succeeded /.test(l));
      why = [notReady.length ? `not Ready: ${notReady.join(", ")}` : "", badPods.length ? `pods not running: ${badPods.join("; ")}` : ""].filter(Boolean).join(" — ");
      if (!why) return;
    } else why = (nodes.ok ? pods.out : nodes.out).trim().split("\n").pop() ?? "";
    if (Date.now() > deadline) throw new RehearsalError(`the cluster did not settle in time: ${why}`);
    await sleep(5000);
  }
}

export async function clusterUp(argv: string[], cwd: string): Promise<number> {
  const args = parseArgs(argv);
  const started = Date.now();
  const deadline = started + args.timeoutSeconds * 1000;
  const model = loadModel(args.profile, cwd);
  const plan = rehearsalPlan(model);
  if (plan.problems.length) {
    process.stderr.write(`cluster-up: ${args.profile} cannot be rehearsed here:\n${plan.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 2;
  }
  for (const h of args.hold) if (!plan.nodes.some((n) => n.name === h)) throw new RehearsalError(`--hold ${h}: the profile has no node ${h}`);
  const workdir = resolve(cwd, args.workdir ?? join("/var/tmp/kubeseed-rehearsal", plan.cluster));
  mkdirSync(workdir, { recursive: true, mode: 0o700 });
  const profilePath = isAbsolute(args.profile) || /[\\/]|\.ya?ml$/i.test(args.profile) ? resolve(cwd, args.profile) : args.profile;
  const output = generate(profilePath, workdir);

  say("building what the air gap serves (cached after the first run)");
  buildPrograms(plan);
  const layout = ociImages(plan);
  packageTree(plan, output, workdir);
  const node = nodeImage();
  const regImage = registryImage();
  if (args.prepare) {
    process.stdout.write(`prepared ${plan.cluster}: programs, images, packages and the node image are built (${Math.round((Date.now() - started) / 1000)} s)\n`);
    return 0;
  }

  const booting = plan.nodes.filter((n) => !args.hold.includes(n.name)).length;
  const store = must("podman", ["info", "--format", "{{.Store.GraphRoot}}"]).trim();
  const fs = statfsSync(store);
  const tooFull = diskProblem({ path: store, available: fs.bavail * fs.bsize, total: fs.blocks * fs.bsize }, booting);
  if (tooFull) throw new RehearsalError(tooFull);

  const nets = setUpNetworks(plan.cluster, model, plan.taken, workdir);
  const previous = existsSync(join(workdir, "rehearsal.json")) ? readJson<{ hostSettings?: Record<string, string> }>(join(workdir, "rehearsal.json")).hostSettings : undefined;
  const settings = { ...hostSettings(cpus().length), ...previous };
  startRegistry(plan.cluster, model, nets, regImage, output, workdir);
  await waitForRegistry(plan, output, Date.now() + 60_000);
  pushImages(plan, output, layout, workdir);
  extractSeeds(plan, output, workdir);

  const booted = plan.nodes.map((n) => n.name).filter((n) => !args.hold.includes(n));
  const before = memory.sample();
  const bootStarted = Date.now();
  for (const n of booted) {
    say(`boot ${n} (${containerName(plan.cluster, n)})`);
    startNode(plan.cluster, n, model, nets, node, workdir);
  }
  writeFileSync(join(workdir, "rehearsal.json"), JSON.stringify({ cluster: plan.cluster, profile: profilePath, nodes: plan.nodes, booted, networks: nets, hostSettings: settings }, null, 2));
  const kubeconfig = operatorKubeconfig(plan, output, workdir);
  await waitForBootstraps(plan, booted, deadline);
  // dedicated etcd members (role etcd) are no Kubernetes nodes: their bootstrap's done is their whole part
  const kubeNodes = booted.filter((n) => plan.nodes.find((x) => x.name === n)!.role !== "etcd");
  await waitForCluster(plan, kubeconfig, kubeNodes, deadline);
  const secs = Math.round((Date.now() - started) / 1000);
  const bootSecs = Math.round((Date.now() - bootStarted) / 1000);
  process.stdout.write(
    [
      `cluster ${plan.cluster} is up (${kubeNodes.length} nodes Ready, ${secs} s)${kubeNodes.length < booted.length ? `; ${booted.length - kubeNodes.length} etcd members` : ""}${args.hold.length ? `; held back: ${args.hold.join(", ")}` : ""}`,
      `  boot to Ready: ${bootSecs} s; memory in use on this machine: ${before} MiB before the nodes, peak ${memory.peak} MiB`,
      `  kubeconfig:  ${kubeconfig}`,
      `  kubectl:     ${kubectlPath(plan)} --kubeconfig ${kubeconfig} get nodes`,
      `  a node:      podman exec -it ${containerName(plan.cluster, booted[0])} bash   (journalctl -u kubeseed-bootstrap, cat /var/lib/kubeseed/status)`,
      `  output:      ${output}`,
      `  remove:      scripts/cluster-down.sh ${plan.cluster} --workdir ${workdir}`,
      "",
    ].join("\n"),
  );
  return 0;
}

/** Entry point: errors the user can act on are printed without a stack. */
export async function main(fn: (argv: string[], cwd: string) => Promise<number>, argv: string[]): Promise<void> {
  try {
    process.exitCode = await fn(argv, process.cwd());
  } catch (e) {
    if (e instanceof RehearsalError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = e.message.startsWith("usage:") || e.message.includes(USAGE) ? 2 : 1;
    } else throw e;
  }
}

