/**
 * Runs that meet: real concurrent `gen` processes on one secrets file (one holds the lock, the other
 * fails at once and says why; never two CAs for one file), a lock left by a killed run, and what a
 * run killed with SIGKILL leaves beside its files, cleaned up by the next run with a note. No
 * assertion depends on timing: a window that a slow machine makes us miss is tried again.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { gen, REPO, scratchDir } from "./support.js";

const BIN = join(REPO, "bin/gen.mjs");

function start(cwd: string, ...args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stderr })));
  return { child, done };
}

/** Polls until `cond` holds or the child has exited; true when `cond` held while it ran. */
async function whileRunning(child: ChildProcess, cond: () => boolean): Promise<boolean> {
  while (child.exitCode === null && child.signalCode === null) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
}

/** Waits until the kernel reports `child` stopped (state T in /proc/PID/stat); false if it exited first. */
async function stoppedNow(child: ChildProcess): Promise<boolean> {
  return whileRunning(child, () => {
    try {
      const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2).startsWith("T");
    } catch {
      return false;
    }
  });
}

/** A process id that is certainly not running: a child that has exited. */
const deadPid = (): number => spawnSync("true").pid!;
const caOfSecrets = (file: string): string => (parse(readFileSync(file, "utf8")) as { cas: { kubernetes: { cert: string } } }).cas.kubernetes.cert;

