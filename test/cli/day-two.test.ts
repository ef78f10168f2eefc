/**
 * The day-two commands through the real CLI (node bin/gen.mjs in a scratch directory):
 * - `gen plan`: exit 3 before the first run and after a profile change, 0 when nothing would change;
 *   the summary on stdout; nothing written (output and secrets file keep their bytes);
 * - `gen` prints the same summary after writing, and REPORT.md carries it;
 * - `gen certs check`: the table on stdout; exit 0 with fresh certificates, 1 with a secrets file made
 *   355 days ago (every leaf inside the 30-day window), naming what to do;
 * - `gen secrets rotate-ca` prints the rotation plan and writes nothing; two-word commands without
 *   or with a wrong action are usage errors (exit 2).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCluster } from "../../generator/bundle/generate.js";
import { fixedClock, systemRandom } from "../../generator/core/clock.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import { serializeSecrets } from "../../generator/pki/secrets.js";
import { exampleProfile } from "../helpers/generate.js";
import { gen, readTree, scratchDir } from "./support.js";

describe("gen plan, certs check, secrets rotate-ca", () => {
  it("gen plan: 3 before the first run, 0 after it, 3 after adding a node; it never writes", () => {
    const dir = scratchDir();
    const before = gen(dir, "plan", "--profile", "dev");
    expect(before.status, before.stderr).toBe(3);
    expect(before.stdout).toMatch(/^first generation: there was no previous output to compare with\n/);
    expect(before.stdout).toMatch(/CAs and secrets:\n {2}created: /);
    expect(existsSync(join(dir, "output")) || existsSync(join(dir, "secrets"))).toBe(false);
    const first = gen(dir, "--profile", "dev");
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/first generation: there was no previous output to compare with/);
    const same = gen(dir, "plan", "--profile", "dev");
    expect(same.status, same.stdout).toBe(0);
    expect(same.stdout).toBe("nothing: the output would be byte for byte the same\n");
    const file = join(dir, "profiles/dev.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("      address: 192.168.1.21\n", "      address: 192.168.1.21\n    - name: kube-node-3\n      role: worker\n      address: 192.168.1.22\n"));
    const tree = readTree(join(dir, "output/dev"));
    const secrets = readFileSync(join(dir, "secrets/dev.yaml"), "utf8");
    const added = gen(dir, "plan", "--profile", "dev");
    expect(added.status, added.stderr).toBe(3);
    expect(added.stdout).toContain("Nodes added:\n  kube-node-3 (worker): boot it with nodes/kube-node-3/cloud-init/user-data\n");
    // no node lists the workers: a new worker changes nothing on the running nodes
    expect(added.stdout).not.toContain("Push to running nodes");
    expect(readTree(join(dir, "output/dev"))).toEqual(tree);
    expect(readFileSync(join(dir, "secrets/dev.yaml"), "utf8")).toBe(secrets);
    const applied = gen(dir, "--profile", "dev");
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stderr).toContain(added.stdout.split("\n").slice(0, 3).join("\n"));
    expect(readFileSync(join(dir, "output/dev/REPORT.md"), "utf8")).toContain("### Nodes added\n\n- kube-node-3 (worker): boot it with nodes/kube-node-3/cloud-init/user-data\n");
    expect(gen(dir, "plan", "--profile", "dev").status).toBe(0);
  });

  it("gen certs check: 0 with fresh certificates, 1 when they expire within the window", async () => {
    const dir = scratchDir();
    const none = gen(dir, "certs", "check", "--profile", "dev");
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/secrets\/dev\.yaml does not exist: run gen --profile dev first/);
    expect(gen(dir, "--profile", "dev").status).toBe(0);
    const fresh = gen(dir, "certs", "check", "--profile", "dev");
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stdout.split("\n")[0]).toMatch(/^certificate +held by +not after +days left +status$/);
    expect(fresh.stdout).toMatch(/^ca\/kubernetes +kube-node-1, \(operator\) +\d{4}-\d\d-\d\d \d\d:\d\d +36(49|50) +ok$/m);
    expect(fresh.stderr).toMatch(/^all 15 certificates are valid for more than 30 days$/m);
    // a secrets file made 355 days ago
    const old = await generateCluster(exampleProfile("dev"), undefined, { clock: fixedClock(new Date(Date.now() - 355 * 24 * 3600 * 1000).toISOString()), random: systemRandom, keys: defaultKeyFactory });
    const other = scratchDir();
    mkdirSync(join(other, "secrets"), { mode: 0o700 });
    writeFileSync(join(other, "secrets/dev.yaml"), serializeSecrets(old.issue.secrets), { mode: 0o600 });
    chmodSync(join(other, "secrets/dev.yaml"), 0o600);
    const due = gen(other, "certs", "check", "--profile", "dev");
    expect(due.status, due.stderr).toBe(1);
    expect(due.stdout).toMatch(/^node\/kube-node-1\/apiserver +kube-node-1 +\d{4}-\d\d-\d\d \d\d:\d\d +(9|10) +RENEW$/m);
    expect(due.stdout).toMatch(/^ca\/etcd .* ok$/m);
    expect(due.stderr).toMatch(/^12 certificates expire within 30 days or expired$/m);
    expect(due.stderr).toMatch(/gen --profile dev re-issues them into the output; control planes renew their own copies/);
    const plan = gen(other, "plan", "--profile", "dev");
    expect(plan.status).toBe(3);
    expect(plan.stdout).toMatch(/re-issued node\/kube-node-1\/apiserver: expires on \d{4}-\d\d-\d\d, within the renewal window/);
  });

  it("gen secrets rotate-ca prints the plan and writes nothing; two-word commands need their action", () => {
    const dir = scratchDir();
    const r = gen(dir, "secrets", "rotate-ca", "--profile", "dev");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^CA rotation plan for cluster dev/);
    expect(r.stdout).toMatch(/\n1\. trust both \(render 1; gen secrets rotate-ca --step trust-both, then gen\)/);
    expect(r.stdout).toMatch(/\n3\. drop the old CA \(render 3\)/);
    expect(r.stdout).toMatch(/implemented: step 1 \(trust both\) for the cluster CA/);
    expect(existsSync(join(dir, "secrets")) || existsSync(join(dir, "output"))).toBe(false);
    for (const args of [["certs", "--profile", "dev"], ["certs", "renew", "--profile", "dev"], ["secrets", "--profile", "dev"], ["plan", "extra", "--profile", "dev"]]) {
      const u = gen(dir, ...args);
      expect(u.status, args.join(" ")).toBe(2);
      expect(u.stderr).toMatch(/gen --help/);
    }
    const help = gen(dir, "--help");
    expect(help.stdout).toMatch(/gen plan --profile NAME/);
    expect(help.stdout).toMatch(/gen certs check --profile NAME/);
    expect(help.stdout).toMatch(/3 \(plan\) something would change/);
  });

  it("gen secrets rotate-ca --step trust-both writes the new CA beside the secrets file; the next gen renders both CAs", () => {
    const dir = scratchDir();
    const early = gen(dir, "secrets", "rotate-ca", "--profile", "dev", "--step", "trust-both");
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/secrets\/dev\.yaml does not exist: there is no CA to rotate yet/);
    expect(gen(dir, "--profile", "dev").status).toBe(0);
    expect(gen(dir, "secrets", "rotate-ca", "--profile", "dev", "--step", "sign-new").status).toBe(2);
    const start = gen(dir, "secrets", "rotate-ca", "--profile", "dev", "--step", "trust-both");
    expect(start.status, start.stderr).toBe(0);
    const file = join(dir, "secrets/dev.rotation.yaml");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^format: kubeseed\.rotation\/v1$/m);
    const plan = gen(dir, "plan", "--profile", "dev");
    expect(plan.status).toBe(3);
    expect(plan.stdout).toMatch(/\/etc\/kubernetes\/pki\/ca-signer\.crt \(added\), \/etc\/kubernetes\/pki\/ca\.crt \(changed\)/);
    expect(plan.stdout).toMatch(/the cluster CA is being rotated, step trust-both/);
    expect(gen(dir, "--profile", "dev").status).toBe(0);
    const bundle = readFileSync(join(dir, "output/dev/nodes/kube-node-1/files/etc/kubernetes/pki/ca.crt"), "utf8");
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(readFileSync(join(dir, "output/dev/REPORT.md"), "utf8")).toMatch(/CA rotation step 1 \(trust both\): push every control plane/);
    const again = gen(dir, "secrets", "rotate-ca", "--profile", "dev", "--step", "trust-both");
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds a rotation at step trust-both/);
    expect(gen(dir, "secrets", "rotate-ca", "--profile", "dev").stdout).toMatch(/in progress: secrets\/dev\.rotation\.yaml is at step trust-both/);
    writeFileSync(file, readFileSync(file, "utf8").replace("cluster: dev", "cluster: prod"));
    const bad = gen(dir, "--profile", "dev");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/secrets\/dev\.rotation\.yaml is not a kubeseed CA rotation: cluster must be dev/);
  });
});
