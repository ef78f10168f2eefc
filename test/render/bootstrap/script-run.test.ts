/**
 * kubeseed-bootstrap run for real (bash, unprivileged when the suite runs as root) in a scratch root
 * (KUBESEED_ROOT), on the paths that need no real kubeadm: a missing program, the done-marker, an
 * unreachable endpoint, a bad timeout and an earlier kubeadm run that stopped midway. Presence-only
 * stubs fail when called (they never pretend to succeed) and record the call; these paths must never
 * call them. The real kubeadm paths are for the first-boot suite once kubeadm is built.
 */
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBootstrapScript } from "../../../generator/render/bootstrap/script.js";
import { BASE_TOOLS, filesUnder, handOver, haModel, inputFor, readStatus, runScript, scratch, snapshot } from "./support.js";

const model = haModel();
/** An exported bash function that replaces sleep: it advances bash's SECONDS instead of waiting. */
const VIRTUAL_SLEEP = { "BASH_FUNC_sleep%%": "() { SECONDS=$((SECONDS + $1)); }" };
const hostProgram = (p: string) => spawnSync("bash", ["-c", `type -P ${p}`], { encoding: "utf8" }).stdout.trim();
/** the real programs, by absolute path (a stub's `sleep` would be the virtual one) */
const BASH = hostProgram("bash");
const SLEEP = hostProgram("sleep");
const KUBE = ["kubeadm", "kubelet", "kubectl", "containerd", "crictl"];
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

function unreachableScript(name: string, port: number): string {
  const m = { ...model, endpoint: { ...model.endpoint, host: "127.0.0.1", port } };
  return renderBootstrapScript({ ...inputFor(model, name), model: m });
}

describe("kubeseed-bootstrap, run in a scratch root", () => {
  it.each(NAMES)("%s: without kubeadm on PATH it fails, names kubeadm in the status and writes only inside the root", (name) => {
    const hostStateBefore = existsSync("/var/lib/kubeseed");
    const s = scratch(renderBootstrapScript(inputFor(model, name)), BASE_TOOLS);
    const r = runScript(s);
    expect(r.code, r.out).toBe(1);
    const status = readStatus(s.root);
    expect(status).toMatchObject({ state: "failed", step: "preflight", node: name });
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
    expect(r.code, r.out).toBe(1);
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
    expect(runScript(s).code).toBe(1);
    expect(snapshot(s.root)).not.toEqual(before);
  });

  it.each([
    ["worker-1", "curl"],
    ["cp-2", "curl"],
    ["worker-1", "bash /dev/tcp"],
    ["worker-1", "a curl that takes 2 s to fail, as on a loaded machine"],
  ])("%s: an unreachable endpoint is reported after the deadline (probe: %s), with backoff clipped to it, kubeadm never called", async (name, probe) => {
    const port = await closedPort();
    const tools = probe === "curl" ? [...BASE_TOOLS, "curl"] : BASE_TOOLS;
    const s = scratch(unreachableScript(name, port), tools, KUBE);
    if (probe.startsWith("a curl")) writeFileSync(join(s.bin, "curl"), `#!${BASH}\n${SLEEP} 2\nexit 7\n`, { mode: 0o755 });
    // virtual time: `sleep N` advances bash's clock by N at once, so the backoff is the same on any machine
    const r = runScript(s, { KUBESEED_WAIT_TIMEOUT: "100", ...VIRTUAL_SLEEP });
    expect(r.code, r.out).toBe(1);
    const status = readStatus(s.root);
    expect(status).toMatchObject({ state: "failed", step: "endpoint" });
    expect(status.message).toMatch(new RegExp(`^endpoint unreachable: 127\\.0\\.0\\.1:${port} \\(no answer within 100s\\)`));
    const delays = [...r.out.matchAll(/\[endpoint\] 127\.0\.0\.1:\d+: no answer yet, retrying in (\d+)s/g)].map((m) => Number(m[1]));
    // 5 s doubling (BACKOFF), then whatever is left of the 100 s: only the real time the probes took shortens it
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    for (const d of delays.slice(4)) expect(d).toBeGreaterThanOrEqual(1);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
    expect(readFileSync(s.calls, "utf8")).toBe("");
  });

  it("rejects a timeout that is not a whole number, naming the variable", () => {
    const s = scratch(renderBootstrapScript(inputFor(model, "worker-1")), BASE_TOOLS, KUBE);
    const r = runScript(s, { KUBESEED_WAIT_TIMEOUT: "5m" });
    expect(r.code, r.out).toBe(1);
    expect(readStatus(s.root).message).toBe("KUBESEED_WAIT_TIMEOUT=5m is not a whole number of seconds");
  });

  it("refuses to re-run kubeadm after an earlier run stopped midway, and never calls kubeadm (no reset)", () => {
    const s = scratch(renderBootstrapScript(inputFor(model, "cp-1")), BASE_TOOLS, KUBE);
    mkdirSync(join(s.root, "var/lib/kubelet"), { recursive: true });
    writeFileSync(join(s.root, "var/lib/kubelet/config.yaml"), "kind: KubeletConfiguration\n");
    handOver(s.root);
    const r = runScript(s);
    expect(r.code, r.out).toBe(1);
    const status = readStatus(s.root);
    expect(status).toMatchObject({ state: "failed", step: "preflight" });
    expect(status.message).toMatch(/earlier kubeadm run on this node stopped midway .*var\/lib\/kubelet\/config\.yaml/);
    expect(readFileSync(s.calls, "utf8")).toBe("");
  });
});
