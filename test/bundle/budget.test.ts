/**
 * The cloud size budget (bundle/budget.ts, delivery.ts, model/clouds.ts): documents that fit stay text;
 * too-large user-data is gzip-compressed where gzip can reach cloud-init — raw bytes where the cloud takes
 * binary (AWS), base64 text on one line where it takes text that its datasource decodes (Hetzner) — and
 * the real cloud-init 22.4.2 (its own user-data processor and Hetzner helper) reads every form back to the
 * same cloud-config; what still does not fit fails with the nodes named, summarised past ten.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeBundle } from "../../generator/bundle/artifact.js";
import { applyBudget } from "../../generator/bundle/budget.js";
import { UserError } from "../../generator/core/errors.js";
import { CLOUD_IDS, CLOUD_LIMITS, type CloudId } from "../../generator/model/clouds.js";
import type { ClusterModel } from "../../generator/model/types.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { messages } from "../../generator/core/messages.js";
import { exampleProfile, generate, preIssued } from "../helpers/generate.js";

const onCloud = (p: ProfileInput, cloud: CloudId): ProfileInput => ({ ...p, spec: { ...p.spec, cloud } });
const bytesOf = (g: Awaited<ReturnType<typeof generate>>, path: string) => g.bundle.artifacts.find((a) => a.path === path)!.contents;

/** What the real cloud-init makes of an upload: `hetzner` first runs its Hetzner datasource's base64 step. */
function cloudInitReads(blob: string | Uint8Array, hetzner = false): { type: string; text: string }[] {
  const file = join(mkdtempSync(join(tmpdir(), "ks-ud-")), "user-data");
  writeFileSync(file, blob);
  const py = `import json,sys
from cloudinit import user_data as ud, util
from cloudinit.sources.helpers import hetzner
data = open(sys.argv[1],'rb').read()
if sys.argv[2] == "1": data = hetzner.maybe_b64decode(data)
msg = ud.UserDataProcessor({}).process(data)
print(json.dumps([{"type": p.get_content_type(), "text": util.decode_binary(p.get_payload(decode=True))} for p in msg.walk() if p.get_content_maintype() != 'multipart']))`;
  const r = spawnSync("/usr/bin/python3", ["-c", py, file, hetzner ? "1" : "0"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cloud-init's user-data processor failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** path → contents of a cloud-config's write_files, gz+b64 entries decoded: the same files whatever the packing. */
function filesOf(text: string): Map<string, string> {
  const doc = parse(text) as { write_files: { path: string; content: string; encoding?: string }[] };
  return new Map(doc.write_files.map((f) => [f.path, f.encoding === "gz+b64" ? gunzipSync(Buffer.from(f.content, "base64")).toString("utf8") : f.content]));
}

describe("the cloud table", () => {
  it.each(CLOUD_IDS.filter((c) => c !== "none"))("%s names the source of its limit and how to upload", (id) => {
    expect(CLOUD_LIMITS[id].source.length).toBeGreaterThan(20);
    expect(messages.budget.upload[id]).toContain("nodes/NODE/cloud-init/user-data");
  });
});

describe("cloud budgets", () => {
  it("leaves everything text where it fits (prod on DigitalOcean, which takes no gzip)", async () => {
    const g = await generate(onCloud(exampleProfile("prod"), "digitalocean"));
    expect(g.sizes).toHaveLength(6);
    expect(g.sizes.every((s) => s.form === "text" && s.fits && s.counted <= 65_536)).toBe(true);
    expect(typeof bytesOf(g, "nodes/kube-cp-1/cloud-init/user-data")).toBe("string");
  });

  it("every node of prod fits AWS's 16,384 bytes: its control planes carry the CAs, and kubeadm issues their own certificates on the node", async () => {
    const g = await generate(onCloud(exampleProfile("prod"), "aws"));
    for (const s of g.sizes) expect(s.counted, s.node).toBeLessThanOrEqual(16_384);
    const pki = (node: string) => g.bundle.artifacts.filter((a) => a.path.startsWith(`nodes/${node}/files/etc/kubernetes/pki/`)).map((a) => a.path.split("/pki/")[1]).sort();
    expect(pki("kube-cp-1")).toEqual(["ca.crt", "ca.key", "encryption-config.yaml", "etcd/ca.crt", "etcd/ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "sa.key", "sa.pub"]);
    // the same profile with pre-issued control-plane certificates does not fit: the option is what makes it
    await expect(generate(onCloud(preIssued(exampleProfile("prod")), "aws"), g.issue.secrets)).rejects.toThrow(/3 first-boot documents do not fit the AWS EC2 user data/);
  });

  it("writes AWS's upload as gzip bytes that the real cloud-init reads back whole (profiles/aws.yaml's control plane)", async () => {
    // a cloud turns the metadata block on by default (seed-options.md): the text twin has it on explicitly
    const aws = exampleProfile("aws");
    const text = await generate(onCloud({ ...aws, spec: { ...aws.spec, host: { ...aws.spec.host, blockMetadata: true } } }, "none"));
    const g = await generate(exampleProfile("aws"), text.issue.secrets);
    for (const s of g.sizes) expect(s, s.node).toMatchObject({ fits: true, limit: 16_384 });
    for (const s of g.sizes) expect(s.counted, s.node).toBeLessThanOrEqual(16_384);
    for (const w of g.sizes.filter((s) => s.node.startsWith("aws-worker"))) expect(w.form).toBe("text");
    const cp = g.sizes.find((s) => s.node === "aws-cp-1")!;
    expect(cp.form).toBe("gzip");
    const blob = bytesOf(g, "nodes/aws-cp-1/cloud-init/user-data") as Uint8Array;
    expect(Buffer.from(blob).subarray(0, 2).toString("hex")).toBe("1f8b");
    const parts = cloudInitReads(blob);
    expect(parts.map((p) => p.type)).toEqual(["text/cloud-config"]);
    expect(filesOf(parts[0].text)).toEqual(filesOf(text.bundle.artifacts.find((a) => a.path === "nodes/aws-cp-1/cloud-init/user-data")!.contents as string));
  });

  it("writes Hetzner's upload as the base64 text of the gzip, on one line, counted as text, and cloud-init's Hetzner datasource decodes it", async () => {
    const prod = exampleProfile("prod");
    const text = await generate({ ...prod, spec: { ...prod.spec, host: { ...prod.spec.host, blockMetadata: true } } });
    const g = await generate(onCloud(exampleProfile("prod"), "hetzner"), text.issue.secrets);
    const cp = g.sizes.find((s) => s.node === "kube-cp-1")!;
    expect(cp).toMatchObject({ form: "gzip+base64", compressed: true, limit: 32_768, fits: true });
    expect(cp.plainBytes).toBeGreaterThan(32_768);
    const upload = bytesOf(g, "nodes/kube-cp-1/cloud-init/user-data") as string;
    expect(typeof upload).toBe("string");
    expect(upload).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(cp.counted).toBe(upload.length);
    const parts = cloudInitReads(upload, true);
    expect(parts.map((p) => p.type)).toEqual(["text/cloud-config"]);
    expect(filesOf(parts[0].text)).toEqual(filesOf(text.bundle.artifacts.find((a) => a.path === "nodes/kube-cp-1/cloud-init/user-data")!.contents as string));
    // the workers fit as text, which the Hetzner datasource leaves alone
    const worker = bytesOf(g, "nodes/kube-worker-1/cloud-init/user-data") as string;
    expect(cloudInitReads(worker, true)[0].text).toBe(worker);
  });

  it("fails where nothing fits (prod with RSA keys on AWS): every node named, its largest parts and what helps; nothing claims to fit", async () => {
    const p = exampleProfile("prod");
    let err: unknown;
    try {
      await generate(onCloud({ ...p, spec: { ...p.spec, pki: { keyAlgorithm: "rsa-2048" } } }, "aws"));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const diags = (err as UserError).diagnostics;
    expect(diags.map((d) => d.message.split(" ")[0]).sort()).toEqual(["nodes/kube-cp-1/cloud-init/user-data", "nodes/kube-cp-2/cloud-init/user-data", "nodes/kube-cp-3/cloud-init/user-data"]);
    for (const d of diags) {
      expect(d.message).toMatch(/is \d+ bytes even gzip-compressed, over the AWS EC2 user data \(16,384 bytes before base64\)/);
      expect(d.hint).toMatch(/its largest parts: \/\S+ \(\d+ bytes\)/);
      expect(d.hint).toContain("--format iso");
    }
    expect((err as Error).message).toContain("nothing was written");
  });

  it("names ten nodes and sums up the rest in one diagnostic (a 1,000-node cluster prints no 1,000 errors)", () => {
    const big = "#cloud-config\n" + "x".repeat(70_000) + "\n";
    const artifacts = Array.from({ length: 25 }, (_, i) => ({ path: `nodes/worker-${String(i + 1).padStart(2, "0")}/cloud-init/user-data`, mode: 0o600, contents: big, sensitive: true }));
    let err: unknown;
    try {
      applyBudget(makeBundle(artifacts), { cloud: "digitalocean" } as ClusterModel);
    } catch (e) {
      err = e;
    }
    const diags = (err as UserError).diagnostics;
    expect(diags).toHaveLength(11);
    expect(diags[10].message).toMatch(/^and 15 more nodes over the DigitalOcean user_data \(64 KiB, plain text only\) \(the largest of them 70015 bytes\): worker-11, worker-12, .*, …$/);
    expect((err as Error).message).toBe("25 first-boot documents do not fit the DigitalOcean user_data (64 KiB, plain text only); nothing was written");
  });
});
