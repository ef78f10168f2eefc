/**
 * `gen --format`: dir (default) writes no seed.iso; iso and all add nodes/NODE/seed.iso (0600) for
 * every cloud-init node and none for Ignition nodes; tar.gz and zip write reproducible archives of
 * the whole output beside it (each unpacks to the output directory) and one per node inside it; an
 * unknown format or cloud is a usage error (exit 2, nothing written).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gen, modeOf, scratchDir } from "./support.js";

/** path → "mode base64" of every file below root */
function files(root: string, rel = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const p = join(rel, e.name);
    if (e.isDirectory()) for (const [k, v] of files(root, p)) out.set(k, v);
    else out.set(p, `${modeOf(join(root, p)).toString(8)} ${readFileSync(join(root, p)).toString("base64")}`);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const seeds = (out: string) => readdirSync(join(out, "nodes")).filter((n) => existsSync(join(out, "nodes", n, "seed.iso")));

describe("gen --format", () => {
  it("writes no seed.iso by default, and one per node (0600) with --format iso, identical on a rerun", () => {
    const dir = scratchDir();
    const out = join(dir, "output/dev");
    expect(gen(dir, "--profile", "dev").status).toBe(0);
    expect(seeds(out)).toEqual([]);
    const r = gen(dir, "--profile", "dev", "--format", "iso");
    expect(r.status, r.stderr).toBe(0);
    const nodes = readdirSync(join(out, "nodes"));
    expect(seeds(out)).toEqual(nodes);
    for (const n of nodes) expect(modeOf(join(out, "nodes", n, "seed.iso"))).toBe(0o600);
    const first = readFileSync(join(out, "nodes", nodes[0], "seed.iso"));
    expect(gen(dir, "--profile", "dev", "--format", "all").status).toBe(0);
    expect(readFileSync(join(out, "nodes", nodes[0], "seed.iso")).equals(first)).toBe(true);
  });

  it("writes no seed.iso for Ignition nodes and says so", () => {
    const dir = scratchDir();
    const r = gen(dir, "--profile", "coreos", "--format", "iso");
    expect(r.status, r.stderr).toBe(0);
    expect(seeds(join(dir, "output/coreos"))).toEqual([]);
    expect(r.stderr).toMatch(/no node boots with cloud-init .* wrote no seed\.iso/);
  });

  it("writes output/NAME.tar.gz and .zip and nodes/NODE.tar.gz, byte-identical on a rerun", () => {
    const dir = scratchDir();
    const r = gen(dir, "--profile", "dev", "--format", "all");
    expect(r.status, r.stderr).toBe(0);
    const out = join(dir, "output");
    for (const f of ["dev.tar.gz", "dev.zip"]) expect(modeOf(join(out, f))).toBe(0o600);
    expect(r.stderr).toMatch(/wrote output\/dev\.tar\.gz \(\d+ bytes\)/);
    const nodes = readdirSync(join(out, "dev/nodes")).filter((n) => !n.endsWith(".tar.gz"));
    for (const n of nodes) expect(modeOf(join(out, "dev/nodes", `${n}.tar.gz`))).toBe(0o600);
    const before = ["dev.tar.gz", "dev.zip", `dev/nodes/${nodes[0]}.tar.gz`].map((f) => readFileSync(join(out, f)));
    expect(gen(dir, "--profile", "dev", "--format", "all", "--rewrite").status).toBe(0);
    const after = ["dev.tar.gz", "dev.zip", `dev/nodes/${nodes[0]}.tar.gz`].map((f) => readFileSync(join(out, f)));
    after.forEach((b, i) => expect(b.equals(before[i]), String(i)).toBe(true));
    // both whole-output archives unpack to the output directory itself, every file with its bytes and mode
    const tree = files(join(out, "dev"));
    expect([...tree.keys()].filter((f) => f.endsWith("seed.iso"))).toHaveLength(nodes.length);
    for (const [archive, args] of [
      ["dev.tar.gz", ["tar", "-xzf"]],
      ["dev.zip", ["unzip", "-q"]],
    ] as const) {
      const x = scratchDir();
      const r = spawnSync(args[0], [args[1], join(out, archive)], { cwd: x, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(files(join(x, "dev")), archive).toEqual(new Map([...tree].filter(([f]) => !f.endsWith(".tar.gz") && f !== ".kubeseed-output")));
    }
    const zipOnly = scratchDir();
    expect(gen(zipOnly, "--profile", "dev", "--format", "zip").status).toBe(0);
    expect(readdirSync(join(zipOnly, "output")).sort()).toEqual(["dev", "dev.zip"]);
  });

  it("--cloud aws refuses control planes that cannot fit (RSA keys) with their largest parts, and the previous output stays as it was", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "profiles/big.yaml"), "extends: prod.yaml\nmetadata: {name: big}\nspec: {pki: {keyAlgorithm: rsa-2048}}\n");
    expect(gen(dir, "--profile", "big").status).toBe(0);
    const before = readFileSync(join(dir, "output/big/nodes/kube-cp-1/cloud-init/user-data"));
    const r = gen(dir, "--profile", "big", "--cloud", "aws");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/3 first-boot documents do not fit the AWS EC2 user data \(16,384 bytes before base64\); nothing was written/);
    expect(r.stderr).toMatch(/nodes\/kube-cp-2\/cloud-init\/user-data is \d+ bytes even gzip-compressed/);
    expect(readFileSync(join(dir, "output/big/nodes/kube-cp-1/cloud-init/user-data")).equals(before)).toBe(true);
    const ok = gen(dir, "--profile", "aws");
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/first-boot documents: 3, all within the AWS EC2 user data \(16,384 bytes before base64\), 1 gzip-compressed; the largest: aws-[a-z]+-\d user-data, \d+ bytes \(\d+ counted of 16384\); per node in output\/aws\/REPORT\.md/);
    expect(readFileSync(join(dir, "output/aws/REPORT.md"), "utf8")).toMatch(/\| aws-cp-1 \| .* \| gzip \| \d+ \| fits: \d+ ≤ 16384 \|/);
  });

  it.each([
    { args: ["--format", "img"], message: /unknown --format "img" \(formats: dir, tar\.gz, zip, iso, all\)/ },
    { args: ["--cloud", "ovh"], message: /unknown --cloud "ovh" \(clouds: none, aws, hetzner, azure, digitalocean, openstack, gcp\)/ },
  ])("exits 2 for $args and writes nothing", ({ args, message }) => {
    const dir = scratchDir();
    const r = gen(dir, "--profile", "dev", ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, "output"))).toBe(false);
  });
});
