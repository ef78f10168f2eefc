import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Generated } from "../../../generator/bundle/generate.js";
import { ASSEMBLY_DIR } from "../../../generator/render/bootstrap/data.js";
import { expandTemplate } from "../../../generator/render/cloud-init/assembly.js";
import { artifact, exampleProfile, generate, writeToTemp } from "../../helpers/generate.js";

const profiles = ["dev", "prod"] as const;
const generated = new Map<string, { g: Generated; out: string }>();

beforeAll(async () => {
  for (const p of profiles) {
    const g = await generate(exampleProfile(p));
    generated.set(p, { g, out: writeToTemp(g) });
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
      const written = new Map<string, { content: string; permissions: string }>(doc.write_files.map((f: { path: string; permissions: string; content: string; encoding?: string }) => [f.path, { content: decoded(f), permissions: f.permissions }]));
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

  it("gives workers no CA key and no etcd material", () => {
    const { g } = generated.get("prod")!;
    const worker = g.plan.nodes.find((n) => n.node.role === "worker")!;
    const text = artifact(g, `nodes/${worker.node.name}/cloud-init/user-data`);
    expect(text).not.toMatch(/ca\.key|etcd\/|sa\.key|PRIVATE KEY/);
    expect(Buffer.byteLength(text), "a prod worker's user-data fits AWS's 16,384-byte limit").toBeLessThanOrEqual(16_384);
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
