/**
 * kubeseed-bootstrap run for real (bash, unprivileged when the suite runs as root) in a scratch root
 * (KUBESEED_ROOT), on the paths that need no real kubeadm: a missing program, the done-marker, an
 * unreachable endpoint, a bad timeout and an earlier kubeadm run that stopped midway. Presence-only
 * stubs fail when called (they never pretend to succeed) and record the call; these paths must never
 * call them. The real kubeadm paths are for the first-boot suite once kubeadm is built.
 */
import { createServer } from "node:net";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { copyFileSync, symlinkSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildModel } from "../../../generator/model/build.js";
import { EXIT_PERMANENT, KUBECTL_TIMEOUT } from "../../../generator/render/bootstrap/data.js";
import { renderBootstrapScript } from "../../../generator/render/bootstrap/script.js";
import { renderKubeadmConfig } from "../../../generator/render/kubeadm/index.js";
import { kubeBin } from "../../helpers/kube-bins.js";
import { topology } from "../../helpers/profiles.js";
import { BASE_TOOLS, filesUnder, handOver, haModel, inputFor, readStatus, runScript, scratch, snapshot } from "./support.js";

const model = haModel();
const KUBE = ["kubeadm", "kubelet", "kubectl", "containerd", "crictl"];
/** An exported bash function that replaces sleep: it advances bash's SECONDS instead of waiting. */
const VIRTUAL_SLEEP = { "BASH_FUNC_sleep%%": "() { SECONDS=$((SECONDS + $1)); }" };
const hostProgram = (p: string) => spawnSync("bash", ["-c", `type -P ${p}`], { encoding: "utf8" }).stdout.trim();
const KUBE_VERSION = "v1.34.10";
const NAMES = ["cp-1", "cp-2", "worker-1"];

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe("kubeseed-bootstrap, run in a scratch root", () => {
  it.each(NAMES)("%s: without kubeadm on PATH it fails, names kubeadm in the status and writes only inside the root", (name) => {
    const hostStateBefore = existsSync("/var/lib/kubeseed");
    const s = scratch(renderBootstrapScript(inputFor(model, name)), BASE_TOOLS);
    const r = runScript(s);
    expect(r.code, r.out).toBe(EXIT_PERMANENT);
    const status = readStatus(s.root);
    expect(status).toMatchObject({ state: "failed", step: "preflight", node: name, retry: "no" });
    expect(status.message).toMatch(/required program kubeadm not found/);
    expect(status.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.out).toMatch(/^\[preflight\] required program kubeadm not found/m);
    expect(filesUnder(s.root)).toEqual(["var/lib/kubeseed/status"]);
    expect(statSync(join(s.root, "var/lib/kubeseed")).mode & 0o777).toBe(0o700);
    expect(existsSync("/var/lib/kubeseed")).toBe(hostStateBefore);
  });

  it("names the program that is missing, not always kubeadm (kubectl on a control plane)", () => {
    const s = scratch(renderBootstrapScript(inputFor(model, "cp-2")), BASE_TOOLS, KUBE.filter((p) => p !== "kubectl"));
    const r = runScript(s);
    expect(r.code, r.out).toBe(EXIT_PERMANENT);
    expect(readStatus(s.root).message).toMatch(/required program kubectl not found/);
    expect(readFileSync(s.calls, "utf8")).toBe("");
  });

  it.each(NAMES)("%s: with the done-marker it exits 0 at once and changes nothing", (name) => {
    const s = scratch(renderBootstrapScript(inputFor(model, name)), BASE_TOOLS);
    mkdirSync(join(s.root, "var/lib/kubeseed"), { recursive: true, mode: 0o700 });
    writeFileSync(join(s.root, "var/lib/kubeseed/bootstrap.done"), "");
    writeFileSync(join(s.root, "var/lib/kubeseed/status"), "state=done\nstep=complete\nmessage=bootstrap complete\n");
    handOver(s.root);
    const before = snapshot(s.root);
    const r = runScript(s);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/already bootstrapped/);
    expect(snapshot(s.root)).toEqual(before);
  });

  it("without the done-marker the same run does write a status (the marker check can fail)", () => {
    const s = scratch(renderBootstrapScript(inputFor(model, "worker-1")), BASE_TOOLS);
    mkdirSync(join(s.root, "var/lib/kubeseed"), { recursive: true, mode: 0o700 });
    handOver(s.root);
    const before = snapshot(s.root);
    expect(runScript(s).code).toBe(EXIT_PERMANENT);
    expect(snapshot(s.root)).not.toEqual(before);
  });

  it("rejects a timeout that is not a whole number, naming the variable", () => {
    const s = scratch(renderBootstrapScript(inputFor(model, "worker-1")), BASE_TOOLS, KUBE);
    const r = runScript(s, { KUBESEED_WAIT_TIMEOUT: "5m" });
    expect(r.code, r.out).toBe(EXIT_PERMANENT);
    expect(readStatus(s.root)).toMatchObject({ message: "KUBESEED_WAIT_TIMEOUT=5m is not a whole number of seconds", retry: "no" });
  });

  it.each([
    ["cp-1", "var/lib/kubelet/config.yaml", "-n kube-system get daemonset kube-proxy"],
    ["cp-2", "etc/kubernetes/manifests/kube-apiserver.yaml", "get nodes -o name -l node-role.kubernetes.io/control-plane"],
    ["worker-1", "var/lib/kubelet/pki/kubelet-client-current.pem", undefined],
  ])("%s: a trace of an earlier kubeadm run (%s) that the cluster does not show finished is refused for good, kubeadm never called", (name, trace, asked) => {
    const s = scratch(renderBootstrapScript(inputFor(model, name)), BASE_TOOLS, KUBE);
    mkdirSync(join(s.root, trace, ".."), { recursive: true });
    writeFileSync(join(s.root, trace), "left by kubeadm\n");
    handOver(s.root);
    const r = runScript(s);
    expect(r.code, r.out).toBe(EXIT_PERMANENT);
    const status = readStatus(s.root);
    expect(status).toMatchObject({ state: "failed", step: "preflight", retry: "no" });
    expect(status.message).toContain(`earlier kubeadm run on this node stopped midway (it left /${trace}, and the cluster does not show it finished`);
    const calls = readFileSync(s.calls, "utf8");
    expect(calls).not.toMatch(/^kubeadm /m);
    // the cluster was asked (the stub fails, so the answer is "not finished"); a worker without kubelet.conf is not asked
    if (asked) expect(calls).toContain(asked);
    else expect(calls).toBe("");
  });
});

