import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gen, modeOf, preIssuedProd, readTree, scratchDir } from "./support.js";

describe("gen CLI", () => {
  it("prints help and version on stdout with exit 0", () => {
    const dir = scratchDir();
    const help = gen(dir, "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage:/);
    expect(help.stdout).toMatch(/--secrets FILE/);
    const version = gen(dir, "--version");
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^kubeseed \d+\.\d+\.\d+\n$/);
  });

  it.each([
    { args: ["--bogus"], why: "unknown option" },
    { args: ["frobnicate", "--profile", "dev"], why: "unknown command" },
    { args: ["validate"], why: "no profile" },
    { args: [], why: "nothing to do" },
  ])("exits 2 on a usage error ($why)", ({ args }) => {
    const r = gen(scratchDir(), ...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/gen --help/);
  });

  it("exits 1 with the file and line for an invalid profile, and writes nothing", () => {
    const dir = scratchDir();
    const text = readFileSync(join(dir, "profiles/dev.yaml"), "utf8").replace(/address: 192\.168\.1\.(\d+)/, "address: 10.9.9.$1");
    writeFileSync(join(dir, "profiles/bad.yaml"), text.replace(/name: dev\b/, "name: bad"));
    const r = gen(dir, "--profile", "bad");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/profiles\/bad\.yaml:\d+:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user mistake
    expect(existsSync(join(dir, "output"))).toBe(false);
    expect(existsSync(join(dir, "secrets"))).toBe(false);
  });

  it("exits 1 for a profile that does not exist", () => {
    const r = gen(scratchDir(), "--profile", "nope");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nope/);
  });

  it("validates without writing, and --check plans without writing", () => {
    const dir = scratchDir();
    expect(gen(dir, "validate", "--profile", "prod").status).toBe(0);
    const check = gen(dir, "--profile", "prod", "--check");
    expect(check.status).toBe(0);
    expect(check.stderr).toMatch(/6 nodes/);
    expect(existsSync(join(dir, "output"))).toBe(false);
    expect(existsSync(join(dir, "secrets"))).toBe(false);
  });

  it("generates, keeps the secrets private, and regenerates byte-identical output", () => {
    const dir = scratchDir();
    const first = gen(dir, "--profile", "dev");
    expect(first.status, first.stderr).toBe(0);
    expect(modeOf(join(dir, "secrets/dev.yaml"))).toBe(0o600);
    expect(modeOf(join(dir, "secrets"))).toBe(0o700);
    const tree1 = readTree(join(dir, "output/dev"));
    expect([...tree1.keys()]).toContain("kubeconfigs/admin.conf");
    const secrets1 = readFileSync(join(dir, "secrets/dev.yaml"), "utf8");
    // --rewrite: generate and write again (a plain rerun finds the output up to date: up-to-date.test.ts)
    const second = gen(dir, "--profile", "dev", "--rewrite");
    expect(second.status, second.stderr).toBe(0);
    expect(readTree(join(dir, "output/dev"))).toEqual(tree1);
    expect(readFileSync(join(dir, "secrets/dev.yaml"), "utf8")).toBe(secrets1);
  });

  it("re-issues only the certificates of a node whose address changed", () => {
    const dir = scratchDir();
    preIssuedProd(dir);
    expect(gen(dir, "--profile", "prod").status).toBe(0);
    const before = readTree(join(dir, "output/prod"));
    const file = join(dir, "profiles/prod.yaml");
    const text = readFileSync(file, "utf8");
    const worker = /name: (\S+)\s+role: worker\s+address: (\S+)/.exec(text)!;
    const cp = /name: (\S+)\s+role: control-plane\s+address: (\S+)/g;
    const lastCp = [...text.matchAll(cp)].pop()!;
    const moved = lastCp[2].replace(/\.(\d+)$/, (_, n) => `.${Number(n) + 100}`);
    writeFileSync(file, text.replace(`address: ${lastCp[2]}`, `address: ${moved}`));
    const r = gen(dir, "--profile", "prod");
    expect(r.status, r.stderr).toBe(0);
    const after = readTree(join(dir, "output/prod"));
    const changedCerts = [...after.keys()].filter((k) => k.endsWith(".crt") && after.get(k) !== before.get(k)).sort();
    const node = lastCp[1];
    const pki = `nodes/${node}/files/etc/kubernetes/pki`;
    expect(changedCerts).toEqual([`${pki}/apiserver.crt`, `${pki}/etcd/peer.crt`, `${pki}/etcd/server.crt`]);
    expect(after.get(`nodes/${worker[1]}/files/etc/kubernetes/bootstrap-kubelet.conf`)).toBe(before.get(`nodes/${worker[1]}/files/etc/kubernetes/bootstrap-kubelet.conf`));
  });

  it("refuses a non-empty foreign output directory unless --force", () => {
    const dir = scratchDir();
    const out = join(dir, "elsewhere");
    expect(gen(dir, "--profile", "dev", "--out", "profiles").status).toBe(1);
    expect(existsSync(join(dir, "profiles/dev.yaml"))).toBe(true);
    expect(gen(dir, "--profile", "dev", "--out", out).status).toBe(0);
    expect(existsSync(join(out, "pki/ca.crt"))).toBe(true);
  });
});
