/**
 * Everything the rehearsal cluster's air gap serves, made from source and Debian packages, cached
 * under $KUBESEED_CACHE/rehearsal/ by content (a recipe's hash names its folder, so a changed recipe
 * builds anew and an unchanged one is reused):
 * - the programs (scripts/kube-bins.sh, scripts/addon-bins.sh);
 * - small Debian userlands for images that need iptables or a shell (`apt-get download` + `dpkg-deb
 *   -x`, checked by running each program in a chroot);
 * - one OCI image layout holding every image of the plan under its upstream reference, as
 *   `mirror.sh save` would have left it (what `mirror.sh push` reads);
 * - the Kubernetes .deb packages (dpkg-deb) with pkgs.k8s.io's names, versions and paths;
 * - the nodes' Debian packages, fetched by the generated `mirror.sh save-packages` (ONLY=…);
 * - the registry host's podman image (Debian's docker-registry and busybox's httpd).
 * Guarantees: each cached folder appears atomically (built under a temporary name, then renamed);
 * layers are reproducible (sorted tar entries, fixed dates and owners, gzip without a name or date).
 */
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import type { RehearsalPlan } from "./plan.js";
import { REPO, CACHE, attempt, must, say } from "./proc.js";
import { IMAGE_ENV, type Component, type DebRecipe, type ImageRecipe } from "./recipes.js";

/** Bump when the way images or packages are assembled changes (invalidates the cached folders). */
const BUILD_REVISION = "1";
const ROOT = join(CACHE, "rehearsal");

const hash = (value: unknown) => createHash("sha256").update(JSON.stringify([BUILD_REVISION, value])).digest("hex").slice(0, 16);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Builds `dest` with `make(tmp)` unless it exists; returns dest. */
function cached(dest: string, make: (tmp: string) => void): string {
  if (existsSync(dest)) return dest;
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = mkdtempSync(`${dest}.tmp-`);
  try {
    make(tmp);
    renameSync(tmp, dest);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dest;
}

export function componentDir(c: Component): string {
  return c.builder === "kube" ? join(CACHE, "kube-static", c.version) : join(CACHE, "addons", `${c.name}-${c.version}`);
}

/** Runs the Go builds of every component the plan needs (each script skips what is cached). */
export function buildPrograms(plan: RehearsalPlan): void {
  const kube = new Map<string, Set<string>>();
  const addons = new Map<string, Component>();
  const use = (c: Component, binary?: string) => {
    if (c.builder === "kube") kube.set(c.version, (kube.get(c.version) ?? new Set()).add(binary!));
    else addons.set(`${c.name}-${c.version}`, c);
  };
  for (const i of plan.images) for (const f of i.recipe.files) use(f.from, f.binary);
  for (const d of plan.debs) {
    for (const f of d.files) if ("from" in f) use(f.from, f.binary);
    if (d.folder) use(d.folder.from);
  }
  const long = { timeoutMs: 90 * 60_000, showStderr: true };
  for (const [version, bins] of kube) must("bash", [join(REPO, "scripts/kube-bins.sh"), version, ...bins], long);
  if (addons.size) must("bash", [join(REPO, "scripts/addon-bins.sh"), ...[...addons.values()].flatMap((c) => [c.name, c.version])], long);
}

const USERLANDS: Record<string, { packages: string[]; check: string[][] }> = {
  iptables: {
    packages: ["busybox-static", "libc6", "libgcc-s1", "iptables", "libip4tc2", "libip6tc2", "libxtables12", "libmnl0", "libnetfilter-conntrack3", "libnfnetlink0", "libnftnl11", "netbase", "conntrack"],
    check: [["iptables", "--version"], ["ip6tables-save", "--version"], ["conntrack", "--version"], ["sh", "-c", "cp --help >/dev/null 2>&1; command -v cp"]],
  },
  busybox: { packages: ["busybox-static"], check: [["sh", "-c", "command -v cp"]] },
  registry: { packages: ["busybox-static", "libc6", "docker-registry"], check: [["docker-registry", "--version"], ["sh", "-c", "command -v httpd"]] },
};

/** The Debian 12 packages' files (no maintainer scripts), busybox's applets, iptables on nftables. */
export function userland(kind: keyof typeof USERLANDS): string {
  const u = USERLANDS[kind];
  return cached(join(ROOT, `userland-${kind}-${hash(u)}`), (root) => {
    const debs = mkdtempSync(join(ROOT, "debs-"));
    try {
      if (attempt("apt-get", ["download", ...u.packages], { cwd: debs, timeoutMs: 600_000 }).status !== 0) {
        must("apt-get", ["update", "-qq"], { timeoutMs: 600_000 });
        must("apt-get", ["download", ...u.packages], { cwd: debs, timeoutMs: 600_000 });
      }
      for (const f of readdirSync(debs)) must("dpkg-deb", ["-x", join(debs, f), root]);
    } finally {
      rmSync(debs, { recursive: true, force: true });
    }
    mkdirSync(join(root, "bin"), { recursive: true });
    must("chroot", [root, "/bin/busybox", "--install", "-s", "/bin"]);
    // iptables' alternatives on Debian 12 point at the nftables back end (update-alternatives is not run here)
    for (const t of ["iptables", "ip6tables"]) {
      for (const suffix of ["", "-save", "-restore"]) {
        if (existsSync(join(root, `usr/sbin/${t}-nft${suffix}`))) must("ln", ["-sf", `${t}-nft${suffix}`, join(root, `usr/sbin/${t}${suffix}`)]);
      }
    }
    for (const d of ["tmp", "run", "var/run", "etc"]) mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, "tmp"), 0o1777);
    writeFileSync(join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
    writeFileSync(join(root, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    for (const c of u.check) {
      const r = attempt("chroot", [root, "/bin/busybox", "env", IMAGE_ENV[0], ...c]);
      if (r.status !== 0) throw new Error(`userland ${kind}: ${c.join(" ")} failed in the chroot: ${r.stderr}${r.stdout}`);
    }
  });
}

/** A reproducible tar of a directory, gzip-compressed: the layer blob and its uncompressed digest. */
function layer(dir: string): { gz: Buffer; diffId: string } {
  const file = `${dir}.tar`;
  try {
    must("tar", ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "--format=gnu", "-C", dir, "-cf", file, "."], { timeoutMs: 300_000 });
    const tar = readFileSync(file);
    return { gz: gzipSync(tar, { level: 6 }), diffId: `sha256:${sha(tar)}` };
  } finally {
    rmSync(file, { force: true });
  }
}

function imageRoot(recipe: ImageRecipe, into: string): void {
  if (recipe.userland) cpSync(userland(recipe.userland), into, { recursive: true, verbatimSymlinks: true });
  for (const f of recipe.files) {
    const target = join(into, f.to);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(componentDir(f.from), f.binary), target);
    chmodSync(target, 0o755);
  }
  for (const d of ["tmp", "etc"]) mkdirSync(join(into, d), { recursive: true });
  chmodSync(join(into, "tmp"), 0o1777);
}

