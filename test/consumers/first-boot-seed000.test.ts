/**
 * Seed 000's host details on a real first boot, judged on the running node: a Debian 12 container with
 * systemd and the real cloud-init 22.4.2 (scripts/node-image.sh, plus nano installed the way Debian's
 * images have it, with its `editor` alternative) boots the dev profile's control plane in airgap mode
 * with upgrade on, vim as the editor, seed 000's firewall and a password hash. Its only package source
 * is the flat repository the generated mirror.sh builds (save-packages against Debian's archive on this
 * machine, ONLY="vim") and serves from the registry address in a network namespace, as in
 * packages.test.ts. Kubernetes itself cannot be installed here (preinstalled: the bootstrap reports
 * the missing kubeadm, which is not judged here).
 * On the node: cloud-init finished without an error; apt-get update and cloud-init's upgrade ran
 * against the flat repository; vim was installed with --no-install-recommends, nano is purged and
 * vim.basic is the editor; sshd listens on 0.0.0.0:22 and accepts LANG and LC_*; the admin's password
 * is the profile's hash; seed 000's table is loaded.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Generated } from "../../generator/bundle/generate.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { exampleProfile, generate, REPO_ROOT, writeToTemp } from "../helpers/generate.js";
import { Daemons, run, waitFor } from "./support/proc.js";

const NS = `ksboot${process.pid % 100000}`;
const NODE = `ksboot-node-${process.pid}`;
const NANO_IMAGE = `localhost/kubeseed-test/debian12-nano:${process.pid}`;
const HASH = "$6$rounds=4096$kubeseed$mq9hP5W5tR2vrn6yKUd8Gsm6D9ni1BHnKNCj0xU6yWfTLTq3xW8UgbS7tFXfSj7y.L7v.5kX8Q2F8NzB6k4Vw.";
const daemons = new Daemons();
let work: string;
let g: Generated;

const inNs = (cmd: string, args: string[], timeoutMs = 60_000) => run("ip", ["netns", "exec", NS, cmd, ...args], { timeoutMs });
const onNode = (cmd: string, timeoutMs = 60_000) => run("podman", ["exec", NODE, "sh", "-c", cmd], { timeoutMs });

function profile(): ProfileInput {
  const p = exampleProfile("dev");
  return {
    ...p,
    spec: {
      ...p.spec,
      admin: { ...p.spec.admin, passwordHash: HASH },
      host: { kubernetesPackages: "preinstalled", firewall: "nftables", upgrade: true, editor: "vim" },
      registry: { mode: "airgap", address: "192.168.1.5", tls: "insecure" },
    },
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "ks-seed000-"));
  g = await generate(profile());
  const out = await writeToTemp(g);
  const image = run("bash", [resolve(REPO_ROOT, "scripts/node-image.sh")], { timeoutMs: 900_000 });
  if (image.status !== 0) throw new Error(image.out);
  // the flat repository: vim (and what it needs beyond minbase) from Debian's archive
  const packages = join(work, "packages");
  const saved = run("bash", [join(out, "registry/mirror.sh"), "save-packages", packages], { env: { ...process.env, ONLY: "vim" }, timeoutMs: 900_000 });
  if (saved.status !== 0) throw new Error(`save-packages: ${saved.out}`);
  const served = join(work, "srv");
  mkdirSync(served);
  const pushed = run("bash", [join(out, "registry/mirror.sh"), "push-packages", packages, served], { timeoutMs: 120_000 });
  if (pushed.status !== 0) throw new Error(`push-packages: ${pushed.out}`);
  // nano as Debian's images have it (apt-get download on this machine, dpkg -i in the image)
  const debs = join(work, "nano");
  mkdirSync(debs);
  const dl = run("sh", ["-c", `cd ${debs} && apt-get download nano`], { timeoutMs: 120_000 });
  if (dl.status !== 0) throw new Error(`apt-get download nano: ${dl.out}`);
  const nano = readdirSync(debs).find((f) => f.startsWith("nano_"))!;
  const build = `ksnano-${process.pid}`;
  const installed = run("podman", ["run", "--name", build, "--network", "none", "-v", `${debs}:/debs:ro`, image.stdout.trim(), "dpkg", "-i", `/debs/${nano}`], { timeoutMs: 120_000 });
  if (installed.status !== 0) throw new Error(`dpkg -i nano: ${installed.out}`);
  expect(run("podman", ["commit", build, NANO_IMAGE], { timeoutMs: 120_000 }).status).toBe(0);
  run("podman", ["rm", "-f", build]);
  // the registry host's address on a namespace of its own, serving the repository
  expect(run("ip", ["netns", "add", NS]).status).toBe(0);
  expect(inNs("sh", ["-c", `ip link set lo up && ip addr add ${g.model.registry.address}/32 dev lo`]).status).toBe(0);
  daemons.start("http", "ip", ["netns", "exec", NS, "python3", "-m", "http.server", "--bind", g.model.registry.address!, "--directory", served, String(g.model.registry.packages.port)], join(work, "http.log"));
  await waitFor("file server", () => (inNs("curl", ["-sf", "-o", "/dev/null", `http://${g.model.registry.address}:8080/debs/Release`], 5_000).status === 0 ? true : undefined), 30_000, () => daemons.exited().join("\n"));
  const seed = join(work, "seed");
  cpSync(join(out, "nodes/kube-node-1/cloud-init"), seed, { recursive: true });
  const started = run("podman", ["run", "-d", "--name", NODE, "--network", `ns:/run/netns/${NS}`, "--cap-add", "SYS_ADMIN,NET_ADMIN", "--no-hosts", "-v", `${seed}:/var/lib/cloud/seed/nocloud:ro`, NANO_IMAGE, "/sbin/init"], { timeoutMs: 120_000 });
  if (started.status !== 0) throw new Error(started.out);
  await waitFor("cloud-init on the node", () => (onNode("test -f /var/lib/cloud/instance/boot-finished", 10_000).status === 0 ? true : undefined), 600_000, () => onNode("cloud-init status --long", 10_000).out);
}, 1_800_000);

afterAll(async () => {
  run("podman", ["rm", "-f", "-t", "0", NODE], { timeoutMs: 60_000 });
  run("podman", ["rmi", "-f", NANO_IMAGE], { timeoutMs: 60_000 });
  await daemons.stopAll();
  run("ip", ["netns", "del", NS]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("seed 000's host details on a first boot under the real cloud-init", () => {
  it("cloud-init finishes without an error", () => {
    const r = onNode("cloud-init status --long");
    expect(r.out).toMatch(/status: done/);
    expect(r.out).not.toMatch(/error/i);
  });

  it("updates and upgrades from the node's package source before anything else is installed", () => {
    const log = onNode("cat /var/log/cloud-init.log").stdout;
    const update = log.search(/Running command \['apt-get', [^\]]*'update'\]/);
    const upgrade = log.search(/Running command \['apt-get', [^\]]*'dist-upgrade'\]/);
    expect(update, "apt-get update ran").toBeGreaterThan(0);
    expect(upgrade, "cloud-init's upgrade ran after it").toBeGreaterThan(update);
    expect(onNode("cat /etc/apt/sources.list").stdout).toContain("deb [trusted=yes] http://registry.local:8080/debs/ ./");
  });

  it("installs vim without recommends, purges nano and makes vim.basic the editor", () => {
    const history = onNode("cat /var/log/apt/history.log").stdout;
    expect(history).toMatch(/Commandline: apt-get install --no-install-recommends -m -y -q=1 vim/);
    expect(history).toMatch(/Commandline: apt-get purge -y -q=1 nano/);
    expect(onNode("dpkg-query -W -f='${Status}' vim").stdout).toBe("install ok installed");
    // purged: dpkg knows nano only as not installed (no config files left, unlike a plain remove)
    const nano = onNode("dpkg-query -W -f='${Status}' nano 2>&1");
    expect(nano.status !== 0 || /not-installed$/.test(nano.stdout), nano.out).toBe(true);
    expect(onNode("test -e /etc/nanorc").status, "nano's conffile is gone").not.toBe(0);
    expect(onNode("update-alternatives --query editor").stdout).toMatch(/^Value: \/usr\/bin\/vim\.basic$/m);
    expect(onNode("update-alternatives --query editor").stdout).not.toMatch(/nano/);
  });

  it("sshd listens as seed 000 writes it and accepts the client's locale", () => {
    const t = onNode("sshd -T").stdout;
    expect(t).toMatch(/^listenaddress 0\.0\.0\.0:22$/m);
    expect(t).toMatch(/^acceptenv LANG$/m);
    expect(t).toMatch(/^acceptenv LC_\*$/m);
    expect(t).toMatch(/^addressfamily inet$/m);
  });

  it("sets the admin's password hash (and sudo asks for the password)", () => {
    const a = g.model.admin;
    expect(onNode(`getent shadow ${a.name} | cut -d: -f2`).stdout.trim()).toBe(HASH);
    expect(onNode(`passwd -S ${a.name}`).stdout).toMatch(new RegExp(`^${a.name} P `));
    expect(onNode(`sudo -l -U ${a.name}`).stdout).not.toMatch(/NOPASSWD/);
  });

  it("loads seed 000's firewall table", () => {
    const r = onNode("nft list table inet kubeseed");
    expect(r.status, r.out).toBe(0);
    expect(r.stdout).toContain('tcp dport 22 accept comment "SSH"');
  });
});
