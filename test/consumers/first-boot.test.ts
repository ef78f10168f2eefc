/**
 * A real first boot: a Debian 12 container with systemd and cloud-init 22.4.2 (built locally by
 * scripts/node-image.sh, no image pulled) boots one control plane and one worker of the dev profile
 * from the NoCloud files of their generated seed.iso (extracted with xorriso: a container cannot mount
 * the image itself), driven by testcontainers over podman. Kubernetes packages cannot
 * be installed here (no network), so the profile says they are preinstalled and the bootstrap unit
 * must report the missing kubeadm — after its first step has assembled the kubeconfigs, which the
 * user-data carries as templates, into files identical to the output tree.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedTestContainer } from "testcontainers";
import type { Generated } from "../../generator/bundle/generate.js";
import { withSeedIsos } from "../../generator/bundle/seed-iso.js";
import { exampleProfile, generate, REPO_ROOT, writeToTemp } from "../helpers/generate.js";
import { xorrisoExtract } from "./support/iso.js";

process.env.DOCKER_HOST ??= "unix:///run/podman/podman.sock";
process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "127.0.0.1";

let g: Generated;
let out = "";
const nodes = new Map<string, StartedTestContainer>();
/** node → the NoCloud files extracted from its nodes/NODE/seed.iso */
const seeds = new Map<string, string>();

async function boot(image: string, node: string): Promise<StartedTestContainer> {
  const { GenericContainer, Wait } = await import("testcontainers");
  return new GenericContainer(image)
    .withCommand(["/sbin/init"])
    .withBindMounts([{ source: seeds.get(node)!, target: "/var/lib/cloud/seed/nocloud", mode: "ro" }])
    .withAddedCapabilities("SYS_ADMIN", "NET_ADMIN")
    .withNetworkMode("none")
    .withWaitStrategy(Wait.forSuccessfulCommand("test -f /var/lib/cloud/instance/boot-finished").withStartupTimeout(120_000))
    .start();
}

async function sh(node: string, cmd: string): Promise<{ code: number; out: string }> {
  const r = await nodes.get(node)!.exec(["sh", "-c", cmd]);
  return { code: r.exitCode, out: r.output };
}

