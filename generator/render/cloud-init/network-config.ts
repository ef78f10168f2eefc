/**
 * NoCloud `network-config`, version 2, in the subset cloud-init 22.4.2 renders correctly
 * (docs/sources.md#network-config-v2): no top-level `network:` key, static address on the private
 * NIC (or on its VLAN), the public NIC left on DHCP, a default route written as `to: 0.0.0.0/0`
 * (`to: default` crashes the eni and networkd renderers of 22.4.2), and no `match`/`set-name`.
 * Known limit of 22.4.2: its networkd renderer does not create VLAN devices; Debian 12 images that use
 * ifupdown (eni renderer) or netplan do. Guarantees: pure; same model → same bytes.
 */
import { nodeCidr, type NodeRenderInput } from "../node-input.js";
import { toYaml } from "../yaml.js";
import { GENERATED_HEADER } from "../../core/generated.js";

/** Name of the interface that carries the private address: `eth1` or `eth1.100` with a VLAN. */
export function privateInterfaceName(input: NodeRenderInput): string {
  const n = input.model.network;
  return n.vlan === undefined ? n.interface : `${n.interface}.${n.vlan}`;
}

export function renderNetworkConfig(input: NodeRenderInput): string {
  const net = input.model.network;
  const address = nodeCidr(input);
  const privateNic: Record<string, unknown> = { addresses: [address] };
  // the private network gets the default route only when there is no public NIC to take DHCP's
  if (net.gateway && !net.publicInterface) privateNic.routes = [{ to: "0.0.0.0/0", via: net.gateway }];
  const ethernets: Record<string, unknown> = {};
  if (net.publicInterface) ethernets[net.publicInterface] = { dhcp4: true };
  const doc: Record<string, unknown> = { version: 2, ethernets };
  if (net.vlan === undefined) {
    ethernets[net.interface] = { dhcp4: false, ...privateNic };
  } else {
    if (!ethernets[net.interface]) ethernets[net.interface] = { dhcp4: false };
    doc.vlans = { [privateInterfaceName(input)]: { id: net.vlan, link: net.interface, dhcp4: false, ...privateNic } };
  }
  return GENERATED_HEADER + toYaml(doc);
}