describe("kubeseed-bootstrap with the real kubeadm config validate", () => {
  const kubeadm = kubeBin(KUBE_VERSION, "kubeadm");
  const m134 = buildModel(topology(3, 2, {}, KUBE_VERSION));
  const needs = kubeadm ? "" : ` — SKIPPED: kubeadm ${KUBE_VERSION} is not built (bash scripts/kube-bins.sh)`;
  if (!kubeadm && process.env.CI) it("has kubeadm (CI builds it in scripts/setup-test-env.sh)", () => expect.fail(`kubeadm ${KUBE_VERSION} is not built`));

  /** a scratch root with the node's rendered kubeadm config (optionally spoilt) and the real kubeadm on PATH */
  function withConfig(name: string, spoil?: (text: string) => string, endpoint?: { host: string; port: number }) {
    const m = endpoint ? { ...m134, endpoint: { ...m134.endpoint, ...endpoint } } : m134;
    const input = { ...inputFor(m134, name), model: m };
    const s = scratch(renderBootstrapScript(input), BASE_TOOLS, KUBE.filter((p) => p !== "kubeadm"));
    // a copy: the script may run as nobody, who cannot reach the build cache under /root
    copyFileSync(kubeadm!, join(s.bin, "kubeadm"));
    mkdirSync(join(s.root, "etc/kubernetes/kubeadm"), { recursive: true });
    const config = renderKubeadmConfig(input);
    writeFileSync(join(s.root, "etc/kubernetes/kubeadm/config.yaml"), spoil ? spoil(config) : config);
    handOver(s.root);
    return s;
  }

  it.skipIf(!kubeadm).each(["cp-1", "worker-1"])(`%s: a config kubeadm refuses fails for good before any wait${needs}`, (name) => {
    const s = withConfig(name, (text) => text.replace("kind: ", "kind: Misspelt"));
    const r = runScript(s);
    expect(r.code, r.out).toBe(EXIT_PERMANENT);
    const status = readStatus(s.root);
    expect(status).toMatchObject({ state: "failed", step: "config", retry: "no" });
    expect(status.message).toMatch(/^kubeadm refuses \/etc\/kubernetes\/kubeadm\/config\.yaml/);
    expect(r.out).toMatch(/\[config\] .*Misspelt/);
    expect(readFileSync(s.calls, "utf8")).toBe("");
  });

  it.skipIf(!kubeadm).each([
    ["worker-1", "curl"],
    ["cp-2", "curl"],
    ["worker-1", "bash /dev/tcp"],
    ["worker-1", "a curl that takes 2 s to fail, as on a loaded machine"],
  ])(`%s: a valid config, then an unreachable endpoint is reported after the deadline and retried with backoff clipped to it (probe: %s), kubeadm init/join never run${needs}`, async (name, probe) => {
    const port = await closedPort();
    const s = withConfig(name, undefined, { host: "127.0.0.1", port });
    if (probe === "curl") symlinkSync(hostProgram("curl"), join(s.bin, "curl"));
    // the real sleep by absolute path: the stub's own `sleep` would be the virtual one
    if (probe.startsWith("a curl")) writeFileSync(join(s.bin, "curl"), `#!${hostProgram("bash")}\n${hostProgram("sleep")} 2\nexit 7\n`, { mode: 0o755 });
    // virtual time: `sleep N` advances bash's clock by N at once, so the backoff is the same on any machine
    const r = runScript(s, { KUBESEED_WAIT_TIMEOUT: "100", ...VIRTUAL_SLEEP });
    expect(r.code, r.out).toBe(1);
    const status = readStatus(s.root);
    expect(status).toMatchObject({ state: "failed", step: "endpoint", retry: "yes" });
    expect(status.message).toMatch(new RegExp(`^endpoint unreachable: 127\\.0\\.0\\.1:${port} \\(no answer within 100s\\)`));
    const delays = [...r.out.matchAll(/\[endpoint\] 127\.0\.0\.1:\d+: no answer yet, retrying in (\d+)s/g)].map((m) => Number(m[1]));
    // 5 s doubling (BACKOFF), then whatever is left of the 100 s: only the real time the probes took shortens it
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    for (const d of delays.slice(4)) expect(d).toBeGreaterThanOrEqual(1);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
    expect(readFileSync(s.calls, "utf8")).toBe("");
  });
});

