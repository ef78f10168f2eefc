/**
 * Semantic rules about addresses and networks (each a named Rule, listed in rules.ts).
 * Guarantees: pure; a rule only looks at values that parse (rule-context.ts), so a malformed
 * address is reported once, by the schema, not again here. Defaults for the pod and service
 * CIDRs come from model/defaults.ts, the one place that decides them.
 */
import { formatPath } from "../core/diagnostics.js";
import { cidrContains, cidrsOverlap, formatIPv4, parseCidr, type Cidr } from "../core/ipv4.js";
import { messages } from "../core/messages.js";
import { DEFAULTS } from "../model/defaults.js";
import type { Finding } from "./locate.js";
import { error, type CidrFact, type IPv4Fact, type Path, type Rule } from "./rule-context.js";
import { IFNAME_MAX, isInterfaceName } from "./syntax.js";

const M = messages.profile;
const NETWORK: Path = ["spec", "network", "cidr"];
const POD: Path = ["spec", "kubernetes", "podCIDR"];
const SERVICE: Path = ["spec", "kubernetes", "serviceCIDR"];
const VIP: Path = ["spec", "controlPlane", "endpoint", "vip"];
const GATEWAY: Path = ["spec", "network", "gateway"];

/** First and last usable host of a block (/31 and /32 have no network or broadcast address). */
function usable(c: Cidr): [string, string] {
  const reserved = c.prefix <= 30 ? 1 : 0;
  return [formatIPv4(c.network + reserved), formatIPv4(c.network + c.size - 1 - reserved)];
}

/** `ip` must be a usable host of the node network. */
function insideNetwork(ip: IPv4Fact, net: CidrFact, outsideCode: string): Finding[] {
  const c = net.cidr;
  const [first, last] = usable(c);
  if (!cidrContains(c, ip.n)) return [error(outsideCode, ip.path, M.outsideNetwork(ip.text, net.text), M.outsideNetworkHint(first, last))];
  if (c.prefix > 30) return [];
  if (ip.n === c.network) return [error("address-reserved", ip.path, M.reservedAddress(ip.text, "network", net.text), M.reservedAddressHint(first, last))];
  if (ip.n === c.network + c.size - 1) return [error("address-reserved", ip.path, M.reservedAddress(ip.text, "broadcast", net.text), M.reservedAddressHint(first, last))];
  return [];
}

/** Every node address is a usable host of spec.network.cidr. */
export const addressesInNetwork: Rule = (ctx) => {
  const net = ctx.cidr(NETWORK);
  return net ? ctx.nodes.flatMap((n) => (n.address ? insideNetwork(n.address, net, "address-outside-network") : [])) : [];
};

/** No two nodes share an address; address and publicAddress are compared across all nodes. */
export const uniqueAddresses: Rule = (ctx) => {
  const seen = new Map<number, Path>();
  const out: Finding[] = [];
  for (const fact of ctx.nodes.flatMap((n) => [n.address, n.publicAddress])) {
    if (!fact) continue;
    const first = seen.get(fact.n);
    if (first) out.push(error("duplicate-address", fact.path, M.duplicateAddress(fact.text, formatPath(first)), M.duplicateAddressHint));
    else seen.set(fact.n, fact.path);
  }
  return out;
};

/** The endpoint VIP is a usable host of the node network that no node owns. */
export const vipInNetwork: Rule = (ctx) => {
  const vip = ctx.ip(VIP);
  if (!vip) return [];
  const net = ctx.cidr(NETWORK);
  const out = net ? insideNetwork(vip, net, "vip-outside-network") : [];
  const owner = ctx.nodes.flatMap((n) => [n.address, n.publicAddress]).find((f) => f?.n === vip.n);
  if (owner) out.push(error("vip-conflict", vip.path, M.vipConflict(vip.text, formatPath(owner.path)), M.vipConflictHint));
  return out;
};

/** The gateway, when given, is a usable host of the node network. */
export const gatewayInNetwork: Rule = (ctx) => {
  const gw = ctx.ip(GATEWAY);
  const net = ctx.cidr(NETWORK);
  return gw && net ? insideNetwork(gw, net, "gateway-outside-network") : [];
};

