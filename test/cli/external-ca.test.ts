/**
 * External-CA mode keeps every CA key off every node: the real CLI writes profiles/external-ca.yaml in
 * every format (`--format all`: the tree, every node's user-data and seed ISO, nodes/NODE.tar.gz, the
 * whole output as .tar.gz and .zip), and a scan of every byte written — archives unpacked with the
 * real tar and unzip — finds none of the three CA private keys of the secrets file (nor the registry
 * CA's). The same scan finds them in the secrets file itself, so it can fail; and prod (external-CA
 * mode off) ships them to its control planes, as kubeadm needs there.
 */
import { execFileSync } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { gen, scratchDir } from "./support.js";

/** Every regular file below dir. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** The base64 body of a PEM, without line breaks: what a scan must not find, however the file wraps it. */
const body = (pem: string) => pem.split("\n").filter((l) => l && !l.startsWith("-----")).join("");

/** The files below dir that hold any of the keys (PEM bodies compared without line breaks). */
function holders(dir: string, keys: string[]): string[] {
  return files(dir).filter((f) => {
    const flat = readFileSync(f, "latin1").replace(/\s+/g, "");
    return keys.some((k) => flat.includes(body(k)));
  });
}

function unpacked(out: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ks-unpacked-"));
  for (const f of files(out).concat(files(join(out, "..")).filter((x) => /\/output\/[^/]+\.(tar\.gz|zip)$/.test(x)))) {
    const to = mkdtempSync(join(dir, "a-"));
    if (f.endsWith(".tar.gz")) execFileSync("tar", ["-xzf", f, "-C", to]);
    if (f.endsWith(".zip")) execFileSync("unzip", ["-q", f, "-d", to]);
  }
  return dir;
}

describe("external-CA mode: no CA key in any node tree, user-data, seed ISO or archive", () => {
  it("gen --format all writes none of the CA keys anywhere; the scan finds them in the secrets file", () => {
    const dir = scratchDir();
    const r = gen(dir, "--profile", "external-ca", "--format", "all");
    expect(r.status, r.stderr).toBe(0);
    const secrets = parse(readFileSync(join(dir, "secrets/external-ca.yaml"), "utf8"));
    const caKeys = Object.values(secrets.cas as Record<string, { key: string }>).map((c) => c.key);
    expect(caKeys).toHaveLength(3);
    const out = join(dir, "output/external-ca");
    const written = files(out);
    expect(written.some((f) => f.endsWith("/user-data"))).toBe(true);
    expect(written.some((f) => f.endsWith("/seed.iso"))).toBe(true);
    expect(written.some((f) => f.endsWith(".tar.gz"))).toBe(true);
    expect(statSync(join(dir, "output/external-ca.zip")).size).toBeGreaterThan(0);
    expect(holders(out, caKeys)).toEqual([]);
    expect(holders(unpacked(out), caKeys)).toEqual([]);
    // user-data entries written gz+b64 are unpacked too (a key there would not show in the raw bytes)
    for (const f of written.filter((x) => x.endsWith("/user-data"))) {
      for (const e of parse(readFileSync(f, "utf8")).write_files as { encoding?: string; content: string }[]) {
        const text = e.encoding === "gz+b64" ? gunzipSync(Buffer.from(e.content, "base64")).toString() : e.content;
        expect(caKeys.some((k) => text.replace(/\s+/g, "").includes(body(k))), f).toBe(false);
      }
    }
    expect(holders(join(dir, "secrets"), caKeys)).toEqual([join(dir, "secrets/external-ca.yaml")]);
    // the nodes still get every CA certificate, and the operator's pki/ has certificates only
    expect(readdirSync(join(out, "pki")).sort()).toEqual(["ca.crt", "etcd", "front-proxy-ca.crt", "sa.key", "sa.pub"]);
    expect(readdirSync(join(out, "nodes/kube-cp-2/files/etc/kubernetes/pki")).filter((f) => f.includes("ca."))).toEqual(["ca.crt", "front-proxy-ca.crt"]);
    // every kubelet has a pre-issued credential: nothing can sign a CSR
    for (const n of ["kube-cp-2", "kube-worker-1"]) expect(readdirSync(join(out, `nodes/${n}/files/etc/kubernetes`))).toContain("kubelet.conf");
  }, 180_000);

  it("prod (external-CA mode off) ships the CA keys to its control planes only", () => {
    const dir = scratchDir();
    expect(gen(dir, "--profile", "prod").status).toBe(0);
    const secrets = parse(readFileSync(join(dir, "secrets/prod.yaml"), "utf8"));
    const caKeys = Object.values(secrets.cas as Record<string, { key: string }>).map((c) => c.key);
    const nodes = holders(join(dir, "output/prod/nodes"), caKeys).map((f) => f.split("/output/prod/nodes/")[1].split("/")[0]);
    expect([...new Set(nodes)].sort()).toEqual(["kube-cp-1", "kube-cp-2", "kube-cp-3"]);
  }, 120_000);
});
