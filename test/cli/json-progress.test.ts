/**
 * `gen validate --json` (the same diagnostics as the human output, as JSON on stdout) and progress on
 * stderr: plain lines when stderr is not a terminal, one updating line under a real pseudo-terminal
 * (util-linux `script`), bold only without NO_COLOR.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { progressReporter } from "../../generator/cli/progress.js";
import { gen, REPO, scratchDir } from "./support.js";

const BAD = `apiVersion: kubeseed/v1
kind: ClusterProfile
metadata:
  name: bad
spec:
  kubernetes:
    version: v1.34.10
  network:
    cidr: 192.168.1.0/24
  nodes:
    - name: cp-1
      role: control-plane
      address: 10.0.0.300
  admin:
    name: administrator
    uid: 1000
    gid: 1000
    sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEIQczXkVx9q a@b"]
`;

describe("gen validate --json", () => {
  it("prints a valid profile's report on stdout only, exit 0", () => {
    const r = gen(scratchDir(), "validate", "--profile", "dev", "--json");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ format: "kubeseed.diagnostics/v1", file: "profiles/dev.yaml", valid: true, errors: 0, warnings: 0, diagnostics: [] });
  });

  it("gives each problem the code, path, file, line, column, message and hint of the human output, exit 1", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "profiles/bad.yaml"), BAD);
    const r = gen(dir, "validate", "--profile", "bad", "--json");
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ valid: false, file: "profiles/bad.yaml" });
    expect(doc.errors).toBeGreaterThanOrEqual(1);
    const d = doc.diagnostics.find((x: { path: string }) => x.path === "spec.nodes[0].address");
    expect(Object.keys(d)).toEqual(["severity", "code", "path", "file", "line", "column", "message", "hint"]);
    expect(d).toMatchObject({ severity: "error", file: "profiles/bad.yaml", line: 13, column: 16 });
    const human = gen(dir, "validate", "--profile", "bad");
    expect(human.stderr).toContain(`error[${d.path}]: ${d.message} (${d.code})`);
    expect(human.stderr).toContain("--> profiles/bad.yaml:13:16");
    if (d.hint) expect(human.stderr).toContain(`= try: ${d.hint}`);
  });

  it("reports a missing profile as JSON too, and refuses --json where it does not apply (exit 2)", () => {
    const dir = scratchDir();
    const r = gen(dir, "validate", "--profile", "nope", "--json");
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { code: string }) => d.code)).toEqual(["profile-not-found"]);
    const usage = gen(dir, "--profile", "dev", "--json");
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--json applies to gen validate only/);
  });
});

describe("progress on stderr", () => {
  it("writes one plain line per finished stage when stderr is not a terminal, no escape codes", () => {
    const r = gen(scratchDir(), "--profile", "dev");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^certificates: \d+ done$/m);
    expect(r.stderr).toMatch(/^nodes: 2 done$/m);
    expect(r.stderr).toMatch(/^files: \d+ done$/m);
    expect(r.stderr).not.toContain("\x1b");
    expect(r.stdout).toBe("");
  });

  it.each([
    { env: {}, bold: true },
    { env: { NO_COLOR: "1" }, bold: false },
  ])("draws one updating line on a real terminal (bold: $bold)", ({ env, bold }) => {
    const dir = scratchDir();
    const cmd = `${process.execPath} ${join(REPO, "bin/gen.mjs")} --profile dev`;
    const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: dir, encoding: "utf8", timeout: 120_000, env: { PATH: process.env.PATH, TERM: "xterm", ...env } });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain("\r\x1b[2K");
    expect(r.stdout).toMatch(/certificates(\x1b\[22m)? \d+\/\d+/);
    expect(r.stdout.includes("\x1b[1mcertificates"), r.stdout).toBe(bold);
    expect(r.stdout).not.toMatch(/^certificates: \d+ done/m);
  });

  it("redraws only when a stage's percentage changes, and erases the line at the end", () => {
    const out: string[] = [];
    const p = progressReporter({ isTTY: true, write: (s) => out.push(s) }, { NO_COLOR: "1" });
    for (let i = 1; i <= 1000; i++) p.sink({ stage: "certificates", done: i, total: 1000 });
    p.end();
    // 0 %, 1 %, …, 100 %: 101 draws, then the erase
    expect(out).toHaveLength(102);
    expect(out[0]).toBe("\r\x1b[2Kcertificates 1/1000");
    expect(out[100]).toBe("\r\x1b[2Kcertificates 1000/1000");
    expect(out[101]).toBe("\r\x1b[2K");
    const plain: string[] = [];
    const q = progressReporter({ isTTY: false, write: (s) => plain.push(s) }, {});
    for (let i = 1; i <= 1000; i++) q.sink({ stage: "nodes", done: i, total: 1000 });
    q.end();
    expect(plain).toEqual(["nodes: 1000 done\n"]);
  });
});
