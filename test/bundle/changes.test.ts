/**
 * What a re-render changes (bundle/changes.ts), on the prod profile (3 control planes behind a VIP with
 * keepalived + haproxy, 3 workers): each case generates once, then again from the first run's secrets
 * and output (its manifest.json, as io/previous-output.ts reads it back), and compares.
 * - adding a worker changes nothing on the nodes that exist (no node lists the workers); adding a
 *   control plane changes only what must change: /etc/hosts, and haproxy's and keepalived's peer lists
 *   on the control planes (and their first-boot documents, which carry them), with the command to run
 *   after pushing;
 * - removing a control plane gives the kubectl drain/delete, kubeadm reset and etcdctl member remove
 *   steps, and its certificates leave the secrets file;
 * - a rerun that changes nothing gives a byte-identical bundle (the change section is carried over);
 * - a certificate re-issued only for expiry is "renewed" by the nodes themselves, not pushed.
 */
import { messages } from "../../generator/core/messages.js";
import { describe, expect, it } from "vitest";
import { generateCluster, type Generated, type PreviousOutput } from "../../generator/bundle/generate.js";
import { changeSections } from "../../generator/bundle/changes-text.js";
import { hasChanges } from "../../generator/bundle/changes.js";
import { parseManifest } from "../../generator/bundle/manifest.js";
import { fixedClock, systemRandom } from "../../generator/core/clock.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { artifact, exampleProfile, preIssued } from "../helpers/generate.js";

const T0 = Date.parse("2026-11-01T12:00:00Z");
const HOUR = 3600 * 1000;

const run = (profile: ProfileInput, before?: Generated, hoursLater = 1) =>
  generateCluster(profile, before?.issue.secrets, { clock: fixedClock(new Date(T0 + (before ? hoursLater : 0) * HOUR).toISOString()), random: systemRandom, keys: defaultKeyFactory }, { previous: before && previousOf(before) });

function previousOf(g: Generated): PreviousOutput {
  const m = parseManifest(artifact(g, "manifest.json"))!;
  return { files: m.files, changes: m.changes };
}

function withNodes(p: ProfileInput, nodes: ProfileInput["spec"]["nodes"]): ProfileInput {
  return { ...p, spec: { ...p.spec, nodes } };
}

/** node → its changed on-node files (the node tree only), for the nodes that existed before */
const existing = (g: Generated) => Object.fromEntries(g.changes.nodes.filter((n) => n.status === "changed").map((n) => [n.node, n.files.filter((f) => f.path.startsWith("/")).map((f) => f.path).sort()]));

