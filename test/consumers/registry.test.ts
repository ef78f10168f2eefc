/**
 * The air-gapped registry for real (prod-airgap profile): Debian's docker-registry (distribution 2.8)
 * serves registry.local on 443 with the generated config and certificate, inside a network namespace
 * whose /etc/hosts maps registry.local to 127.0.0.1 and whose /etc/containerd is the node's generated
 * tree (`ip netns exec` bind-mounts /etc/netns/NS/* over /etc). Then:
 * - the generated mirror.sh pushes an OCI layout made here (one tiny linux/amd64 image under every
 *   source reference of images.json) into the registry, for real;
 * - skopeo inspect trusting the generated registry CA finds a pushed image; without the CA it is refused;
 * - the real containerd 1.6 pulls `registry.k8s.io/pause:<tag>` with the node's certs.d (ctr --hosts-dir)
 *   and gets the image from registry.local/k8s/pause, the mirror layout of hosts.toml;
 * - podman with the generated registries.conf, certs.d, registries.d and policy.json (the CRI-O/podman
 *   flavour, signatures required) pulls an image mirror.sh pushed GPG-signed (SIGN_BY) and refuses an
 *   unsigned one. The profile's signature key and lookaside are pointed at a key made here and a
 *   file:// lookaside; the netns gets /etc/containers from the generated folder (with the host's
 *   permissive policy.json for skopeo; podman is given the generated one).
 * Paths: only the registry config's storage and TLS paths are pointed at test folders.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProfile, generate, writeToTemp } from "../helpers/generate.js";
import { Daemons, run, waitFor } from "./support/proc.js";

const NS = `ksreg${process.pid % 100000}`;
const daemons = new Daemons();
let out: string;
let work: string;
let first: Awaited<ReturnType<typeof generate>>;
let images: { source: string; targets: string[] }[];

const inNs = (cmd: string, args: string[], timeoutMs = 60_000) => run("ip", ["netns", "exec", NS, cmd, ...args], { timeoutMs });
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A one-layer linux/amd64 OCI image layout at DIR with the reference name "base". */
function ociLayout(dir: string): string {
  const blobs = join(dir, "blobs/sha256");
  mkdirSync(blobs, { recursive: true });
  const src = mkdtempSync(join(work, "layer-"));
  writeFileSync(join(src, "hello.txt"), "kubeseed air-gap test image\n");
  const tar = run("tar", ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-C", src, "-cf", join(work, "layer.tar"), "hello.txt"]);
  if (tar.status !== 0) throw new Error(`tar: ${tar.out}`);
  const layerTar = readFileSync(join(work, "layer.tar"));
  const layer = gzipSync(layerTar);
  const blob = (b: Buffer) => {
    const d = sha(b);
    writeFileSync(join(blobs, d), b);
    return { digest: `sha256:${d}`, size: b.length };
  };
  const l = blob(layer);
  const config = blob(Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", config: {}, rootfs: { type: "layers", diff_ids: [`sha256:${sha(layerTar)}`] } })));
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
        layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...l }],
      }),
    ),
  );
  writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(
    join(dir, "index.json"),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", ...manifest, annotations: { "org.opencontainers.image.ref.name": "base" } }] }),
  );
  return manifest.digest;
}

let manifestDigest: string;

