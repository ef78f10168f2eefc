/**
 * Node packages of an air-gapped cluster for real (prod-airgap with spec.registry.packagesKey, a GPG
 * key made here):
 * - the generated mirror.sh save-packages runs on this machine against Debian's archive
 *   (deb.debian.org; pkgs.k8s.io is not reachable from the test machines, so ONLY="socat conntrack"):
 *   apt with the script's private configuration resolves both with their dependencies minus
 *   debootstrap's minbase, downloads them, indexes the flat repository (apt-ftparchive) and signs it
 *   (SIGN_BY), checked against the profile's key; files.lock.json names every .deb with its sha256 and
 *   version, and kubeseed's own files-lock reader accepts it; index-packages refuses another key;
 * - push-packages copies the tree into the folder Debian's python3 -m http.server serves on
 *   192.168.1.5:8080 (the profile's registry address) in a network namespace with no other route;
 * - apt on this machine, in that namespace, with ONLY the unsigned variant's generated source
 *   ([trusted=yes]), private state and cache, and /etc/netns/NS/hosts = the node's generated /etc/hosts,
 *   fetches socat and conntrack (download only) from registry.local;
 * - a Debian 12 node container (scripts/node-image.sh: debootstrap minbase + cloud-init 22.4.2) in that
 *   namespace, made to look like Debian's cloud images (a deb822 debian.sources pointing at
 *   deb.debian.org, cloud.cfg.d with generate_mirrorlists: true), boots a worker's generated NoCloud
 *   seed (kubernetesPackages: preinstalled, so cloud-init installs nothing itself); the real cloud-init
 *   writes the key, /etc/hosts and the apt configuration; then the node's own apt installs socat and
 *   conntrack from the signed flat repository only, and refuses it once it is signed by another key.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Generated } from "../../generator/bundle/generate.js";
import { readFilesLock } from "../../generator/io/files-lock.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { artifact, exampleProfile, generate, REPO_ROOT, writeToTemp } from "../helpers/generate.js";
import { Daemons, run, waitFor } from "./support/proc.js";

const NS = `kspkg${process.pid % 100000}`;
const NODE = `kspkg-node-${process.pid}`;
const WANT = ["socat", "conntrack"];
const daemons = new Daemons();
let work: string;
let out: string;
let g: Generated;
let key: { home: string; fpr: string; armored: string };
let packages: string;
let served: string;
let saved: ReturnType<typeof run>;

const inNs = (cmd: string, args: string[], timeoutMs = 60_000) => run("ip", ["netns", "exec", NS, cmd, ...args], { timeoutMs });
const inNode = (cmd: string, timeoutMs = 120_000) => run("podman", ["exec", NODE, "sh", "-c", cmd], { timeoutMs });
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const debs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".deb"));

/** A GPG signing key in a fresh GNUPGHOME: its home, fingerprint and ASCII-armored public key. */
function gpgKey(name: string): { home: string; fpr: string; armored: string } {
  const home = mkdtempSync(join(work, "gnupg-"));
  const env = { ...process.env, GNUPGHOME: home };
  const made = run("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", `${name} <${name}@kubeseed.invalid>`, "ed25519", "sign", "never"], { env, timeoutMs: 60_000 });
  if (made.status !== 0) throw new Error(`gpg: ${made.out}`);
  const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(run("gpg", ["--with-colons", "--list-keys"], { env }).stdout)![1];
  return { home, fpr, armored: run("gpg", ["--armor", "--export", fpr], { env }).stdout };
}

function signed(p: ProfileInput, extra: Partial<NonNullable<ProfileInput["spec"]["registry"]>>, spec: Partial<ProfileInput["spec"]> = {}): ProfileInput {
  return { ...p, spec: { ...p.spec, ...spec, registry: { ...p.spec.registry!, ...extra } } };
}

const mirror = (args: string[], env: NodeJS.ProcessEnv = {}) => run("bash", [join(out, "registry/mirror.sh"), ...args], { env: { ...process.env, ...env }, timeoutMs: 600_000 });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "ks-packages-"));
  key = gpgKey("packages");
  g = await generate(signed(exampleProfile("prod-airgap"), { packagesKey: key.armored }));
  out = await writeToTemp(g);
  packages = join(work, "packages");
  saved = mirror(["save-packages", packages], { ONLY: WANT.join(" "), SIGN_BY: key.fpr, GNUPGHOME: key.home });
  // the namespace: loopback up with the registry's address; the node's /etc/hosts
  const etc = `/etc/netns/${NS}`;
  mkdirSync(etc, { recursive: true });
  cpSync(join(out, "nodes/kube-worker-1/files/etc/hosts"), join(etc, "hosts"));
  expect(run("ip", ["netns", "add", NS]).status).toBe(0);
  expect(inNs("ip", ["link", "set", "lo", "up"]).status).toBe(0);
  expect(inNs("ip", ["addr", "add", `${g.model.registry.address}/32`, "dev", "lo"]).status).toBe(0);
  served = join(work, "srv");
  mkdirSync(served);
  daemons.start("http", "ip", ["netns", "exec", NS, "/usr/bin/python3", "-m", "http.server", "--bind", g.model.registry.address!, "--directory", served, String(g.model.registry.packages.port)], join(work, "http.log"));
}, 900_000);