/** One OCI image layout with every image of the plan, named by its upstream reference. */
export function ociImages(plan: RehearsalPlan): string {
  return imageLayout(plan.images);
}

/** An OCI image layout holding `images`, each under its reference name; cached by content. */
export function imageLayout(images: { source: string; recipe: ImageRecipe }[]): string {
  const key = images.map((i) => [i.source, i.recipe, i.recipe.files.map((f) => statSync(join(componentDir(f.from), f.binary)).size)]);
  return cached(join(ROOT, `images-${hash(key)}`), (dir) => {
    const blobs = join(dir, "blobs/sha256");
    mkdirSync(blobs, { recursive: true });
    const blob = (b: Buffer) => {
      const d = sha(b);
      writeFileSync(join(blobs, d), b);
      return { digest: `sha256:${d}`, size: b.length };
    };
    const manifests: unknown[] = [];
    for (const { source, recipe } of images) {
      say(`image ${source}`);
      const root = mkdtempSync(join(ROOT, "root-"));
      try {
        imageRoot(recipe, root);
        const l = layer(root);
        const config = {
          created: "1970-01-01T00:00:00Z",
          architecture: "amd64",
          os: "linux",
          config: { Env: IMAGE_ENV, ...(recipe.entrypoint ? { Entrypoint: recipe.entrypoint } : {}), Labels: recipe.labels },
          rootfs: { type: "layers", diff_ids: [l.diffId] },
        };
        const manifest = {
          schemaVersion: 2,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          config: { mediaType: "application/vnd.oci.image.config.v1+json", ...blob(Buffer.from(JSON.stringify(config))) },
          layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...blob(l.gz) }],
          annotations: recipe.labels,
        };
        manifests.push({ mediaType: manifest.mediaType, ...blob(Buffer.from(JSON.stringify(manifest))), annotations: { "org.opencontainers.image.ref.name": source } });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests }));
  });
}

