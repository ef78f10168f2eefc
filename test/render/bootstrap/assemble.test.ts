/**
 * The bootstrap's first step for real (bash, coreutils' base64, in a scratch root, as nobody when the
 * suite runs as root): the templates and PEM parts that a cloud-init node's user-data delivers
 * (render/cloud-init/assembly.ts) become the kubeconfigs of the output tree, byte for byte and with their
 * modes, before the preflight; the assembly folder is gone afterwards; a missing part fails the step with
 * a status, and Ignition nodes (no folder) skip it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Generated } from "../../../generator/bundle/generate.js";
import { ASSEMBLY_DIR } from "../../../generator/render/bootstrap/data.js";
import { withAssembly } from "../../../generator/render/cloud-init/assembly.js";
import { PEM_MANIFEST, PEM_PACK, withPemPack } from "../../../generator/render/cloud-init/pem-pack.js";
import type { NodeFile } from "../../../generator/render/node-input.js";
import { artifact, exampleProfile, generate, preIssued } from "../../helpers/generate.js";
import { BASE_TOOLS, handOver, readStatus, runnerOwner, runScript, scratch } from "./support.js";

const TOOLS = [...BASE_TOOLS, "base64", "find", "sort", "dirname", "rm", "chown", "dd"];
let g: Generated;

beforeAll(async () => {
  g = await generate(preIssued(exampleProfile("prod")));
});

/** The node's files as the resolved list cloud-init renders (contents from the tree, embeds from the plan). */
function nodeFiles(node: string): NodeFile[] {
  const n = g.plan.nodes.find((x) => x.node.name === node)!;
  const ca = g.issue.secrets.cas.kubernetes.cert;
  return n.files.map((f) => {
    const contents = artifact(g, `nodes/${node}/files${f.path}`);
    if (f.source.kind !== "kubeconfig") return { path: f.path, mode: f.mode, owner: f.owner, contents };
    const k = g.plan.kubeconfigs.find((x) => x.id === (f.source as { kubeconfigId: string }).kubeconfigId)!;
    const c = g.issue.secrets.certs[k.certId!];
    return { path: f.path, mode: f.mode, owner: f.owner, contents, embeds: [ca, c.cert, c.key] };
  });
}

/** Lays the delivered files into the root as cloud-init's write_files would, but as plain files of the test user. */
function deliver(root: string, files: NodeFile[]): void {
  for (const f of files) {
    const p = join(root, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.binary ?? f.contents);
    chmodSync(p, f.mode);
  }
}

describe("kubeseed-bootstrap assembles the delivered kubeconfigs before anything else", () => {
  it.each(["kube-cp-1", "kube-cp-2"])("%s: every kubeconfig equals the output tree's, with its mode; the folder is gone", (node) => {
    const script = artifact(g, `nodes/${node}/files/usr/local/sbin/kubeseed-bootstrap`);
    const s = scratch(script, TOOLS);
    const files = withAssembly(nodeFiles(node));
    const kubeconfigs = nodeFiles(node).filter((f) => f.embeds);
    expect(kubeconfigs.length).toBeGreaterThanOrEqual(3);
    deliver(s.root, files);
    for (const k of kubeconfigs) expect(existsSync(join(s.root, k.path)), k.path).toBe(false);
    handOver(s.root);
    const r = runScript(s);
    expect(r.out).toMatch(/^\[assemble\] assembling the files/m);
    for (const k of kubeconfigs) {
      expect(readFileSync(join(s.root, k.path), "utf8"), k.path).toBe(artifact(g, `nodes/${node}/files${k.path}`));
      expect(statSync(join(s.root, k.path)).mode & 0o777).toBe(k.mode);
    }
    expect(existsSync(join(s.root, ASSEMBLY_DIR))).toBe(false);
    // the step after it ran: the preflight finds no kubeadm here
    expect(readStatus(s.root)).toMatchObject({ state: "failed", step: "preflight" });
  });

  it("writes back every PEM file of a pack larger than a pipe's buffer, byte for byte, with its mode and owner", () => {
    // 600 more certificates make a pack of over 100 KiB: a reader of one file that stops early must not fail the step
    const node = "kube-cp-1";
    const ca = artifact(g, `nodes/${node}/files/etc/kubernetes/pki/ca.crt`);
    const extra = Array.from({ length: 600 }, (_, i) => ({ path: `/etc/kubeseed-test/${i}.crt`, mode: 0o644, owner: "root:root", contents: ca }));
    const files = [...nodeFiles(node), ...extra];
    // every file (parts of the kubeconfigs too) belongs to the user the script runs as here
    const delivered = withPemPack(withAssembly(files).map((f) => ({ ...f, owner: runnerOwner() })));
    const pack = delivered.find((f) => f.path === PEM_PACK)!;
    expect(pack.binary!.length).toBeGreaterThan(100 * 1024);
    const s = scratch(artifact(g, `nodes/${node}/files/usr/local/sbin/kubeseed-bootstrap`), TOOLS);
    deliver(s.root, delivered);
    handOver(s.root);
    const r = runScript(s);
    expect(readStatus(s.root), r.out).toMatchObject({ state: "failed", step: "preflight" });
    const pems = delivered.find((f) => f.path === PEM_MANIFEST)!.contents.trimEnd().split("\n").map((l) => l.split(" ").at(-1)!);
    expect(pems.length).toBeGreaterThan(600);
    for (const f of files.filter((x) => pems.includes(x.path))) {
      expect(readFileSync(join(s.root, f.path), "utf8"), f.path).toBe(f.contents);
      expect(statSync(join(s.root, f.path)).mode & 0o777, f.path).toBe(f.mode);
    }
  });

  it("fails the assemble step with a status when a part is missing (the step can fail)", () => {
    const node = "kube-cp-2";
    const s = scratch(artifact(g, `nodes/${node}/files/usr/local/sbin/kubeseed-bootstrap`), TOOLS);
    deliver(s.root, withAssembly(nodeFiles(node)).filter((f) => !f.path.endsWith("admin.conf.2.crt")));
    handOver(s.root);
    const r = runScript(s);
    expect(r.code).toBe(1);
    expect(readStatus(s.root)).toMatchObject({ state: "failed", step: "assemble" });
    expect(existsSync(join(s.root, "etc/kubernetes/admin.conf"))).toBe(false);
  });

  it("skips the step where nothing was delivered as a template (Ignition nodes, or a second run)", () => {
    const s = scratch(artifact(g, "nodes/kube-worker-1/files/usr/local/sbin/kubeseed-bootstrap"), TOOLS);
    const r = runScript(s);
    expect(r.out).not.toMatch(/\[assemble\]/);
    expect(readStatus(s.root)).toMatchObject({ state: "failed", step: "preflight" });
  });
});