beforeAll(async () => {
  execFileSync("bash", [resolve(REPO_ROOT, "scripts/podman-service.sh")], { stdio: "inherit" });
  const image = execFileSync("bash", [resolve(REPO_ROOT, "scripts/node-image.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const profile = exampleProfile("dev");
  profile.spec.host = { ...profile.spec.host, kubernetesPackages: "preinstalled", firewall: "nftables" };
  g = await generate(profile);
  out = await writeToTemp({ ...g, bundle: withSeedIsos(g.bundle) }, "ks-boot-");
  for (const n of g.plan.nodes) seeds.set(n.node.name, xorrisoExtract(resolve(out, "nodes", n.node.name, "seed.iso"), "ks-boot-seed-"));
  for (const n of g.plan.nodes) nodes.set(n.node.name, await boot(image, n.node.name));
}, 600_000);

afterAll(async () => {
  for (const c of nodes.values()) await c.stop({ timeout: 5 }).catch(() => undefined);
});

const names = () => g.plan.nodes.map((n) => n.node.name);

/** The bootstrap's status once it stopped (here: failed, no kubeadm); waits for it at most 60 s. */
async function settledStatus(node: string): Promise<string> {
  const deadline = Date.now() + 180_000; // an upper bound: a loaded machine boots slowly
  let status = "";
  while (Date.now() < deadline && !/state=(failed|done)/.test(status)) {
    status = (await sh(node, "cat /var/lib/kubeseed/status 2>/dev/null")).out;
    await new Promise((r) => setTimeout(r, 500));
  }
  return status;
}

describe("first boot of the dev profile under the real cloud-init", () => {
  it("boots from its seed.iso, whose files are the node's cloud-init documents byte for byte", () => {
    for (const node of names()) {
      expect(readdirSync(seeds.get(node)!).sort(), node).toEqual(["meta-data", "network-config", "user-data"]);
      for (const f of readdirSync(seeds.get(node)!)) expect(readFileSync(resolve(seeds.get(node)!, f)).equals(readFileSync(resolve(out, "nodes", node, "cloud-init", f))), `${node} ${f}`).toBe(true);
    }
  });

  it("finishes cloud-init without an error from any module", async () => {
    for (const node of names()) {
      const r = await sh(node, "cloud-init status --long");
      expect(r.out, node).toMatch(/status: done/);
      expect(r.out, node).not.toMatch(/error/i);
    }
  });

  it("sets the hostname and writes /etc/hosts with the node itself and the control planes, not the other workers", async () => {
    for (const n of g.plan.nodes) {
      expect((await sh(n.node.name, "hostname")).out.trim()).toBe(n.node.name);
      const hosts = (await sh(n.node.name, "cat /etc/hosts")).out;
      expect(hosts).toMatch(new RegExp(`^127\\.0\\.1\\.1\\s+${n.node.name}$`, "m"));
      for (const other of g.plan.nodes) {
        const line = new RegExp(`^${other.node.address.replaceAll(".", "\\.")}\\s+${other.node.name}`, "m");
        const listed = other.node.name === n.node.name || other.node.role !== "worker";
        expect(line.test(hosts), `${other.node.name} in ${n.node.name}'s /etc/hosts`).toBe(listed);
      }
    }
  });

  it("creates the admin with the profile's uid, gid, sudo group and authorized key", async () => {
    const a = g.model.admin;
    for (const node of names()) {
      expect((await sh(node, `id ${a.name}`)).out.trim()).toBe(`uid=${a.uid}(${a.name}) gid=${a.gid}(${a.name}) groups=${a.gid}(${a.name}),27(sudo)`);
      expect((await sh(node, `cat /home/${a.name}/.ssh/authorized_keys`)).out).toContain(a.sshKeys[0]);
      // no passwordHash: the password is locked (seed 000's path without a hash), sudo needs none
      expect((await sh(node, `passwd -S ${a.name}`)).out).toMatch(new RegExp(`^${a.name} L `, "m"));
      expect((await sh(node, `sudo -l -U ${a.name}`)).out).toMatch(/NOPASSWD: ALL/);
    }
  });

  it("makes the sshd hardening effective (sshd -T)", async () => {
    const r = await sh(names()[0], "sshd -T");
    for (const line of ["passwordauthentication no", "permitrootlogin no", "allowtcpforwarding yes", "x11forwarding no", "authenticationmethods publickey", "kexalgorithms curve25519-sha256"]) {
      expect(r.out).toContain(line);
    }
  });

  it("places every planned file with its mode and owner, and no key or certificate on the worker", async () => {
    for (const n of g.plan.nodes) {
      const listing = (await sh(n.node.name, `stat -c '%n %a %U:%G' ${n.files.map((f) => f.path).join(" ")}`)).out;
      for (const f of n.files) expect(listing, `${n.node.name} ${f.path}`).toContain(`${f.path} ${f.mode.toString(8)} ${f.owner}`);
    }
    const worker = g.plan.nodes.find((n) => n.node.role === "worker")!.node.name;
    // a token-joined worker holds no PKI file: kubeadm join writes ca.crt from discovery
    expect((await sh(worker, "find /etc/kubernetes -name '*.key' -o -name '*.crt' | wc -l")).out.trim()).toBe("0");
    expect((await sh(worker, "test -f /etc/kubernetes/kubeadm/config.yaml && echo present")).out.trim()).toBe("present");
  });

  it("ends up with every planned file byte for byte as in the output tree: kubeconfigs assembled from the delivered PEMs", async () => {
    for (const n of g.plan.nodes) {
      // the bootstrap assembles first, then stops at its preflight (no kubeadm here)
      expect(await settledStatus(n.node.name), n.node.name).toMatch(/step=preflight/);
      const sums = (await sh(n.node.name, `sha256sum ${n.files.map((f) => f.path).join(" ")}`)).out;
      for (const f of n.files) {
        const want = createHash("sha256").update(readFileSync(resolve(out, "nodes", n.node.name, "files") + f.path)).digest("hex");
        expect(sums, `${n.node.name} ${f.path}`).toContain(`${want}  ${f.path}`);
      }
      expect((await sh(n.node.name, "test -e /var/lib/kubeseed/assemble && echo left || echo gone")).out.trim(), n.node.name).toBe("gone");
    }
    const cp = g.plan.nodes.find((n) => n.node.init)!;
    // the check can fail: the user-data itself carries no kubeconfig, only templates
    expect(readFileSync(resolve(out, "nodes", cp.node.name, "cloud-init/user-data"), "utf8")).not.toMatch(/client-key-data: LS0t/);
    expect(cp.files.some((f) => f.source.kind === "kubeconfig")).toBe(true);
  });

  it("loads the nftables ruleset before the kubelet would start", async () => {
    const r = await sh(names()[0], "systemctl is-active kubeseed-firewall.service && nft list tables");
    expect(r.out).toMatch(/^active/m);
    expect(r.out).toMatch(/table inet kubeseed/);
  });

  it("enables the bootstrap unit, which names the missing kubeadm in its status", async () => {
    for (const node of names()) {
      expect((await sh(node, "systemctl is-enabled kubeseed-bootstrap.service")).out.trim()).toBe("enabled");
      const status = await settledStatus(node);
      expect(status, node).toMatch(/state=failed/);
      expect(status, node).toMatch(/kubeadm/);
    }
  }, 600_000);

  it("runs the renewal timer on the control plane only, whose service waits for the bootstrap to be done", async () => {
    const [cp, worker] = [g.plan.nodes.find((n) => n.node.role === "control-plane")!.node.name, g.plan.nodes.find((n) => n.node.role === "worker")!.node.name];
    expect((await sh(cp, "systemctl is-enabled kubeseed-renew-certs.timer")).out.trim()).toBe("enabled");
    expect((await sh(cp, "systemctl is-active kubeseed-renew-certs.timer")).out.trim()).toBe("active");
    expect((await sh(cp, "systemctl show -p NextElapseUSecRealtime --value kubeseed-renew-certs.timer")).out.trim()).not.toBe("");
    // the bootstrap failed here (no kubeadm), so its done-marker is absent: the service is skipped, the script never runs
    expect((await sh(cp, "systemctl start kubeseed-renew-certs.service; systemctl show -p ConditionResult --value kubeseed-renew-certs.service")).out.trim()).toBe("no");
    expect((await sh(cp, "test -e /var/lib/kubeseed/renewal")).code).not.toBe(0);
    expect((await sh(worker, "systemctl cat kubeseed-renew-certs.timer")).code).not.toBe(0);
  }, 120_000);
});