function debControl(d: DebRecipe, size: number): string {
  const lines = [`Package: ${d.name}`, `Version: ${d.version}`, "Architecture: amd64", "Maintainer: Kubernetes Authors <dev@kubernetes.io>", `Installed-Size: ${Math.ceil(size / 1024)}`];
  if (d.depends) lines.push(`Depends: ${d.depends}`);
  lines.push("Section: admin", "Priority: optional", "Homepage: https://kubernetes.io", `Description: ${d.description}`, " Built from source for the kubeseed rehearsal cluster (scripts/cluster-up.sh).");
  return lines.join("\n") + "\n";
}

/** The Kubernetes .deb files of the plan, named NAME_VERSION_amd64.deb as apt-ftparchive expects. */
export function kubernetesDebs(plan: RehearsalPlan): string {
  const key = plan.debs.map((d) => [d, d.files.map((f) => ("from" in f ? statSync(join(componentDir(f.from), f.binary)).size : f.text.length))]);
  return cached(join(ROOT, `debs-${hash(key)}`), (out) => {
    for (const d of plan.debs) {
      const root = mkdtempSync(join(ROOT, "deb-"));
      try {
        let size = 0;
        for (const f of d.files) {
          const target = join(root, f.to);
          mkdirSync(dirname(target), { recursive: true });
          if ("from" in f) {
            cpSync(join(componentDir(f.from), f.binary), target);
            chmodSync(target, 0o755);
          } else writeFileSync(target, f.text, { mode: 0o644 });
          size += statSync(target).size;
        }
        if (d.folder) {
          const from = componentDir(d.folder.from);
          mkdirSync(join(root, d.folder.to), { recursive: true });
          for (const b of readdirSync(from)) {
            cpSync(join(from, b), join(root, d.folder.to, b));
            chmodSync(join(root, d.folder.to, b), 0o755);
            size += statSync(join(from, b)).size;
          }
        }
        mkdirSync(join(root, "DEBIAN"));
        writeFileSync(join(root, "DEBIAN/control"), debControl(d, size));
        if (d.postinst) writeFileSync(join(root, "DEBIAN/postinst"), d.postinst, { mode: 0o755 });
        must("dpkg-deb", ["--root-owner-group", "-Zgzip", "--build", root, join(out, `${d.name}_${d.version}_amd64.deb`)], { timeoutMs: 600_000 });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  });
}

/** The nodes' Debian packages and their dependencies, by the generated mirror.sh save-packages. */
export function debianPackages(plan: RehearsalPlan, mirrorScript: string): string {
  const names = [...plan.debianPackages].sort();
  // the resolution rules are part of the key: mirror.sh from save_debs() to the next function
  const text = readFileSync(mirrorScript, "utf8");
  const rules = text.slice(text.indexOf("save_debs() {"), text.indexOf("save_download() {"));
  return cached(join(ROOT, `debian-${hash([names, rules])}`), (dir) => {
    say(`mirror.sh save-packages: ${names.join(" ")} (from the machine's Debian mirror)`);
    must("bash", [mirrorScript, "save-packages", dir], { env: { ...process.env, ONLY: names.join(" ") }, timeoutMs: 30 * 60_000, showStderr: true });
  });
}

/** The registry host's image: docker-registry and busybox (httpd for the package tree, ip). */
export function registryImage(): string {
  const root = userland("registry");
  const tag = `localhost/kubeseed/rehearsal-registry:${hash(readdirSync(root).sort())}`;
  if (attempt("podman", ["image", "exists", tag]).status === 0) return tag;
  const tar = join(ROOT, `registry-${process.pid}.tar`);
  try {
    must("tar", ["--sort=name", "-C", root, "-cf", tar, "."], { timeoutMs: 300_000 });
    must("podman", ["import", "--change", `ENV ${IMAGE_ENV[0]}`, tar, tag], { timeoutMs: 300_000 });
  } finally {
    rmSync(tar, { force: true });
  }
  return tag;
}

/** The Debian 12 node image (scripts/node-image.sh: systemd + cloud-init + the testbed's adjustments). */
export function nodeImage(): string {
  return must("bash", [join(REPO, "scripts/node-image.sh")], { timeoutMs: 30 * 60_000, showStderr: true }).trim();
}

/** Reads a JSON file written by the generator. */
export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
