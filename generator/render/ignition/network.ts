/**
 * The node's network as the OS's own mechanism configures it, with the same meaning as cloud-init's
 * network-config (render/cloud-init/network-config.ts): the private NIC (or its VLAN) gets the static
 * address, the default route goes via the private gateway only when there is no public NIC, the public
 * NIC stays on DHCP, and the private NIC itself gets no address when the VLAN carries it.
 * Fedora CoreOS: NetworkManager keyfiles in /etc/NetworkManager/system-connections (0600: NetworkManager
 * ignores keyfiles that others can read). Flatcar: systemd-networkd files in /etc/systemd/network, named
 * 10-… so they sort before Flatcar's catch-all zz-default.network.
 * Guarantees: pure; files in a fixed order; every file ends with a newline.
 */
import { nodeCidr, type NodeRenderInput } from "../node-input.js";
import { privateInterfaceName } from "../cloud-init/network-config.js";
import type { IgnitionOs } from "./os.js";
import { IGNITION_OS } from "./os.js";
import { GENERATED_HEADER } from "../../core/generated.js";

export interface ExtraFile {
  path: string;
  mode: number;
  contents: string;
  /** the OS image may hold this path already */
  overwrite: boolean;
}

const HEADER = GENERATED_HEADER;
const ini = (sections: [string, [string, string][]][]) =>
  HEADER + sections.map(([name, keys]) => `[${name}]\n${keys.map(([k, v]) => `${k}=${v}`).join("\n")}\n`).join("\n");

function keyfile(name: string, type: string, extra: [string, [string, string][]][], ipv4: [string, string][]): ExtraFile {
  const contents = ini([["connection", [["id", name], ["type", type], ["interface-name", name]]], ...extra, ["ipv4", ipv4], ["ipv6", [["method", "disabled"]]]]);
  return { path: `/etc/NetworkManager/system-connections/${name}.nmconnection`, mode: 0o600, contents, overwrite: true };
}

function networkManager(input: NodeRenderInput): ExtraFile[] {
  const net = input.model.network;
  // address1=ADDRESS/PREFIX[,GATEWAY]: NetworkManager's keyfile form of an address with its gateway
  const gateway = net.gateway && !net.publicInterface ? `,${net.gateway}` : "";
  const privateIpv4: [string, string][] = [["method", "manual"], ["address1", `${nodeCidr(input)}${gateway}`]];
  const files: ExtraFile[] = [];
  if (net.publicInterface) files.push(keyfile(net.publicInterface, "ethernet", [], [["method", "auto"]]));
  if (net.vlan === undefined) {
    files.push(keyfile(net.interface, "ethernet", [], privateIpv4));
  } else {
    if (net.interface !== net.publicInterface) files.push(keyfile(net.interface, "ethernet", [], [["method", "disabled"]]));
    files.push(keyfile(privateInterfaceName(input), "vlan", [["vlan", [["parent", net.interface], ["id", String(net.vlan)]]]], privateIpv4));
  }
  return files;
}

const networkdFile = (name: string, contents: string): ExtraFile => ({ path: `/etc/systemd/network/${name}`, mode: 0o644, contents, overwrite: false });

function networkd(input: NodeRenderInput): ExtraFile[] {
  const net = input.model.network;
  const vlanName = privateInterfaceName(input);
  const address: [string, string][] = [["Address", nodeCidr(input)]];
  if (net.gateway && !net.publicInterface) address.push(["Gateway", net.gateway]);
  const files: ExtraFile[] = [];
  if (net.publicInterface) {
    const vlanOnPublic: [string, string][] = net.vlan !== undefined && net.interface === net.publicInterface ? [["VLAN", vlanName]] : [];
    files.push(networkdFile(`10-${net.publicInterface}.network`, ini([["Match", [["Name", net.publicInterface]]], ["Network", [["DHCP", "ipv4"], ...vlanOnPublic]]])));
  }
  if (net.vlan === undefined) {
    files.push(networkdFile(`10-${net.interface}.network`, ini([["Match", [["Name", net.interface]]], ["Network", [["DHCP", "no"], ["LinkLocalAddressing", "no"], ...address]]])));
    return files;
  }
  if (net.interface !== net.publicInterface) {
    files.push(networkdFile(`10-${net.interface}.network`, ini([["Match", [["Name", net.interface]]], ["Network", [["DHCP", "no"], ["LinkLocalAddressing", "no"], ["VLAN", vlanName]]]])));
  }
  files.push(networkdFile(`10-${vlanName}.netdev`, ini([["NetDev", [["Name", vlanName], ["Kind", "vlan"]]], ["VLAN", [["Id", String(net.vlan)]]]])));
  files.push(networkdFile(`10-${vlanName}.network`, ini([["Match", [["Name", vlanName]]], ["Network", [["DHCP", "no"], ["LinkLocalAddressing", "no"], ...address]]])));
  return files;
}

export function networkFiles(input: NodeRenderInput, os: IgnitionOs): ExtraFile[] {
  return IGNITION_OS[os].network === "networkmanager" ? networkManager(input) : networkd(input);
}
