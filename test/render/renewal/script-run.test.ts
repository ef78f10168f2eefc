/**
 * kubeseed-renew-certs run for real (bash, as nobody when the suite runs as root) in a scratch root
 * (KUBESEED_ROOT) holding a control plane's generated /etc/kubernetes, with the real openssl, date,
 * base64, flock and cp, and presence-only stubs for kubeadm, kubectl and crictl that record their call
 * and FAIL (they never pretend to succeed). Certificates are generated with an injected clock: now (a
 * year left) or 355 days ago (10 days left). Covered: nothing due (no call), due (backup, then exactly
 * `kubeadm certs renew all --config … --rootfs ROOT`; its failure is recorded with the backup's place),
 * the window from the environment, --force, a CA inside the window, the lock, a bad argument, a node
 * without certificates. The successful path with the real kubeadm and apiserver is
 * test/consumers/kubeadm/renewal.test.ts.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateCluster, type Generated } from "../../../generator/bundle/generate.js";
import { fixedClock, systemRandom } from "../../../generator/core/clock.js";
import { defaultKeyFactory } from "../../../generator/pki/keys.js";
import type { ProfileInput } from "../../../generator/profile/schema.js";
import { topology } from "../../helpers/profiles.js";
import { writeToTemp } from "../../helpers/generate.js";
import { handOver, readStatus, runScript, scratch, type Scratch } from "../bootstrap/support.js";

const DAY = 24 * 3600 * 1000;
const TOOLS = ["bash", "date", "mkdir", "chmod", "mv", "sed", "head", "base64", "openssl", "cat", "cp", "flock", "cmp", "install", "grep", "sleep", "timeout", "touch", "tee"];
const STUBS = ["kubeadm", "kubectl", "crictl", "systemctl"];
const STATUS = "var/lib/kubeseed/renewal";

async function generatedAt(daysAgo: number, profile: ProfileInput = topology(3, 1)): Promise<string> {
  const g: Generated = await generateCluster(profile, undefined, { clock: fixedClock(new Date(Date.now() - daysAgo * DAY).toISOString()), random: systemRandom, keys: defaultKeyFactory });
  return writeToTemp(g, "ks-renew-run-");
}

/** A scratch root with cp-1's /etc/kubernetes from OUT, and its renewal script. */
function node(out: string, name = "cp-1"): Scratch {
  const tree = join(out, "nodes", name, "files");
  const s = scratch(readFileSync(join(tree, "usr/local/sbin/kubeseed-renew-certs"), "utf8"), TOOLS, STUBS);
  cpSync(join(tree, "etc/kubernetes"), join(s.root, "etc/kubernetes"), { recursive: true });
  handOver(s.root);
  return s;
}

const calls = (s: Scratch) => readFileSync(s.calls, "utf8").trim().split("\n").filter(Boolean);