describe("two gen runs on one secrets file", () => {
  it("while one run holds the lock (stopped with SIGSTOP), a second fails at once naming it; the first then finishes", async () => {
    for (let attempt = 1; ; attempt++) {
      const dir = scratchDir();
      const lock = join(dir, "secrets/dev.yaml.kubeseed-lock");
      const a = start(dir, "--profile", "dev", "--out", "out-a");
      let caught = await whileRunning(a.child, () => existsSync(lock));
      if (caught) {
        a.child.kill("SIGSTOP");
        // frozen: the lock must name the first run now; a stop between creating the file and writing
        // its id into it, or just as the run released it, is another window to try again
        caught = (await stoppedNow(a.child)) && existsSync(lock) && readFileSync(lock, "utf8") === `${a.child.pid}\n`;
      }
      try {
        if (!caught) {
          expect(attempt, "the first run never held its lock while we looked").toBeLessThan(20);
          a.child.kill("SIGCONT");
          await a.done;
          continue;
        }
        const b = gen(dir, "--profile", "dev", "--out", "out-b");
        expect(b.status, b.stderr).toBe(1);
        expect(b.stderr).toMatch(new RegExp(`secrets/dev\\.yaml is in use by another gen run \\(process ${a.child.pid}\\)`));
        expect(b.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(existsSync(join(dir, "out-b"))).toBe(false);
      } finally {
        a.child.kill("SIGCONT");
      }
      const ra = await a.done;
      expect(ra.code, ra.stderr).toBe(0);
      expect(readFileSync(join(dir, "out-a/pki/ca.crt"), "utf8")).toBe(caOfSecrets(join(dir, "secrets/dev.yaml")));
      expect(existsSync(lock)).toBe(false);
      return;
    }
  }, 300_000);

  it("started together on a new secrets file, however they interleave: every run that succeeds wrote the CA the file keeps", async () => {
    for (let round = 0; round < 3; round++) {
      const dir = scratchDir();
      const runs = ["out-a", "out-b"].map((out) => ({ out, run: start(dir, "--profile", "dev", "--out", out) }));
      const results = await Promise.all(runs.map(async ({ out, run }) => ({ out, ...(await run.done) })));
      const ca = caOfSecrets(join(dir, "secrets/dev.yaml"));
      expect(results.some((r) => r.code === 0)).toBe(true);
      for (const r of results) {
        if (r.code === 0) expect(readFileSync(join(dir, r.out, "pki/ca.crt"), "utf8"), r.out).toBe(ca);
        else expect(r.stderr).toMatch(/is in use by another gen run/);
      }
    }
  }, 300_000);

  it("a lock left by a killed run (its process is gone) is taken over", () => {
    const dir = scratchDir();
    mkdirSync(join(dir, "secrets"), { mode: 0o700 });
    const dead = deadPid();
    writeFileSync(join(dir, "secrets/dev.yaml.kubeseed-lock"), `${dead}\n`);
    const r = gen(dir, "--profile", "dev");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: removed secrets/dev.yaml.kubeseed-lock, left behind by an interrupted gen run (process ${dead})`);
    expect(existsSync(join(dir, "secrets/dev.yaml.kubeseed-lock"))).toBe(false);
  });
});

describe("leftovers of interrupted runs", () => {
  it("are removed by the next run with a note, those of live processes are left alone", () => {
    const dir = scratchDir();
    expect(gen(dir, "--profile", "dev").status).toBe(0);
    const dead = deadPid();
    const live = spawn("sleep", ["300"]);
    try {
      mkdirSync(join(dir, `output/dev.kubeseed-new-${dead}/pki`), { recursive: true });
      writeFileSync(join(dir, `output/dev.kubeseed-new-${dead}/pki/ca.key`), "KEY");
      mkdirSync(join(dir, `output/dev.kubeseed-old-${dead}`));
      writeFileSync(join(dir, `output/dev.tar.gz.kubeseed-tmp-${dead}`), "");
      writeFileSync(join(dir, `secrets/dev.yaml.tmp-${dead}`), "");
      mkdirSync(join(dir, `output/dev.kubeseed-new-${live.pid}`));
      const r = gen(dir, "--profile", "dev");
      expect(r.status, r.stderr).toBe(0);
      for (const left of [`output/dev.kubeseed-new-${dead}`, `output/dev.kubeseed-old-${dead}`, `output/dev.tar.gz.kubeseed-tmp-${dead}`, `secrets/dev.yaml.tmp-${dead}`]) {
        expect(r.stderr).toContain(`note: removed ${left}, left behind by an interrupted gen run (process ${dead})`);
        expect(existsSync(join(dir, left))).toBe(false);
      }
      expect(existsSync(join(dir, `output/dev.kubeseed-new-${live.pid}`))).toBe(true);
    } finally {
      live.kill();
    }
  });

  it("an output lost between a killed run's two renames is restored from its previous copy", () => {
    const dir = scratchDir();
    expect(gen(dir, "--profile", "dev").status).toBe(0);
    const ca = readFileSync(join(dir, "output/dev/pki/ca.crt"), "utf8");
    const dead = deadPid();
    renameSync(join(dir, "output/dev"), join(dir, `output/dev.kubeseed-old-${dead}`));
    const r = gen(dir, "--profile", "dev", "--secrets", "secrets/other.yaml");
    // restored first, so the earlier CA is seen and no new one is made silently
    expect(r.stderr).toContain(`note: restored output/dev from output/dev.kubeseed-old-${dead}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/holds the output of an earlier run with its CA/);
    expect(readFileSync(join(dir, "output/dev/pki/ca.crt"), "utf8")).toBe(ca);
  });

  it("a run killed with SIGKILL while writing leaves its staging directory, which the next run removes", async () => {
    for (let attempt = 1; ; attempt++) {
      const dir = scratchDir();
      const a = start(dir, "--profile", "dev", "--format", "iso");
      const staging = () => readdirSync(join(dir, "output"), { withFileTypes: true }).some((e) => e.name.startsWith("dev.kubeseed-new-"));
      const caught = await whileRunning(a.child, () => existsSync(join(dir, "output")) && staging());
      if (!caught) {
        await a.done;
        expect(attempt, "never saw the staging directory while the run wrote").toBeLessThan(20);
        continue;
      }
      a.child.kill("SIGKILL");
      await a.done;
      const left = readdirSync(join(dir, "output")).filter((n) => n.includes(".kubeseed-"));
      expect(left.length).toBeGreaterThan(0);
      const r = gen(dir, "--profile", "dev");
      expect(r.status, r.stderr).toBe(0);
      for (const name of left) expect(r.stderr).toContain(`output/${name}`);
      expect(readdirSync(join(dir, "output"))).toEqual(["dev"]);
      return;
    }
  }, 600_000);
});
