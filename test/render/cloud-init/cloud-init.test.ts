import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gunzipSync, gzipSync } from "node:zlib";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Generated } from "../../../generator/bundle/generate.js";
import { ASSEMBLY_DIR } from "../../../generator/render/bootstrap/data.js";
import { expandTemplate } from "../../../generator/render/cloud-init/assembly.js";
import { PEM_MANIFEST, PEM_PACK, unpackPem } from "../../../generator/render/cloud-init/pem-pack.js";
import { artifact, exampleProfile, generate, writeToTemp } from "../../helpers/generate.js";

const profiles = ["dev", "prod", "external-ca", "external-etcd", "ingress"] as const;
const generated = new Map<string, { g: Generated; out: string }>();

beforeAll(async () => {
  for (const p of profiles) {
    const g = await generate(exampleProfile(p));
    generated.set(p, { g, out: await writeToTemp(g) });
  }
});

const nodesOf = (p: string) => generated.get(p)!.g.plan.nodes.map((n) => n.node.name);

describe("user-data against the real cloud-init 22.4.2 schema", () => {
  it.each(profiles)("every node of %s passes `cloud-init schema`", (p) => {
    const { out } = generated.get(p)!;
    for (const node of nodesOf(p)) {
      const r = spawnSync("cloud-init", ["schema", "--config-file", join(out, "nodes", node, "cloud-init/user-data")], { encoding: "utf8" });
      expect(r.status, `${node}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/Valid cloud-config/);
    }
  });

  it("fails on a user-data that breaks the schema (the check can fail)", () => {
    const { out } = generated.get("dev")!;
    const node = nodesOf("dev")[0];
    const text = readFileSync(join(out, "nodes", node, "cloud-init/user-data"), "utf8").replace(/permissions: "0644"/, "permissions: 420");
    const bad = join(mkdtempSync(join(tmpdir(), "ks-ci-")), "user-data");
    writeFileSync(bad, text);
    const r = spawnSync("cloud-init", ["schema", "--config-file", bad], { encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/permissions/);
  });
});

describe("user-data content", () => {
  it.each(profiles)("%s: write_files carries exactly the node's planned files with their modes, kubeconfigs as templates", (p) => {
    const { g } = generated.get(p)!;
    for (const n of g.plan.nodes) {
      const doc = parse(artifact(g, `nodes/${n.node.name}/cloud-init/user-data`));
      const entries = doc.write_files as { path: string; permissions: string; content: string; encoding?: string }[];
      const written = new Map<string, { content: string; permissions: string }>(entries.filter((f) => f.path !== PEM_PACK).map((f) => [f.path, { content: decoded(f), permissions: f.permissions }]));
      // the PEM files travel as one DER pack: unpack it as kubeseed-bootstrap does, then they are files like the rest
      const pack = entries.find((f) => f.path === PEM_PACK);
      const manifest = written.get(PEM_MANIFEST);
      expect(!!pack, `${n.node.name}: a pack exactly when a manifest`).toBe(!!manifest);
      if (pack && manifest) {
        const bytes = gunzipSync(Buffer.from(pack.content, "base64"));
        for (const line of manifest.content.trimEnd().split("\n")) {
          const f = unpackPem(line, bytes);
          expect(written.has(f.path), `${f.path} travels once`).toBe(false);
          written.set(f.path, { content: f.contents, permissions: `0${f.mode.toString(8)}` });
        }
        written.delete(PEM_MANIFEST);
      }
      const direct = n.files.filter((f) => f.source.kind !== "kubeconfig");
      const assembled = n.files.filter((f) => f.source.kind === "kubeconfig");
      for (const f of direct) expect(written.get(f.path), `${n.node.name} ${f.path}`).toEqual({ content: artifact(g, `nodes/${n.node.name}/files${f.path}`), permissions: `0${f.mode.toString(8)}` });
      for (const f of assembled) {
        const template = written.get(`${ASSEMBLY_DIR}/files${f.path}`)!;
        expect(template.permissions).toBe(`0${f.mode.toString(8)}`);
        // a kubeconfig carries no base64 of a PEM itself: only references to files delivered with it
        expect(template.content).not.toMatch(/-data: LS0t/);
        expect(expandTemplate(template.content, (path) => written.get(path)!.content)).toBe(artifact(g, `nodes/${n.node.name}/files${f.path}`));
      }
      const parts = [...written.keys()].filter((k) => k.startsWith(`${ASSEMBLY_DIR}/parts/`));
      expect(written.size).toBe(n.files.length + parts.length);
      for (const part of parts) expect(written.get(part)!.permissions).toBe("0600");
    }
  });

  it("gives workers no CA key and no etcd material; a prod worker fits AWS's 16,384 bytes gzip-compressed", () => {
    const { g } = generated.get("prod")!;
    const worker = g.plan.nodes.find((n) => n.node.role === "worker")!;
    const text = artifact(g, `nodes/${worker.node.name}/cloud-init/user-data`);
    expect(text).not.toMatch(/ca\.key|etcd\/|sa\.key|PRIVATE KEY/);
    // with seed 000's firewall prod's worker is a little over 16 KB as text: for AWS gen gzips the whole document
    expect(gzipSync(text, { level: 9 }).length, "a prod worker's user-data fits AWS's 16,384-byte limit").toBeLessThanOrEqual(16_384);
  });

  it("creates the admin with the seed's name, uid, gid group, sudo and keys, password locked", () => {
    const { g } = generated.get("prod")!;
    const doc = parse(artifact(g, "nodes/kube-cp-1/cloud-init/user-data"));
    const admin = g.model.admin;
    expect(doc.hostname).toBe("kube-cp-1");
    expect(doc.manage_etc_hosts).toBe(false);
    expect(doc.bootcmd[0].join(" ")).toContain(`groupadd --gid ${admin.gid} ${admin.name}`);
    expect(doc.users).toEqual([
      expect.objectContaining({ name: admin.name, uid: admin.uid, primary_group: admin.name, groups: "sudo", lock_passwd: true, ssh_authorized_keys: admin.sshKeys }),
    ]);
  });

  it("seed 000's host details: upgrade, base packages without recommends, nano purged and vim the editor", () => {
    const { g } = generated.get("ingress")!;
    const doc = parse(artifact(g, "nodes/kube-cp-1/cloud-init/user-data"));
    expect(doc).toMatchObject({ package_update: true, package_upgrade: true });
    const install = doc.runcmd.find((c: string[]) => c.includes("--no-install-recommends"));
    expect(install.slice(0, 8)).toEqual(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "--no-install-recommends", "-m", "-y", "-q=1"]);
    expect(install).toEqual(expect.arrayContaining(["policykit-1", "vim", "ntpsec", "jq"]));
    expect(doc.packages).not.toContain("vim");
    const i = (cmd: string) => doc.runcmd.findIndex((c: string[]) => c.join(" ").includes(cmd));
    expect(i("purge -y -q=1 nano")).toBeGreaterThan(doc.runcmd.indexOf(install));
    expect(i("update-alternatives --set editor /usr/bin/vim.basic")).toBeGreaterThan(i("purge -y -q=1 nano"));
    // dev installs no base list and keeps the image's editor; a preinstalled image is not upgraded
    const dev = parse(artifact(generated.get("dev")!.g, `nodes/${nodesOf("dev")[0]}/cloud-init/user-data`));
    expect(dev.package_upgrade).toBe(true);
    expect(dev.runcmd.flat()).not.toContain("--no-install-recommends");
    expect(dev.runcmd.flat()).not.toContain("update-alternatives");
  });

  it("upgrade: false and preinstalled images skip the upgrade; a password hash is set, none locks the password", async () => {
    const p = exampleProfile("dev");
    const hash = "$6$rounds=4096$salt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV";
    const off = await generate({ ...p, spec: { ...p.spec, host: { upgrade: false } } });
    const pre = await generate({ ...p, spec: { ...p.spec, admin: { ...p.spec.admin, passwordHash: hash }, host: { kubernetesPackages: "preinstalled" } } });
    const docOff = parse(artifact(off, "nodes/kube-node-1/cloud-init/user-data"));
    const docPre = parse(artifact(pre, "nodes/kube-node-1/cloud-init/user-data"));
    expect(docOff.package_upgrade).toBeUndefined();
    expect(docPre.package_upgrade).toBeUndefined();
    expect(docPre.package_update).toBeUndefined();
    expect(docPre.users[0]).toMatchObject({ lock_passwd: false, hashed_passwd: hash });
    expect(docPre.users[0].sudo).toBeUndefined();
    expect(docOff.users[0]).toMatchObject({ lock_passwd: true, sudo: "ALL=(ALL) NOPASSWD:ALL" });
  });

  it("starts the bootstrap unit last and without blocking cloud-init", () => {
    const { g } = generated.get("dev")!;
    const doc = parse(artifact(g, `nodes/${nodesOf("dev")[0]}/cloud-init/user-data`));
    expect(doc.runcmd.at(-1)).toEqual(["systemctl", "enable", "--now", "--no-block", "kubeseed-bootstrap.service"]);
  });
});

describe("meta-data and network-config", () => {
  it("derives a stable instance id that changes with the user-data", async () => {
    const { g } = generated.get("dev")!;
    const node = nodesOf("dev")[0];
    const again = await generate(exampleProfile("dev"), g.issue.secrets);
    expect(artifact(again, `nodes/${node}/cloud-init/meta-data`)).toBe(artifact(g, `nodes/${node}/cloud-init/meta-data`));
    const other = exampleProfile("dev");
    other.spec.admin.sshKeys = [...other.spec.admin.sshKeys, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEIQczXkVx9r second"];
    const changed = await generate(other, g.issue.secrets);
    expect(parse(artifact(changed, `nodes/${node}/cloud-init/meta-data`))["instance-id"]).not.toBe(parse(artifact(g, `nodes/${node}/cloud-init/meta-data`))["instance-id"]);
  });

  it.each(["eni", "netplan"])("the real cloud-init renders prod's VLAN address with the %s renderer", (renderer) => {
    const { out } = generated.get("prod")!;
    const dir = mkdtempSync(join(tmpdir(), "ks-net-"));
    execFileSync("cloud-init", ["devel", "net-convert", "-p", join(out, "nodes/kube-cp-2/cloud-init/network-config"), "-k", "yaml", "-d", dir, "-D", "debian", "-O", renderer], { stdio: "pipe" });
    const rendered = readTreeText(dir);
    expect(rendered).toMatch(/192\.168\.1\.12\/24/);
    expect(rendered).toMatch(renderer === "eni" ? /vlan-raw-device eth1/ : /eth1\.100:[\s\S]*id: 100[\s\S]*link: eth1/);
    expect(rendered).toMatch(renderer === "eni" ? /iface eth0 inet dhcp/ : /eth0:\s*\n\s*dhcp4: true/);
  });
});

function decoded(f: { encoding?: string; content: string }): string {
  if (f.encoding === undefined) return f.content;
  expect(f.encoding).toBe("gz+b64");
  return gunzipSync(Buffer.from(f.content, "base64")).toString("utf8");
}

function readTreeText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"))
    .join("\n");
}
