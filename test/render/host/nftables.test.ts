import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { firewallRows, nftPorts } from "../../../generator/render/host/firewall-table.js";
import { FIREWALL_TABLE, renderFirewallUnit, renderNftables } from "../../../generator/render/host/nftables.js";
import { FIREWALL_RULESET } from "../../../generator/plan/host-files.js";
import { topology } from "../../helpers/profiles.js";
import type { ClusterModel } from "../../../generator/model/types.js";
import { DEV as DEV_NO_FIREWALL, HA, model, on, run, tempFiles } from "./topologies.js";

/** the dev topology with seed 000's table on (its profile has none) */
const withFirewall = (m: ClusterModel): ClusterModel => ({ ...m, host: { ...m.host, firewall: "nftables" } });
const DEV = withFirewall(DEV_NO_FIREWALL);

/** The input chain's rule lines of a rendered ruleset. */
function inputRules(text: string): string[] {
  const chain = /chain input \{\n([\s\S]*?)\n\t\}/.exec(text);
  if (!chain) throw new Error("no input chain");
  return chain[1].split("\n").map((l) => l.trim()).slice(1);
}

const check = (text: string) => run("nft", ["-c", "-f", join(tempFiles({ "r.nft": text }), "r.nft")], "nftables");

describe("firewall table (seed 000)", () => {
  it("has seed 000's rows, with flannel's VXLAN on UDP", () => {
    const rows = firewallRows(HA).map((r) => `${r.proto} ${nftPorts(r.ports)} ${r.source} ${r.comment}`);
    expect(rows).toEqual([
      "tcp 22 any SSH",
      "tcp { 6443, 8443 } node-cidr kube-apiserver",
      "tcp 2379-2380 node-cidr etcd",
      "tcp 10257 node-cidr kube-controller-manager",
      "tcp 10259 node-cidr kube-scheduler",
      "tcp 10250 node-cidr kubelet",
      "tcp 10256 node-cidr kube-proxy",
      "udp 8472 node-cidr flannel VXLAN backend",
      "tcp 30001-30099 any NodePort services",
      "tcp 80 any Inbound HTTP",
      "tcp 443 any Inbound HTTPS",
    ]);
  });

  it("opens the API server's port and a different endpoint port", () => {
    const m = withFirewall(model(topology(3, 1, { controlPlane: { bindPort: 6443, endpoint: { host: "api.test.internal", vip: "192.168.1.5", port: 8443 } } })));
    expect(firewallRows(m)[1].ports).toEqual([6443, 8443]);
    expect(renderNftables(on(m, "cp-1"))).toContain('ip saddr 192.168.1.0/24 tcp dport { 6443, 8443 } accept comment "kube-apiserver"');
  });
});