afterAll(async () => {
  run("podman", ["rm", "-f", "-t", "0", NODE], { timeoutMs: 60_000 });
  await daemons.stopAll();
  run("ip", ["netns", "del", NS]);
  rmSync(`/etc/netns/${NS}`, { recursive: true, force: true });
});

describe("node packages through the registry host's file server", () => {
  it("save-packages resolves, downloads, indexes and signs the flat repository, and writes files.lock.json", () => {
    expect(saved.status, saved.out).toBe(0);
    const files = debs(join(packages, "debs"));
    for (const p of WANT) expect(files.some((f) => f.startsWith(`${p}_`)), `${p} saved`).toBe(true);
    // a dependency that minimal images lack is there; debootstrap's minbase (libc6) is not
    expect(files.some((f) => f.startsWith("libnetfilter-conntrack3_"))).toBe(true);
    expect(files.some((f) => f.startsWith("libc6_"))).toBe(false);
    const lock = JSON.parse(readFileSync(join(packages, "files.lock.json"), "utf8"));
    expect(lock.format).toBe("kubeseed.files-lock/v1");
    const entries = Object.entries(lock.files) as [string, { sha256: string; package: string; version: string; path: string }][];
    expect(entries.map(([, e]) => e.path).sort()).toEqual(files.map((f) => `debs/${f}`).sort());
    for (const [url, e] of entries) {
      expect(url).toMatch(/^http:\/\/deb\.debian\.org\/debian(-security)?\/pool\//);
      expect(e.sha256).toBe(sha256(join(packages, e.path)));
      expect(run("dpkg-deb", ["-f", join(packages, e.path), "Version"]).stdout.trim()).toBe(e.version);
    }
    // kubeseed's own reader takes it as NAME.files.lock.json
    cpSync(join(packages, "files.lock.json"), join(work, "x.files.lock.json"));
    expect(Object.keys(readFilesLock(join(work, "x.yaml"), "/").files)).toHaveLength(entries.length);
    // the index lists every .deb, and the signature is the profile key's
    const index = readFileSync(join(packages, "debs/Packages"), "utf8");
    for (const f of files) expect(index).toContain(`Filename: ./${f}\n`);
    const keyring = join(work, "packages.gpg");
    expect(run("gpg", ["--batch", "--yes", "--dearmor", "--output", keyring], { input: key.armored }).status).toBe(0);
    const v = run("gpgv", ["--keyring", keyring, join(packages, "debs/InRelease")]);
    expect(v.status, v.out).toBe(0);
  });

  it("index-packages refuses a repository signed by another key than the profile's", () => {
    const other = gpgKey("other");
    const r = mirror(["index-packages", packages], { SIGN_BY: other.fpr, GNUPGHOME: other.home });
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("is not signed by the profile's packagesKey");
    expect(mirror(["index-packages", packages], { SIGN_BY: key.fpr, GNUPGHOME: key.home }).status).toBe(0);
  });

  it("push-packages fills the served folder; apt with only the generated [trusted=yes] source fetches from registry.local", async () => {
    const push = mirror(["push-packages", packages, served]);
    expect(push.status, push.out).toBe(0);
    await waitFor("file server", () => (inNs("curl", ["-sf", "-o", "/dev/null", "http://registry.local:8080/debs/Release"], 5_000).status === 0 ? true : undefined), 60_000, () => daemons.exited().join("\n"));
    const unsigned = await generate(exampleProfile("prod-airgap"), g.issue.secrets);
    const apt = parse(artifact(unsigned, "nodes/kube-worker-1/cloud-init/user-data")).apt as { sources_list: string };
    const state = join(work, "host-apt");
    for (const d of ["lists/partial", "cache/archives/partial"]) mkdirSync(join(state, d), { recursive: true });
    writeFileSync(join(state, "sources.list"), apt.sources_list);
    // private lists and cache; the host's dpkg status is only read (install --download-only)
    const opts = ["-o", `Dir::Etc::sourcelist=${state}/sources.list`, "-o", "Dir::Etc::sourceparts=-", "-o", `Dir::State=${state}`, "-o", "Dir::State::status=/var/lib/dpkg/status", "-o", `Dir::Cache=${state}/cache`, "-o", "Debug::NoLocking=1"];
    const update = inNs("apt-get", [...opts, "update"]);
    expect(update.status, update.out).toBe(0);
    expect(update.out).toMatch(/http:\/\/registry\.local:8080\/debs \.\/ (In)?Release/);
    expect(update.out).not.toMatch(/deb\.debian\.org|Err:/);
    const get = inNs("apt-get", [...opts, "install", "--download-only", "-y", ...WANT], 120_000);
    expect(get.status, get.out).toBe(0);
    for (const p of WANT) expect(debs(join(state, "cache/archives")).some((f) => f.startsWith(`${p}_`))).toBe(true);
    expect(daemons.log("http")).toMatch(/"GET \/debs\/(\.\/)?socat_[^ ]+\.deb HTTP\/1\.1" 200/);
  }, 180_000);

  it("a Debian 12 node booted by the real cloud-init installs from the signed flat repository only, and refuses another signer", async () => {
    const image = run("bash", [resolve(REPO_ROOT, "scripts/node-image.sh")], { timeoutMs: 900_000 });
    expect(image.status, image.out).toBe(0);
    const boot = await generate(signed(exampleProfile("prod-airgap"), { packagesKey: key.armored }, { host: { kubernetesPackages: "preinstalled" } }), g.issue.secrets);
    const seed = join(await writeToTemp(boot), "nodes/kube-worker-1/cloud-init");
    // what Debian 12's cloud images have: deb822 sources through apt's mirror method, mirror lists by cloud-init
    const debianSources = join(work, "debian.sources");
    writeFileSync(debianSources, "Types: deb\nURIs: mirror+file:///etc/apt/mirrors/debian.list\nSuites: bookworm bookworm-updates\nComponents: main\n");
    const cloudCfg = join(work, "01_debian_cloud.cfg");
    writeFileSync(cloudCfg, "apt:\n  generate_mirrorlists: true\n");
    const started = run("podman", [
      "run", "-d", "--name", NODE, "--network", `ns:/run/netns/${NS}`, "--cap-add", "SYS_ADMIN,NET_ADMIN",
      "-v", `${seed}:/var/lib/cloud/seed/nocloud:ro`,
      "-v", `${debianSources}:/etc/apt/sources.list.d/debian.sources:ro`,
      "-v", `${cloudCfg}:/etc/cloud/cloud.cfg.d/01_debian_cloud.cfg:ro`,
      image.stdout.trim(), "/sbin/init",
    ], { timeoutMs: 120_000 });
    expect(started.status, started.out).toBe(0);
    await waitFor("cloud-init on the node", () => (inNode("test -f /var/lib/cloud/instance/boot-finished", 10_000).status === 0 ? true : undefined), 180_000, () => inNode("cloud-init status --long", 10_000).out);
    const status = inNode("cloud-init status --long");
    expect(status.out).toMatch(/status: done/);
    expect(status.out).not.toMatch(/error/i);
    const apt = parse(artifact(boot, "nodes/kube-worker-1/cloud-init/user-data")).apt as { sources_list: string };
    expect(inNode("cat /etc/apt/sources.list").stdout).toBe(apt.sources_list);
    expect(inNode("test -e /etc/apt/mirrors/debian.list").status, "generate_mirrorlists stayed off").not.toBe(0);
    expect(inNode("cat /etc/apt/keyrings/kubeseed-packages.asc").stdout).toBe(key.armored);
    const update = inNode("apt-get update 2>&1");
    expect(update.status, update.out).toBe(0);
    expect(update.out).toMatch(/http:\/\/registry\.local:8080\/debs \.\/ InRelease/);
    expect(update.out).not.toMatch(/deb\.debian\.org|mirror\+file|Err:|^W:/m);
    const install = inNode(`DEBIAN_FRONTEND=noninteractive apt-get install -y ${WANT.join(" ")} 2>&1`, 300_000);
    expect(install.status, install.out).toBe(0);
    expect(inNode("socat -V | head -2; conntrack --version").status).toBe(0);
    const lock = JSON.parse(readFileSync(join(packages, "files.lock.json"), "utf8")).files as Record<string, { package: string; version: string }>;
    const want = Object.values(lock).find((e) => e.package === "socat")!.version;
    expect(inNode("dpkg-query -W -f='${Version}' socat").stdout).toBe(want);
    // the same repository signed by another key: the node refuses it
    const other = gpgKey("intruder");
    const release = join(served, "debs/Release");
    expect(run("gpg", ["--batch", "--yes", "--local-user", other.fpr, "--clearsign", "--output", join(served, "debs/InRelease"), release], { env: { ...process.env, GNUPGHOME: other.home } }).status).toBe(0);
    // (apt keeps indexes it verified before: a node that never saw the good ones)
    const refused = inNode("rm -rf /var/lib/apt/lists/* && apt-get update 2>&1");
    expect(refused.status).not.toBe(0);
    expect(refused.out).toMatch(/NO_PUBKEY/);
    expect(refused.out).toMatch(/is not signed/);
    const none = inNode("cd /tmp && apt-get download socat 2>&1");
    expect(none.status).not.toBe(0);
    expect(none.out).toMatch(/Can.t find a source to download/);
  }, 900_000);
});
