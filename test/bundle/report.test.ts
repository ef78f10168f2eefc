/**
 * report.json / REPORT.md against the bundle itself: for every secret and certificate, the holders the
 * report names (read from the plan) are exactly the places whose bytes contain that material
 * (PEM, or base64 of the PEM inside kubeconfigs), so no secret is reported on a node that does not
 * hold it, and none is held where the report does not say so.
 */
import { describe, expect, it } from "vitest";
import type { Generated } from "../../generator/bundle/generate.js";
import { OPERATOR, type Report } from "../../generator/bundle/report.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { artifact, exampleProfile, generate, preIssued } from "../helpers/generate.js";

/** holder → the concatenated text of its files (node trees; the operator's files except reports and boot documents) */
function texts(g: Generated): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of g.bundle.artifacts) {
    if (typeof a.contents !== "string" || /^(report\.json|REPORT\.md)$/.test(a.path)) continue;
    const node = /^nodes\/([^/]+)\/files\//.exec(a.path)?.[1];
    if (!node && a.path.startsWith("nodes/")) continue;
    const holder = node ?? OPERATOR;
    m.set(holder, (m.get(holder) ?? "") + a.contents + "\n");
  }
  return m;
}

function materialOf(g: Generated, name: string): string {
  const s = g.issue.secrets;
  const ca = /^(\S+) CA private key$/.exec(name);
  if (ca) return s.cas[ca[1] as "kubernetes"]!.key!;
  if (name.startsWith("service-account")) return s.serviceAccount.key;
  if (name.startsWith("encryption-at-rest")) return s.encryptionKey;
  if (name === "bootstrap token") return s.bootstrapToken.split(".")[1];
  throw new Error(`no material for ${name}`);
}

const holdersOf = (t: Map<string, string>, needles: string[]) => [...t.entries()].filter(([, text]) => needles.some((n) => text.includes(n))).map(([h]) => h).sort();
const sortHolders = (h: string[]) => [...h].sort();

const CASES: [string, () => ProfileInput][] = [
  ["prod", () => exampleProfile("prod")],
  ["prod with pre-issued control-plane certificates", () => preIssued(exampleProfile("prod"))],
  ["prod-airgap with pre-issued workers", () => ({ ...exampleProfile("prod-airgap"), spec: { ...exampleProfile("prod-airgap").spec, pki: { workerKubelet: "pre-issued" } } })],
];

describe.each(CASES)("report of %s", (_, profile) => {
  it("names exactly the holders of every secret and certificate", async () => {
    const g = await generate(profile());
    const report = JSON.parse(artifact(g, "report.json")) as Report;
    const t = texts(g);
    expect(report.secrets.map((s) => s.name)).toEqual(expect.arrayContaining(["bootstrap token", "kubernetes CA private key", "service-account signing key (sa.key)", "encryption-at-rest key (encryption-config.yaml)"]));
    for (const s of report.secrets) expect(sortHolders(s.holders), s.name).toEqual(holdersOf(t, [materialOf(g, s.name)]));
    // every leaf private key of the secrets file is held somewhere the report names for its certificate
    for (const c of report.certificates) {
      const pem = c.id.startsWith("ca/") ? g.issue.secrets.cas[c.id.slice(3) as "kubernetes"]!.cert : g.issue.secrets.certs[c.id].cert;
      expect(sortHolders(c.holders), c.id).toEqual(holdersOf(t, [pem, Buffer.from(pem).toString("base64")]));
      expect(c.notAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(report.certificates.length).toBe(Object.keys(g.issue.secrets.certs).length + Object.keys(g.issue.secrets.cas).length);
    // nodes: one row per node, the sizes of the bundle's documents
    expect(report.nodes.map((n) => n.name)).toEqual(g.model.nodes.map((n) => n.name));
    for (const n of report.nodes) expect(n.bytes).toBe(Buffer.byteLength(artifact(g, n.document)));
    const md = artifact(g, "REPORT.md");
    for (const n of report.nodes) expect(md).toContain(`| ${n.name} |`);
    expect(md).toContain(`Kubernetes ${g.model.kubernetes.version.full}`);
  });
});

it("no worker holds a CA key, the sa key or the encryption key (least privilege, as the report says)", async () => {
  const g = await generate(exampleProfile("prod"));
  const report = JSON.parse(artifact(g, "report.json")) as Report;
  for (const s of report.secrets.filter((x) => x.name !== "bootstrap token")) expect(s.holders.filter((h) => h.startsWith("kube-worker"))).toEqual([]);
});

describe("next steps of the seed options", () => {
  const next = async (name: string) => (JSON.parse(artifact(await generate(exampleProfile(name)), "report.json")) as Report).next;

  it.each([
    ["prod", /the admin administrator has no password \(spec\.admin\.passwordHash is not set\): it is locked, sudo needs none/],
    ["ingress", /install load-balancer\/haproxy\.cfg on the load balancer host .* NodePorts 30080\/30043/],
    ["external-etcd", /boot the etcd members kube-etcd-1, kube-etcd-2, kube-etcd-3 with or before kube-cp-1/],
    ["external-ca", /external-CA mode: no node holds a CA key; before certificates expire re-run gen/],
  ])("%s", async (name, line) => {
    expect((await next(name)).some((l) => line.test(l))).toBe(true);
  });

  it("a password hash is said to be set, never shown", async () => {
    const p = exampleProfile("dev");
    const hash = "$6$salt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV";
    const g = await generate({ ...p, spec: { ...p.spec, admin: { ...p.spec.admin, passwordHash: hash } } });
    expect(artifact(g, "REPORT.md")).toMatch(/gets the password of spec\.admin\.passwordHash/);
    expect(artifact(g, "REPORT.md")).not.toContain(hash);
  });
});