describe("changes since the previous output", () => {
  const prod = exampleProfile("prod");

  it("the first generation has nothing to compare with, and says the secrets were created", async () => {
    const g = await run(prod);
    expect(g.changes).toMatchObject({ compared: false, nodes: [], operator: [], secretsCreated: true });
    expect(hasChanges(g.changes)).toBe(true);
    expect(artifact(g, "REPORT.md")).toMatch(/## Changed since the previous output\n\nfirst generation: there was no previous output to compare with\./);
  });

  it("a rerun that changes nothing is byte for byte the same, change section included", async () => {
    const first = await run(prod);
    const again = await run(prod, first);
    expect(hasChanges(again.changes)).toBe(false);
    expect(again.bundle).toEqual(first.bundle);
  });

  it("adding a worker: nothing changes on the existing nodes; the new node joins with the token while it may still live", async () => {
    const before = withNodes(prod, prod.spec.nodes.slice(0, -1));
    const first = await run(before);
    const g = await run(prod, first);
    expect(g.changes.nodes.filter((n) => n.status === "added").map((n) => n.node)).toEqual(["kube-worker-3"]);
    expect(existing(g)).toEqual({});
    expect(g.changes.certificates).toEqual([]);
    expect(g.model.join.method).toBe("token");
    const sections = changeSections(g.changes, (n) => ({ document: `nodes/${n}/cloud-init/user-data`, join: "token" }), "kube-cp-1");
    expect(sections.map((s) => s.title)).toEqual(["Nodes added", "CAs and secrets"]);
  });

  it("adding a control plane: hosts everywhere, haproxy and keepalived peers and the firewall's VRRP peers on the control planes, with their reloads", async () => {
    const nodes = [...prod.spec.nodes.slice(0, 3), { name: "kube-cp-4", role: "control-plane" as const, address: "192.168.1.14" }, { name: "kube-cp-5", role: "control-plane" as const, address: "192.168.1.15" }, ...prod.spec.nodes.slice(3)];
    const first = await run(prod);
    const g = await run(withNodes(prod, nodes), first);
    const changed = existing(g);
    // prod's firewall (seed 000) lets VRRP in from the other control planes only: their list grew
    for (const cp of ["kube-cp-1", "kube-cp-2", "kube-cp-3"]) expect(changed[cp], cp).toEqual(["/etc/haproxy/haproxy.cfg", "/etc/hosts", "/etc/keepalived/keepalived.conf", "/etc/kubeseed/nftables.nft"]);
    for (const w of ["kube-worker-1", "kube-worker-2", "kube-worker-3"]) expect(changed[w], w).toEqual(["/etc/hosts"]);
    const files = g.changes.nodes.find((n) => n.node === "kube-cp-2")!.files;
    expect(files.find((f) => f.path === "/etc/haproxy/haproxy.cfg")).toMatchObject({ kind: "push", then: "systemctl reload haproxy" });
    expect(files.find((f) => f.path === "/etc/keepalived/keepalived.conf")).toMatchObject({ kind: "push", then: "systemctl reload keepalived" });
    expect(files.find((f) => f.path === "/etc/kubeseed/nftables.nft")).toMatchObject({ kind: "push", then: messages.changes.then.restartFirewall });
    expect(g.changes.certificates.filter((c) => c.change !== "issued")).toEqual([]);
  });

  it("removing a control plane: drain, reset or etcdctl member remove, delete; its certificates leave the secrets file", async () => {
    const pre = preIssued(prod);
    const first = await run(pre);
    const g = await run(withNodes(pre, pre.spec.nodes.filter((n) => n.name !== "kube-cp-3")), first);
    const removed = g.changes.nodes.find((n) => n.status === "removed")!;
    expect(removed).toMatchObject({ node: "kube-cp-3", role: "control-plane" });
    expect(g.changes.certificates.filter((c) => c.change === "dropped").map((c) => c.id)).toEqual(expect.arrayContaining(["node/kube-cp-3/apiserver", "node/kube-cp-3/etcd-peer"]));
    expect(Object.keys(g.issue.secrets.certs).some((id) => id.startsWith("node/kube-cp-3/"))).toBe(false);
    const report = artifact(g, "REPORT.md");
    expect(report).toContain("kubectl --kubeconfig kubeconfigs/admin.conf drain kube-cp-3 --ignore-daemonsets --delete-emptydir-data");
    expect(report).toContain("on kube-cp-3, if it still runs: kubeadm reset -f");
    expect(report).toMatch(/exec etcd-kube-cp-1 -- etcdctl .* member list, then the same with member remove <the ID of kube-cp-3>/);
    expect(report).toContain("kubectl --kubeconfig kubeconfigs/admin.conf delete node kube-cp-3");
  });

  it("a removed control plane whose certificates kubeadm issued on it is still named a control plane", async () => {
    expect(prod.spec.pki?.controlPlaneCertificates).toBe("on-node");
    const first = await run(prod);
    const g = await run(withNodes(prod, prod.spec.nodes.filter((n) => n.name !== "kube-cp-3")), first);
    expect(g.changes.nodes.find((n) => n.status === "removed")).toMatchObject({ node: "kube-cp-3", role: "control-plane" });
    expect(artifact(g, "REPORT.md")).toContain("on kube-cp-3, if it still runs: kubeadm reset -f");
  });

  it("switching a running cluster to certificates issued on the nodes pushes and deletes nothing: the nodes keep theirs", async () => {
    const first = await run(preIssued(prod));
    const g = await run(prod, first);
    const cp2 = g.changes.nodes.find((n) => n.node === "kube-cp-2")!.files;
    const left = cp2.filter((f) => f.path.startsWith("/"));
    expect(left.map((f) => f.path)).toEqual(expect.arrayContaining(["/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/pki/apiserver.key", "/etc/kubernetes/admin.conf", "/etc/kubernetes/scheduler.conf"]));
    expect(left.filter((f) => f.kind !== "kubeadm-issued")).toEqual([]);
    const text = changeSections(g.changes, () => ({ document: "", join: "token" })).map((x) => x.title);
    expect(text).toContain(messages.changes.sections.kubeadmIssued);
    expect(text).not.toContain(messages.changes.sections.push);
  });

  it("a certificate re-issued only because it expires soon is left to the nodes' own renewal", async () => {
    const pre = preIssued(prod);
    const first = await run(pre);
    const g = await run(pre, first, (365 - 20) * 24);
    const apiserver = g.changes.nodes.find((n) => n.node === "kube-cp-2")!.files.find((f) => f.path === "/etc/kubernetes/pki/apiserver.crt")!;
    expect(apiserver).toMatchObject({ change: "changed", kind: "renewed" });
    expect(g.changes.certificates.find((c) => c.id === "node/kube-cp-2/apiserver")).toMatchObject({ change: "reissued", reason: "expiry" });
  });
});

describe("late joiners", () => {
  const prod = exampleProfile("prod");

  it("once the token may have expired, a node added then carries its own credential and no token; the report says so", async () => {
    const first = await run(withNodes(prod, prod.spec.nodes.slice(0, -1)));
    const g = await run(prod, first, 25);
    expect(g.model.join).toEqual({ method: "credential", tokenExpiredAt: new Date(T0 - 5 * 60 * 1000 + 5 * 60 * 1000 + 24 * HOUR).toISOString() });
    const config = artifact(g, "nodes/kube-worker-3/files/etc/kubernetes/kubeadm/config.yaml");
    expect(config).toContain("kubeConfigPath: /etc/kubernetes/kubeadm/discovery.conf");
    expect(config).not.toContain(g.issue.secrets.bootstrapToken.split(".")[1]);
    const tree = g.bundle.artifacts.filter((a) => a.path.startsWith("nodes/kube-worker-3/files/etc/kubernetes/")).map((a) => a.path.slice("nodes/kube-worker-3/files".length));
    expect(tree.sort()).toEqual(["/etc/kubernetes/kubeadm/config.yaml", "/etc/kubernetes/kubeadm/discovery.conf"]);
    expect(g.issue.reasons["node/kube-worker-3/discovery"]).toMatchObject({ reason: "new" });
    expect(g.bundle.artifacts.some((a) => a.path === "nodes/kube-cp-1/files/etc/kubernetes/kubeadm/discovery.conf")).toBe(false);
    expect(artifact(g, "REPORT.md")).toMatch(/kube-worker-3 \(worker\): boot it with nodes\/kube-worker-3\/cloud-init\/user-data; it joins with its own pre-issued credential/);
    // the nodes that were there: their first-boot files switch too, and are classified as first-boot only
    const w1 = g.changes.nodes.find((n) => n.node === "kube-worker-1")!.files;
    expect(w1.filter((f) => f.kind === "first-boot").map((f) => f.path).sort()).toEqual(["/etc/kubernetes/kubeadm/config.yaml", "/etc/kubernetes/kubeadm/discovery.conf", "/usr/local/sbin/kubeseed-bootstrap"]);
  });

  it("before the token's TTL has passed nothing switches; a TTL of 0 (a token that never expires) never switches", async () => {
    const first = await run(prod);
    expect((await run(prod, first, 23)).model.join.method).toBe("token");
    const forever = { ...prod, spec: { ...prod.spec, pki: { bootstrapTokenTTL: "0h" } } };
    const f = await run(forever);
    expect((await run(forever, f, 24 * 400)).model.join.method).toBe("token");
  });
});
