/**
 * The node firewall as DATA (STYLE rule 9): seed 000's "recommended firewall configuration" with the
 * profile's node CIDR, API ports and NodePort range filled in. One row per service; nftables.ts turns
 * the rows into rules and the tests read them back from the rendered text.
 * Guarantees: pure; rows in seed order; ports of a row unique and ascending. It does not decide the
 * fixed rules every ruleset has (loopback, conntrack, ICMP echo, pod CIDR, IPv6): see nftables.ts.
 */
import type { ClusterModel } from "../../model/types.js";

/** One port or an inclusive range. */
export type PortSpec = number | readonly [from: number, to: number];

export interface FirewallRow {
  proto: "tcp" | "udp";
  ports: readonly PortSpec[];
  /** any IPv4 source, or only the private node network */
  source: "any" | "node-cidr";
  /** what listens there; also the nftables rule comment */
  comment: string;
}

const unique = (ports: number[]): number[] => [...new Set(ports)].sort((a, b) => a - b);

export function firewallRows(model: ClusterModel): FirewallRow[] {
  const np = model.kubernetes.nodePortRange;
  return [
    { proto: "tcp", ports: [22], source: "any", comment: "SSH" },
    // the API server's own port and the endpoint's (haproxy's when a VIP balancer listens elsewhere)
    { proto: "tcp", ports: unique([model.bindPort, model.endpoint.port]), source: "node-cidr", comment: "kube-apiserver" },
    { proto: "tcp", ports: [[2379, 2380]], source: "node-cidr", comment: "etcd" },
    { proto: "tcp", ports: [10257], source: "node-cidr", comment: "kube-controller-manager" },
    { proto: "tcp", ports: [10259], source: "node-cidr", comment: "kube-scheduler" },
    { proto: "tcp", ports: [10250], source: "node-cidr", comment: "kubelet" },
    { proto: "tcp", ports: [10256], source: "node-cidr", comment: "kube-proxy" },
    // seed 000 lists TCP 8472, but flannel's VXLAN backend encapsulates in UDP (the Linux VXLAN
    // port 8472): a TCP rule would leave pod-to-pod traffic between nodes dropped
    { proto: "udp", ports: [8472], source: "node-cidr", comment: "flannel VXLAN backend" },
    { proto: "tcp", ports: [np.from === np.to ? np.from : [np.from, np.to]], source: "any", comment: "NodePort services" },
    { proto: "tcp", ports: [80], source: "any", comment: "Inbound HTTP" },
    { proto: "tcp", ports: [443], source: "any", comment: "Inbound HTTPS" },
  ];
}

/** nftables syntax of a row's ports: `22`, `2379-2380`, `{ 6443, 8443 }`. */
export function nftPorts(ports: readonly PortSpec[]): string {
  const one = (p: PortSpec) => (typeof p === "number" ? String(p) : `${p[0]}-${p[1]}`);
  return ports.length === 1 ? one(ports[0]) : `{ ${ports.map(one).join(", ")} }`;
}