beforeAll(async () => {
  first = await generate(exampleProfile("prod-airgap"));
  out = await writeToTemp(first);
  work = mkdtempSync(join(tmpdir(), "ks-registry-"));
  images = JSON.parse(readFileSync(join(out, "registry/images.json"), "utf8")).images;
  // the namespace: loopback up, registry.local → 127.0.0.1, the node's /etc/containerd
  const etc = `/etc/netns/${NS}`;
  mkdirSync(etc, { recursive: true });
  writeFileSync(join(etc, "hosts"), "127.0.0.1 localhost registry.local\n");
  cpSync(join(out, "nodes/kube-worker-1/files/etc/containerd"), join(etc, "containerd"), { recursive: true });
  expect(run("ip", ["netns", "add", NS]).status).toBe(0);
  expect(inNs("ip", ["link", "set", "lo", "up"]).status).toBe(0);
  // the generated registry config, with storage and TLS files in test folders
  const cfg = readFileSync(join(out, "registry/config.yml"), "utf8")
    .replace("/var/lib/docker-registry", join(work, "storage"))
    .replaceAll("/etc/docker/registry/tls", join(out, "registry/tls"));
  writeFileSync(join(work, "config.yml"), cfg);
  daemons.start("registry", "ip", ["netns", "exec", NS, "docker-registry", "serve", join(work, "config.yml")], join(work, "registry.log"));
  await waitFor("registry.local:443", () => (inNs("curl", ["-s", "-o", "/dev/null", "--cacert", join(out, "registry/ca.crt"), "https://registry.local/v2/"], 5_000).status === 0 ? true : undefined), 60_000, () => daemons.exited().join("\n"));
  // the OCI layout mirror.sh save would have made: every source reference of images.json
  const base = join(work, "base");
  manifestDigest = ociLayout(base);
  const layout = join(work, "images");
  for (const i of images) expect(run("skopeo", ["copy", "--preserve-digests", `oci:${base}:base`, `oci:${layout}:${i.source}`]).status).toBe(0);
}, 120_000);

/** A GPG key in a fresh GNUPGHOME: its home, fingerprint and exported public key file. */
function gpgKey(): { home: string; fpr: string; pub: string } {
  const home = mkdtempSync(join(work, "gnupg-"));
  const env = { ...process.env, GNUPGHOME: home };
  const made = run("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", "kubeseed test <test@kubeseed.invalid>", "default", "default", "never"], { env, timeoutMs: 60_000 });
  if (made.status !== 0) throw new Error(`gpg: ${made.out}`);
  const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(run("gpg", ["--with-colons", "--list-keys"], { env }).stdout)![1];
  const pub = join(work, "signer.pgp");
  expect(run("gpg", ["--batch", "--yes", "--export", "--output", pub, fpr], { env }).status).toBe(0);
  return { home, fpr, pub };
}

afterAll(async () => {
  await daemons.stopAll();
  run("ip", ["netns", "del", NS]);
  rmSync(`/etc/netns/${NS}`, { recursive: true, force: true });
});