/** A CIDR is written with its network address (192.168.1.0/24, not 192.168.1.5/24). */
export const cidrsAreNetworks: Rule = (ctx) =>
  [NETWORK, POD, SERVICE].flatMap((path) => {
    const f = ctx.cidr(path);
    if (!f) return [];
    const network = `${formatIPv4(f.cidr.network)}/${f.cidr.prefix}`;
    return network === f.text ? [] : [error("cidr-not-network", path, M.cidrNotNetwork(f.text, network), M.cidrNotNetworkHint(network))];
  });

/** Node, pod and service networks (explicit or default) are pairwise disjoint. */
export const cidrsDisjoint: Rule = (ctx) => {
  const withDefault = (path: Path, fallback?: string): (CidrFact & { explicit: boolean }) | undefined => {
    const explicit = ctx.cidr(path);
    if (explicit) return { ...explicit, explicit: true };
    if (fallback === undefined || ctx.str(path) !== undefined) return undefined; // malformed: the schema reports it
    const cidr = parseCidr(fallback);
    return cidr && { text: fallback, cidr, path, explicit: false };
  };
  const nets = [withDefault(NETWORK), withDefault(POD, DEFAULTS.podCIDR), withDefault(SERVICE, DEFAULTS.serviceCIDR)];
  const out: Finding[] = [];
  for (let i = 0; i < nets.length; i++) {
    for (let j = i + 1; j < nets.length; j++) {
      const a = nets[i];
      const b = nets[j];
      if (!a || !b || !cidrsOverlap(a.cidr, b.cidr)) continue;
      const [at, other] = b.explicit ? [b, a] : [a, b];
      const label = (f: typeof a) => formatPath(f.path) + (f.explicit ? "" : M.defaultSuffix);
      out.push(error("cidr-overlap", at.path, M.cidrOverlap(at.text, label(at), other.text, label(other)), M.cidrOverlapHint));
    }
  }
  return out;
};

const PRIVATE_NIC: Path = ["spec", "network", "interface"];
const PUBLIC_NIC: Path = ["spec", "network", "publicInterface"];
const NODE_PORTS: Path = ["spec", "kubernetes", "nodePortRange"];

/** The DHCP (public) NIC is not the NIC that gets the static private address (a VLAN on it is fine). */
export const distinctInterfaces: Rule = (ctx) => {
  const pub = ctx.strOrDefault(PUBLIC_NIC);
  const priv = ctx.strOrDefault(PRIVATE_NIC);
  if (pub !== priv || ctx.num(["spec", "network", "vlan"]) !== undefined) return [];
  return [error("same-interface", ctx.str(PUBLIC_NIC) ? PUBLIC_NIC : PRIVATE_NIC, M.sameInterface(pub), M.sameInterfaceHint)];
};

/** With a VLAN the private address sits on `NIC.VLAN`, which must fit Linux's 15-character limit too. */
export const vlanInterfaceName: Rule = (ctx) => {
  const vlan = ctx.num(["spec", "network", "vlan"]);
  const nic = ctx.strOrDefault(PRIVATE_NIC);
  if (vlan === undefined || !isInterfaceName(nic) || `${nic}.${vlan}`.length <= IFNAME_MAX) return [];
  const at = ctx.str(PRIVATE_NIC) !== undefined ? PRIVATE_NIC : ["spec", "network", "vlan"];
  return [error("interface-name", at, M.vlanInterfaceTooLong(`${nic}.${vlan}`, IFNAME_MAX), M.vlanInterfaceTooLongHint(IFNAME_MAX - String(vlan).length - 1))];
};

/** The NodePort range is FIRST < LAST within 1–65535 and does not hold an API server port. */
export const nodePortRangeValid: Rule = (ctx) => {
  const text = ctx.str(NODE_PORTS);
  if (!text || !/^\d+-\d+$/.test(text)) return [];
  const [from, to] = text.split("-").map(Number);
  if (!(from >= 1 && to <= 65535 && from < to)) return [error("port-range", NODE_PORTS, M.portRangeOrder(text), M.portRangeOrderHint)];
  const ports = [ctx.numOrDefault(["spec", "controlPlane", "bindPort"]), ctx.num(["spec", "controlPlane", "endpoint", "port"])];
  const clash = ports.find((p) => p !== undefined && p >= from && p <= to);
  return clash === undefined ? [] : [error("port-range", NODE_PORTS, M.portRangeClash(text, clash), M.portRangeClashHint)];
};
