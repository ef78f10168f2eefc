/**
 * The node firewall ruleset (/etc/kubeseed/nftables.nft) and the oneshot unit that loads it before
 * the network and the kubelet come up.
 * The ruleset owns ONE table, `inet kubeseed`, and replaces only that table atomically on every load
 * (`table` + `delete table` + definition in one `nft -f` transaction): it never flushes the ruleset,
 * because kube-proxy's and flannel's iptables-nft rules live in the ip/ip6 `filter` and `nat` tables.
 * Its base chains are `input` (policy drop) and `output` (IPv6 off) with `firewall: nftables`, and
 * `forward` (policy accept) with `blockMetadata`: forwarded pod traffic passes the forward chain only,
 * where one rule drops what pods send to the cloud metadata service (169.254.169.254 serves the
 * instance's user-data: a control plane's CA keys, a worker's bootstrap token); everything else is
 * forwarded as without a firewall, so flannel and kube-proxy keep routing pods. The node itself (cloud-init,
 * host-network pods) still reaches the service through `output`. With `blockMetadata` alone (firewall
 * none) the table holds only the forward chain.
 * Guarantees: pure; rules in a fixed order (fixed rules, then firewallRows, then VRRP); every rule
 * has a comment. It does not open anything a workload needs beyond seed 000's table.
 */
import type { ClusterModel, NodeModel } from "../../model/types.js";
import { FIREWALL_RULESET } from "../../plan/host-files.js";
import type { NodeRenderInput } from "../node-input.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { firewallRows, nftPorts, type FirewallRow } from "./firewall-table.js";
import { isControlPlane, controlPlanesOf } from "../../model/roles.js";

export const FIREWALL_TABLE = "inet kubeseed";
/** The link-local address every cloud kubeseed knows serves instance metadata and user-data on (model/clouds.ts). */
export const METADATA_ADDRESS = "169.254.169.254";

const rule = (match: string, comment: string) => `${match} comment ${JSON.stringify(comment)}`;

function rowRule(row: FirewallRow, model: ClusterModel): string {
  const source = row.source === "node-cidr" ? `ip saddr ${model.network.cidr} ` : "";
  return rule(`${source}${row.proto} dport ${nftPorts(row.ports)} accept`, row.comment);
}

/** keepalived's VRRP (IP protocol 112) from the other control planes, on control planes with a VIP balancer. */
function vrrpRules(model: ClusterModel, node: NodeModel): string[] {
  if (model.loadBalancer === "none" || !isControlPlane(node)) return [];
  const cps = controlPlanesOf(model.nodes).map((n) => n.address);
  return [rule(`ip protocol 112 ip saddr { ${cps.join(", ")} } accept`, "keepalived VRRP between control planes")];
}

function inputRules(input: NodeRenderInput): string[] {
  const { model, node } = input;
  return [
    rule(`iif "lo" accept`, "loopback, and this node's own addresses"),
    rule("meta nfproto ipv6 drop", "IPv6 is blocked: the cluster runs on IPv4"),
    rule("ct state invalid drop", "not part of any connection"),
    rule("ct state established,related accept", "replies to this node's connections"),
    rule("icmp type echo-request accept", "ping"),
    // pods of THIS node reach host-network services (API server, kubelet) from their pod address;
    // pods of other nodes arrive masqueraded by flannel as their node's address (node-cidr rows)
    rule(`ip saddr ${model.kubernetes.podCIDR} accept`, "pods (pod CIDR)"),
    ...firewallRows(model).map((r) => rowRule(r, model)),
    ...vrrpRules(model, node),
  ];
}

const indent = (rules: string[]) => rules.map((r) => `\t\t${r}`).join("\n");

function filterChains(input: NodeRenderInput): string {
  return `\tchain input {
\t\ttype filter hook input priority filter; policy drop;
${indent(inputRules(input))}
\t}

\t# IPv6 off in both directions: local programs fail at once (EPERM) and fall back to IPv4
\tchain output {
\t\ttype filter hook output priority filter; policy accept;
${indent([rule(`meta nfproto ipv6 oif != "lo" drop`, "IPv6 is blocked: the cluster runs on IPv4")])}
\t}`;
}

/** Pods (the pod CIDR) never reach the metadata service; any other forwarded packet passes. */
function forwardChain(model: ClusterModel): string {
  return `\t# forwarded pod traffic: only the cloud metadata service is refused (it serves the node's user-data)
\tchain forward {
\t\ttype filter hook forward priority filter; policy accept;
${indent([rule(`ip saddr ${model.kubernetes.podCIDR} ip daddr ${METADATA_ADDRESS} drop`, "pods may not read the cloud metadata service")])}
\t}`;
}

export function renderNftables(input: NodeRenderInput): string {
  const { model } = input;
  const chains = [...(model.host.firewall === "nftables" ? [filterChains(input)] : []), ...(model.host.blockMetadata ? [forwardChain(model)] : [])];
  const what = model.host.firewall === "nftables" ? "SSH, Kubernetes and NodePorts in, the rest dropped" : "the cloud metadata block only";
  return `${GENERATED_HEADER}# Node firewall of ${input.node.name} (${what}), loaded by kubeseed-firewall.service.
# Replaces only the table ${FIREWALL_TABLE}; kube-proxy's and flannel's tables are left alone.
table ${FIREWALL_TABLE}
delete table ${FIREWALL_TABLE}

table ${FIREWALL_TABLE} {
${chains.join("\n\n")}
}
`;
}

/** kubeseed-firewall.service: loads the ruleset before any network interface is configured. */
export function renderFirewallUnit(): string {
  return `${GENERATED_HEADER}[Unit]
Description=kubeseed node firewall (nftables table ${FIREWALL_TABLE})
Documentation=man:nft(8)
DefaultDependencies=no
Wants=network-pre.target
Before=network-pre.target kubelet.service shutdown.target
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f ${FIREWALL_RULESET}
ExecReload=/usr/sbin/nft -f ${FIREWALL_RULESET}
ExecStop=/usr/sbin/nft delete table ${FIREWALL_TABLE}

[Install]
WantedBy=multi-user.target
`;
}