describe("registry.local with the generated config, certificate and mirror script", () => {
  it("mirror.sh push puts every image of images.json under every target path", () => {
    // prod-airgap's policy wants signed images: an unsigned push is refused unless asked for
    const refused = inNs("bash", [join(out, "registry/mirror.sh"), "push", join(work, "images")]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("mirror: the cluster's policy accepts only signed images: set SIGN_BY=<GPG key id>");
    const r = run("ip", ["netns", "exec", NS, "bash", join(out, "registry/mirror.sh"), "push", join(work, "images")], { env: { ...process.env, ALLOW_UNSIGNED: "1" }, timeoutMs: 300_000 });
    expect(r.status, r.out).toBe(0);
    const pushes = r.stderr.split("\n").filter((l) => l.startsWith("mirror: push "));
    expect(pushes).toHaveLength(images.reduce((n, i) => n + i.targets.length, 0));
    const tags = inNs("curl", ["-s", "--cacert", join(out, "registry/ca.crt"), "https://registry.local/v2/k8s/coredns/tags/list"]);
    expect(JSON.parse(tags.stdout).name).toBe("k8s/coredns");
  }, 300_000);

  it("skopeo inspect trusts registry.local with the generated CA, and refuses it without", () => {
    const pause = images.find((i) => i.source.startsWith("registry.k8s.io/pause:"))!;
    const ref = `docker://${pause.targets[0]}`;
    const ok = inNs("skopeo", ["inspect", "--cert-dir", join(out, "registry"), ref]);
    expect(ok.status, ok.out).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ Digest: manifestDigest, Architecture: "amd64", Os: "linux" });
    const refused = inNs("skopeo", ["inspect", ref]);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toMatch(/x509|certificate/);
  });

  it("containerd resolves registry.k8s.io/pause through the node's certs.d to registry.local/k8s/pause", async () => {
    const root = join(work, "containerd");
    mkdirSync(root, { recursive: true });
    const sock = join(root, "containerd.sock");
    writeFileSync(join(root, "config.toml"), `version = 2\nroot = "${root}/root"\nstate = "${root}/state"\n[grpc]\n  address = "${sock}"\n`);
    daemons.start("containerd", "containerd", ["--config", join(root, "config.toml")], join(root, "containerd.log"));
    await waitFor("containerd", () => (run("ctr", ["--address", sock, "version"]).status === 0 ? true : undefined), 60_000, () => daemons.exited().join("\n"));
    const pause = images.find((i) => i.source.startsWith("registry.k8s.io/pause:"))!;
    const r = inNs("ctr", ["--address", sock, "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", pause.source], 60_000);
    expect(r.status, r.out).toBe(0);
    const list = run("ctr", ["--address", sock, "images", "list", "--quiet"]);
    expect(list.stdout.split("\n")).toContain(pause.source);
    const check = run("ctr", ["--address", sock, "images", "check"]);
    expect(check.stdout).toContain(manifestDigest);
    // the registry saw the pull at the mirror path, not at the upstream's
    expect(daemons.log("registry")).toMatch(/GET \/v2\/k8s\/pause\/manifests\//);
    // and the same pull is refused when the node trusts another CA (the cluster CA) in its place
    cpSync(join(out, "pki/ca.crt"), `/etc/netns/${NS}/containerd/certs.d/registry.local/ca.crt`);
    const refused = inNs("ctr", ["--address", sock, "--namespace", "untrusted", "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", pause.source], 30_000);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toMatch(/x509: certificate signed by unknown authority/);
  }, 120_000);

  it("podman with the generated registries.conf and policy pulls a signed image through the rewrite and refuses an unsigned one", async () => {
    const key = gpgKey();
    const sigs = join(work, "sigstore");
    const p = exampleProfile("prod-airgap");
    const signed = await generate({ ...p, spec: { ...p.spec, registry: { ...p.spec.registry!, signatures: { lookaside: `file://${sigs}`, keyPath: key.pub } } } }, first.issue.secrets);
    const gen = await writeToTemp(signed);
    // sign while pushing: mirror.sh with SIGN_BY, signatures staged into the file:// lookaside
    const staging = mkdtempSync(join(work, "registries.d-"));
    writeFileSync(join(staging, "staging.yaml"), `docker:\n  registry.local:\n    lookaside-staging: file://${sigs}\n`);
    const env = { ...process.env, GNUPGHOME: key.home, SIGN_BY: key.fpr, REGISTRIES_D: staging };
    const push = run("ip", ["netns", "exec", NS, "bash", join(gen, "registry/mirror.sh"), "push", join(work, "images")], { env, timeoutMs: 300_000 });
    expect(push.status, push.out).toBe(0);
    // an image nobody signed, same content, another repository
    expect(inNs("skopeo", ["copy", "--dest-cert-dir", join(gen, "registry"), `oci:${join(work, "base")}:base`, "docker://registry.local/k8s/unsigned:1"]).status).toBe(0);
    // the podman host: /etc/containers from the generated folder, the host's permissive policy for skopeo
    const containers = `/etc/netns/${NS}/containers`;
    cpSync(join(gen, "registry/containers"), containers, { recursive: true });
    cpSync("/etc/containers/policy.json", join(containers, "policy.json"));
    const storage = mkdtempSync(join(work, "podman-"));
    const podman = (ref: string) =>
      inNs("podman", ["--root", join(storage, "root"), "--runroot", join(storage, "run"), "pull", "--signature-policy", join(gen, "registry/containers/policy.json"), ref], 120_000);
    const pause = images.find((i) => i.source.startsWith("registry.k8s.io/pause:"))!;
    const ok = podman(pause.source);
    expect(ok.status, ok.out).toBe(0);
    const inspect = inNs("podman", ["--root", join(storage, "root"), "--runroot", join(storage, "run"), "image", "inspect", "--format", "{{.Digest}}", pause.source]);
    expect(inspect.stdout.trim()).toBe(manifestDigest);
    const refused = podman("registry.local/k8s/unsigned:1");
    expect(refused.status).not.toBe(0);
    expect(refused.out).toMatch(/A signature was required, but no signature exists/);
    const noKey = inNs("podman", ["--root", join(storage, "root2"), "--runroot", join(storage, "run2"), "pull", "--signature-policy", join(gen, "registry/containers/policy.json"), images.find((i) => /\/flannel:/.test(i.source))!.source], 120_000);
    expect(noKey.status, noKey.out).toBe(0);
  }, 300_000);
});