describe("kubeseed-renew-certs, run in a scratch root", () => {
  let fresh: string;
  let due: string;
  const holders: ReturnType<typeof spawn>[] = [];
  afterAll(() => holders.forEach((h) => h.kill()));

  it("nothing due: state ok, the next expiry named, no program called, nothing backed up", async () => {
    fresh = await generatedAt(0);
    const s = node(fresh);
    const r = runScript(s);
    expect(r.code, r.out).toBe(0);
    const status = readStatus(s.root, STATUS);
    expect(status).toMatchObject({ state: "ok", step: "check", node: "cp-1", role: "control-plane" });
    const next = new Date(Date.now() + 365 * DAY).toISOString().slice(0, 10);
    expect(status.message).toMatch(new RegExp(`^nothing expires within 30 days; the next expiry: \\S+ on (${next}|${new Date(Date.now() + 364 * DAY).toISOString().slice(0, 10)})$`));
    expect(calls(s)).toEqual([]);
    expect(existsSync(join(s.root, "var/lib/kubeseed/renewal-backup"))).toBe(false);
    expect(existsSync(join(s.root, "var/lib/kubeseed/renewal.log"))).toBe(false);
  });

  it("10 days left: every leaf and kubeconfig is due, the files are backed up, then kubeadm certs renew all runs on renew.yaml", async () => {
    due = await generatedAt(355);
    const s = node(due);
    const r = runScript(s);
    expect(r.code, r.out).toBe(1);
    for (const f of ["pki/apiserver.crt", "pki/etcd/peer.crt", "admin.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf"]) {
      expect(r.out).toMatch(new RegExp(`\\[check\\] ${f.replace(/\./g, "\\.")} expires on \\d{4}-\\d\\d-\\d\\d, within the renewal window`));
    }
    expect(r.out).not.toMatch(/CA certificate/);
    expect(calls(s)).toEqual([`kubeadm certs renew all --config /etc/kubernetes/kubeadm/renew.yaml --rootfs ${s.root}`]);
    const [backup] = readdirSync(join(s.root, "var/lib/kubeseed/renewal-backup"));
    const dir = join(s.root, "var/lib/kubeseed/renewal-backup", backup);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dir, "pki/ca.key"), "utf8")).toBe(readFileSync(join(due, "nodes/cp-1/files/etc/kubernetes/pki/ca.key"), "utf8"));
    expect(readdirSync(dir).sort()).toEqual(["admin.conf", "controller-manager.conf", "pki", "scheduler.conf", "super-admin.conf"]);
    const status = readStatus(s.root, STATUS);
    expect(status).toMatchObject({ state: "failed", step: "renew" });
    expect(status.message).toBe(`kubeadm certs renew all --config /etc/kubernetes/kubeadm/renew.yaml --rootfs ${s.root} failed with exit code 97; the files from before the run are in ${dir}`);
    expect(readFileSync(join(s.root, "var/lib/kubeseed/renewal.log"), "utf8")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ failed kubeadm certs renew all .* exit code 97;/);
  });

  it("the window comes from KUBESEED_RENEW_BEFORE, and a CA inside it is reported, never renewed", async () => {
    const out = await generatedAt(0, topology(1, 0, { pki: { caValidity: "9000h" } }));
    const s = node(out);
    const r = runScript(s, { KUBESEED_RENEW_BEFORE: String(400 * 86400) });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/checking the certificates and kubeconfigs of cp-1: renewing them when one expires within 400 days/);
    for (const ca of ["ca.crt", "etcd/ca.crt", "front-proxy-ca.crt"]) expect(r.out).toContain(`the CA certificate ${ca} expires on`);
    expect(calls(s)).toEqual([`kubeadm certs renew all --config /etc/kubernetes/kubeadm/renew.yaml --rootfs ${s.root}`]);
  });

  it("--force renews certificates that are not due", () => {
    const s = node(fresh);
    const r = runScript(s, {}, ["--force"]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/renewing now \(--force\)/);
    expect(calls(s)).toHaveLength(1);
  });

  it("exits 0 without a look when another run holds the lock", async () => {
    const s = node(due);
    mkdirSync(join(s.root, "var/lib/kubeseed"), { recursive: true, mode: 0o777 });
    const lock = join(s.root, "var/lib/kubeseed/renewal.lock");
    writeFileSync(lock, "", { mode: 0o666 });
    handOver(s.root);
    const holder = spawn("flock", [lock, "sleep", "60"], { stdio: ["ignore", "pipe", "ignore"] });
    holders.push(holder);
    // wait until the holder has the lock (an upper bound only)
    for (let i = 0; i < 300 && spawnSync("flock", ["-n", lock, "true"]).status === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const r = runScript(s);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`another kubeseed-renew-certs run holds ${lock}: nothing to do`);
    expect(calls(s)).toEqual([]);
    expect(existsSync(join(s.root, STATUS))).toBe(false);
  });

  it("rejects an unknown argument, and a node without certificates", () => {
    const s = node(fresh);
    const bad = runScript(s, {}, ["--now"]);
    expect(bad.code).toBe(1);
    expect(readStatus(s.root, STATUS).message).toBe("unknown argument --now (the only option is --force)");
    const empty = scratch(readFileSync(join(fresh, "nodes/cp-1/files/usr/local/sbin/kubeseed-renew-certs"), "utf8"), TOOLS, STUBS);
    const r = runScript(empty);
    expect(r.code).toBe(1);
    expect(readStatus(empty.root, STATUS).message).toMatch(/^no kubeadm certificate or kubeconfig found under \/etc\/kubernetes/);
    expect(calls(empty)).toEqual([]);
  });
});
