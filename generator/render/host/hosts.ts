/**
 * /etc/hosts of one node (seed 000 requirement 7): the loopback names, 127.0.1.1 → the node's own
 * name, the IPv6 loopback lines of the seed, the node's own private address and name, the private
 * addresses and names of the nodes every node talks to — the control planes and etcd members, in
 * profile order —, the API endpoint's DNS name so nodes reach the API without DNS, and the image
 * registry's name when the profile gives its address. Workers are not listed on other nodes: nothing
 * reaches a worker by name (the API server uses the kubelet's InternalIP), so adding or removing a
 * worker changes no other node's file, and the bytes of a cluster grow linearly with its size (every
 * worker listing every worker made 3 + 5,000 nodes write 5,000² lines).
 * Guarantees: pure; one space between columns; ends with a newline; the same on every node except the
 * 127.0.1.1 line and a worker's own line. It does not map public addresses (cluster traffic stays on
 * the private network). The listed nodes' part is made once per model object (models are never
 * changed after buildModel).
 */
import type { ClusterModel } from "../../model/types.js";
import type { NodeRenderInput } from "../node-input.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { controlPlanesOf } from "../../model/roles.js";

/** The IPv6 lines of seed 000 (Debian's defaults). */
const IPV6_LOOPBACK: readonly string[] = [
  "::1 localhost ip6-localhost ip6-loopback",
  "ff02::1 ip6-allnodes",
  "ff02::2 ip6-allrouters",
];

/**
 * The address the endpoint's DNS name resolves to on the nodes: the VIP when there is one; with a
 * single control plane and no VIP, that node (the name can only mean it); otherwise none (several
 * control planes behind an external balancer: the site's DNS decides).
 */
export function endpointAddress(model: ClusterModel): string | undefined {
  if (!model.endpoint.dnsName) return undefined;
  if (model.endpoint.vip) return model.endpoint.vip;
  const cps = controlPlanesOf(model.nodes);
  return cps.length === 1 ? cps[0].address : undefined;
}

/** Everything after the loopback lines and a worker's own line, the same on every node: made once per model. */
const sharedTail = new WeakMap<ClusterModel, string>();

/** Nodes listed on every node: the ones the others talk to. */
const listedEverywhere = (role: string) => role !== "worker";

const LOOPBACK_TAIL = ["", "# The following lines are desirable for IPv6 capable hosts", ...IPV6_LOOPBACK].join("\n") + "\n";

function tailOf(model: ClusterModel): string {
  const known = sharedTail.get(model);
  if (known !== undefined) return known;
  const lines = ["", "# control planes and etcd members (private network)", ...model.nodes.filter((n) => listedEverywhere(n.role)).map((n) => `${n.address} ${n.name}`)];
  const api = endpointAddress(model);
  if (api) lines.push("", "# Kubernetes API endpoint", `${api} ${model.endpoint.dnsName}`);
  if (model.registry.address) lines.push("", "# image registry", `${model.registry.address} ${model.registry.host}`);
  const tail = `${lines.join("\n")}\n`;
  sharedTail.set(model, tail);
  return tail;
}

export function renderHosts(input: NodeRenderInput): string {
  const { node } = input;
  const own = listedEverywhere(node.role) ? "" : `\n# this node (private network)\n${node.address} ${node.name}\n`;
  return `${GENERATED_HEADER}127.0.0.1 localhost\n127.0.1.1 ${node.name}\n${LOOPBACK_TAIL}${own}${tailOf(input.model)}`;
}
