/**
 * The cloud size budget (bundle/budget.ts): documents that fit stay as they are, too-large user-data is
 * gzip-compressed where the cloud takes binary user-data (and the real cloud-init 22.4.2 reads it back),
 * and what still does not fit fails with every node, its largest parts and what would help.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { UserError } from "../../generator/core/errors.js";
import type { CloudId } from "../../generator/model/clouds.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { artifact, exampleProfile, generate } from "../helpers/generate.js";

const onCloud = (p: ProfileInput, cloud: CloudId): ProfileInput => ({ ...p, spec: { ...p.spec, cloud } });
const bytesOf = (g: Awaited<ReturnType<typeof generate>>, path: string) => g.bundle.artifacts.find((a) => a.path === path)!.contents;

/** What the real cloud-init makes of a user-data blob: its parts' content types and texts. */
function cloudInitParts(blob: Uint8Array): { type: string; text: string }[] {
  const file = join(mkdtempSync(join(tmpdir(), "ks-ud-")), "user-data");
  writeFileSync(file, blob);
  const py = `import json,sys
from cloudinit import user_data as ud, util
msg = ud.UserDataProcessor({}).process(open(sys.argv[1],'rb').read())
print(json.dumps([{"type": p.get_content_type(), "text": util.decode_binary(p.get_payload(decode=True))} for p in msg.walk() if p.get_content_maintype() != 'multipart']))`;
  const r = spawnSync("/usr/bin/python3", ["-c", py, file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cloud-init's user-data processor failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe("cloud budgets", () => {
  it("leaves everything plain where it fits (prod on DigitalOcean, which takes no binary user-data)", async () => {
    const g = await generate(onCloud(exampleProfile("prod"), "digitalocean"));
    expect(g.sizes).toHaveLength(6);
    expect(g.sizes.every((s) => !s.compressed && s.counted <= 65_536)).toBe(true);
    expect(typeof bytesOf(g, "nodes/kube-cp-1/cloud-init/user-data")).toBe("string");
  });

  it("gzips the control planes' user-data for Hetzner (32 KiB), and the real cloud-init reads it back whole", async () => {
    // a cloud turns the metadata block on by default: the plain twin has it on explicitly
    const prod = exampleProfile("prod");
    const plain = await generate({ ...prod, spec: { ...prod.spec, host: { ...prod.spec.host, blockMetadata: true } } });
    const g = await generate(onCloud(exampleProfile("prod"), "hetzner"), plain.issue.secrets);
    const cp = g.sizes.find((s) => s.node === "kube-cp-1")!;
    expect(cp).toMatchObject({ compressed: true, limit: 32_768 });
    expect(cp.bytes).toBeLessThanOrEqual(32_768);
    expect(cp.plainBytes).toBeGreaterThan(32_768);
    // workers stay plain: prod's worker user-data fits even AWS's 16 KB uncompressed (issue requirement)
    for (const w of g.sizes.filter((s) => s.node.startsWith("kube-worker"))) expect(w).toMatchObject({ compressed: false });
    const blob = bytesOf(g, "nodes/kube-cp-1/cloud-init/user-data") as Uint8Array;
    expect(Buffer.from(blob).subarray(0, 2).toString("hex")).toBe("1f8b");
    const parts = cloudInitParts(blob);
    expect(parts.map((p) => p.type)).toEqual(["text/cloud-config"]);
    expect(parts[0].text).toBe(gunzipSync(blob).toString("utf8"));
    expect(parts[0].text).toBe(artifact(plain, "nodes/kube-cp-1/cloud-init/user-data"));
  });

  it("fails on AWS with every control plane named, its largest parts and what helps, and prod's workers fit uncompressed", async () => {
    let err: unknown;
    try {
      await generate(onCloud(exampleProfile("prod"), "aws"));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const diags = (err as UserError).diagnostics;
    expect(diags.map((d) => d.message.split(" ")[0])).toEqual(["nodes/kube-cp-1/cloud-init/user-data", "nodes/kube-cp-2/cloud-init/user-data", "nodes/kube-cp-3/cloud-init/user-data"]);
    for (const d of diags) {
      expect(d.message).toMatch(/is \d+ bytes even gzip-compressed, over the AWS EC2 user data \(16,384 bytes raw\)/);
      expect(d.hint).toMatch(/its largest parts: \/\S+ \(\d+ bytes\)/);
      expect(d.hint).toContain("--format iso");
    }
    expect((err as Error).message).toContain("nothing was written");
    const workersOnly = await generate(onCloud({ ...exampleProfile("prod"), spec: { ...exampleProfile("prod").spec, cloud: "none" } }, "none"));
    for (const w of workersOnly.sizes.filter((s) => s.node.startsWith("kube-worker"))) expect(w.bytes).toBeLessThanOrEqual(16_384);
  });
});