describe("renderNftables", () => {
  it("renders the HA control plane's ruleset (with VRRP)", async () => {
    await expect(renderNftables(on(HA, "cp-1"))).toMatchFileSnapshot("golden/nftables.ha.cp-1.nft");
  });

  it("renders the dev worker's ruleset (no VRRP)", async () => {
    await expect(renderNftables(on(DEV, "worker-1"))).toMatchFileSnapshot("golden/nftables.dev.worker-1.nft");
  });

  it.each([
    ["dev", DEV],
    ["ha", HA],
  ] as const)("%s: every table row is a rule with the right source, after the fixed rules", (_, m) => {
    for (const node of m.nodes) {
      const rules = inputRules(renderNftables(on(m, node.name)));
      expect(rules.slice(0, 6)).toEqual([
        'iif "lo" accept comment "loopback, and this node\'s own addresses"',
        'meta nfproto ipv6 drop comment "IPv6 is blocked: the cluster runs on IPv4"',
        'ct state invalid drop comment "not part of any connection"',
        'ct state established,related accept comment "replies to this node\'s connections"',
        'icmp type echo-request accept comment "ping"',
        `ip saddr ${m.kubernetes.podCIDR} accept comment "pods (pod CIDR)"`,
      ]);
      const rows = firewallRows(m);
      rows.forEach((row, i) => {
        const source = row.source === "any" ? "" : `ip saddr ${m.network.cidr} `;
        expect(rules[6 + i]).toBe(`${source}${row.proto} dport ${nftPorts(row.ports)} accept comment "${row.comment}"`);
      });
      const vrrp = rules.slice(6 + rows.length);
      if (m.loadBalancer !== "none" && node.role === "control-plane") {
        expect(vrrp).toEqual(['ip protocol 112 ip saddr { 192.168.1.11, 192.168.1.12, 192.168.1.13 } accept comment "keepalived VRRP between control planes"']);
      } else expect(vrrp).toEqual([]);
    }
  });

  it("owns only its table: no flush, the input chain drops by default, forwarding untouched", () => {
    const text = renderNftables(on(HA, "cp-2"));
    expect(text).not.toMatch(/flush/);
    expect(text).toMatch(/^table inet kubeseed\ndelete table inet kubeseed\n\ntable inet kubeseed \{$/m);
    expect(text).toMatch(/type filter hook input priority filter; policy drop;/);
    expect(text).not.toMatch(/hook forward/);
    const tables = text.split("\n").filter((l) => /^(delete )?table /.test(l));
    expect(tables).toEqual(["table inet kubeseed", "delete table inet kubeseed", "table inet kubeseed {"]);
  });

  it.each([
    ["dev", DEV],
    ["ha", HA],
  ] as const)("%s: the real nft accepts every node's ruleset (nft -c)", (_, m) => {
    for (const node of m.nodes) {
      const r = check(renderNftables(on(m, node.name)));
      expect(r.status, `${node.name}: ${r.out}`).toBe(0);
    }
  });

  it("the check can fail: nft -c rejects a broken rule", () => {
    const broken = renderNftables(on(HA, "cp-1")).replace("tcp dport 22 accept", "tcp dport 22 acept");
    const r = check(broken);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/acept/);
  });

  it("loads twice in a fresh network namespace and leaves other tables (kube-proxy's) alone", () => {
    const dir = tempFiles({ "r.nft": renderNftables(on(HA, "cp-1")), "kube.nft": "table ip filter {\n\tchain KUBE-FIREWALL {\n\t}\n}\n" });
    const script = `nft -f ${dir}/kube.nft && nft -f ${dir}/r.nft && nft -f ${dir}/r.nft && nft list tables && nft list chain ${FIREWALL_TABLE} input`;
    const r = run("unshare", ["-n", "sh", "-c", script], "util-linux");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/^table ip filter$/m);
    expect(r.out).toMatch(/^table inet kubeseed$/m);
    expect(r.out).toContain('udp dport 8472 accept comment "flannel VXLAN backend"');
    expect(r.out).toContain("policy drop;");
  });
});

describe("renderFirewallUnit", () => {
  it("renders the oneshot unit that loads the ruleset early", async () => {
    const text = renderFirewallUnit();
    await expect(text).toMatchFileSnapshot("golden/kubeseed-firewall.service");
    expect(text).toContain(`ExecStart=/usr/sbin/nft -f ${FIREWALL_RULESET}`);
    expect(text).toMatch(/^Before=network-pre\.target kubelet\.service/m);
    expect(text).toMatch(/^Wants=network-pre\.target$/m);
    expect(text).toMatch(/^RemainAfterExit=yes$/m);
    expect(text).toMatch(/^WantedBy=multi-user\.target$/m);
  });

  it("systemd-analyze verify accepts it without a warning, and rejects a broken one", () => {
    const ok = run("systemd-analyze", ["verify", join(tempFiles({ "kubeseed-firewall.service": renderFirewallUnit() }), "kubeseed-firewall.service")], "systemd");
    expect(ok.status, ok.out).toBe(0);
    expect(ok.out.trim()).toBe("");
    const bad = renderFirewallUnit().replace("/usr/sbin/nft -f", "/usr/sbin/nft-missing -f");
    const r = run("systemd-analyze", ["verify", join(tempFiles({ "kubeseed-firewall.service": bad }), "kubeseed-firewall.service")], "systemd");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/nft-missing/);
  });
});