describe("kubeseed-bootstrap's script text", () => {
  const texts = NAMES.map((n) => renderBootstrapScript(inputFor(model, n)));

  it("gives every kubectl call a request timeout", () => {
    for (const t of texts) {
      // every invocation names its kubeconfig first: kubectl --kubeconfig FILE --request-timeout=…
      const calls = t.match(/kubectl --kubeconfig "\$[A-Z_]+" [^ ]+/g) ?? [];
      expect(calls.length).toBeGreaterThan(0);
      // outside quoted texts (messages), no kubectl without them
      expect(t.replace(/"[^"\n]*"/g, '""').match(/kubectl (?!--kubeconfig)[a-z-]/g) ?? []).toEqual([]);
      for (const c of calls) expect(c).toMatch(new RegExp(`--request-timeout=${KUBECTL_TIMEOUT}$`));
    }
  });

  it("creates every marker through mark(), which syncs before going on", () => {
    for (const t of texts) {
      expect(t).toMatch(/^mark\(\) \{\n {2}touch "\$1"\n {2}sync\n\}/m);
      expect(t).not.toMatch(/touch "\$(KUBEADM_DONE|DONE_MARKER)"/);
      expect(t).toContain('mark "$KUBEADM_DONE"');
      expect(t).toContain('mark "$DONE_MARKER"');
    }
  });
});
