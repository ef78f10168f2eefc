/**
 * The rehearsal cluster's networks on this machine, all made with podman's CLI and labelled
 * io.kubeseed.rehearsal=<cluster> so that cluster-down finds them:
 * - the private node network: a podman bridge without IPAM (`--ipam-driver none`), so that each node's
 *   generated network-config sets its own address on eth1 (or the profile's interface), as on a real
 *   switch. The machine takes one free address of the node network on that bridge: the profile's
 *   gateway when it names one, else the highest free address. From it the operator's kubectl reaches
 *   the endpoint and mirror.sh pushes to the registry host.
 * - the public network, only when the nodes keep a NIC on DHCP (spec.network.publicInterface, eth0 by
 *   default): another bridge without IPAM, on a /24 that no network of the cluster or of this machine
 *   uses, with dnsmasq (DHCP only, no DNS) on the machine's side answering the nodes' DHCP and naming
 *   the machine as their router. Nothing is forwarded or NATed beyond it: the cluster stays air-gapped.
 * A node network that this machine already has on another interface (another rehearsal of a profile
 * with the same CIDR) is refused: the machine's replies would leave by the other interface.
 * Guarantees: idempotent (an existing network, address or dnsmasq is reused); never touches an
 * interface it did not make.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cidrsOverlap, nthAddress, parseCidr } from "../../generator/core/ipv4.js";
import type { ClusterModel } from "../../generator/model/types.js";
import { attempt, must, RehearsalError } from "./proc.js";

export const LABEL = "io.kubeseed.rehearsal";

export interface Networks {
  private: { name: string; bridge: string; hostAddress: string; prefix: number };
  public?: { name: string; bridge: string; hostAddress: string; prefix: number; range: [string, string] };
}

function ensureNetwork(name: string, cluster: string): string {
  if (attempt("podman", ["network", "exists", name]).status !== 0) {
    must("podman", ["network", "create", "--ipam-driver", "none", "--label", `${LABEL}=${cluster}`, name]);
  }
  const info = JSON.parse(must("podman", ["network", "inspect", name])) as { network_interface: string }[];
  return info[0].network_interface;
}

/** Creates the bridge netavark would create, so the machine's address can go on it before any node. */
function ensureBridge(bridge: string, address: string, prefix: number): void {
  if (attempt("ip", ["link", "show", bridge]).status !== 0) must("ip", ["link", "add", bridge, "type", "bridge"]);
  const has = must("ip", ["-o", "-4", "addr", "show", "dev", bridge]);
  if (!has.includes(` ${address}/`)) must("ip", ["addr", "add", `${address}/${prefix}`, "dev", bridge]);
  must("ip", ["link", "set", bridge, "up"]);
}

/** The machine's address on the node network: the gateway, else the highest address nobody uses. */
function hostAddress(model: ClusterModel, taken: string[]): string {
  if (model.network.gateway) return model.network.gateway;
  const net = parseCidr(model.network.cidr)!;
  for (let i = net.size - 2; i > 0; i--) {
    const a = nthAddress(net, i);
    if (!taken.includes(a)) return a;
  }
  throw new RehearsalError(`the node network ${model.network.cidr} has no free address for this machine`);
}

/** The IPv4 networks on this machine's interfaces other than `except` (another rehearsal's bridges, the uplink, …). */
function machineNetworks(except: string[]): { dev: string; cidr: string }[] {
  return must("ip", ["-4", "-o", "addr", "show"])
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 3 && f[2] === "inet" && !except.includes(f[1]) && !f[3].endsWith("/32"))
    .map((f) => ({ dev: f[1], cidr: f[3] }));
}

/** A /24 for the public network that overlaps none of the cluster's networks nor any network of this machine. */
function publicSubnet(model: ClusterModel, except: string[]): string {
  const used = [model.network.cidr, model.kubernetes.podCIDR, model.kubernetes.serviceCIDR, ...machineNetworks(except).map((n) => n.cidr)].map((c) => parseCidr(c)!);
  for (let third = 250; third > 0; third--) {
    const net = `172.31.${third}.0/24`;
    if (!used.some((c) => cidrsOverlap(c, parseCidr(net)!))) return net;
  }
  throw new RehearsalError("no free /24 under 172.31.0.0/16 for the public network");
}

/** Refuses a node network this machine already has elsewhere (another rehearsal, a LAN): replies would go astray. */
function checkFreeNetwork(model: ClusterModel, except: string[]): void {
  const mine = parseCidr(model.network.cidr)!;
  const clash = machineNetworks(except).find((n) => cidrsOverlap(mine, parseCidr(n.cidr)!));
  if (clash) {
    throw new RehearsalError(
      `the node network ${model.network.cidr} overlaps ${clash.cidr} on this machine's ${clash.dev} (another rehearsal cluster, or a network of this machine): remove that one first (scripts/cluster-down.sh NAME), or rehearse with another spec.network.cidr`,
    );
  }
}

export function setUpNetworks(cluster: string, model: ClusterModel, taken: string[], workdir: string): Networks {
  const privName = `ks-${cluster}-private`;
  const pubName = `ks-${cluster}-public`;
  const privBridge = ensureNetwork(privName, cluster);
  const pubBridge = model.network.publicInterface ? ensureNetwork(pubName, cluster) : undefined;
  const ours = [privBridge, ...(pubBridge ? [pubBridge] : [])];
  checkFreeNetwork(model, ours);
  const priv = { name: privName, bridge: privBridge, hostAddress: hostAddress(model, taken), prefix: model.network.prefix };
  ensureBridge(priv.bridge, priv.hostAddress, priv.prefix);
  const nets: Networks = { private: priv };
  if (pubBridge) {
    const existing = machineNetworks([]).find((n) => n.dev === pubBridge);
    const base = (existing?.cidr ?? publicSubnet(model, ours)).split("/")[0].split(".").slice(0, 3).join(".");
    nets.public = { name: pubName, bridge: pubBridge, hostAddress: `${base}.1`, prefix: 24, range: [`${base}.10`, `${base}.250`] };
    ensureBridge(nets.public.bridge, nets.public.hostAddress, 24);
    startDhcp(nets.public, workdir);
  }
  return nets;
}

const pidFile = (workdir: string) => join(workdir, "dnsmasq.pid");

function running(pid: number): boolean {
  return attempt("kill", ["-0", String(pid)]).status === 0;
}

function startDhcp(pub: NonNullable<Networks["public"]>, workdir: string): void {
  const pf = pidFile(workdir);
  if (existsSync(pf) && running(Number(readFileSync(pf, "utf8").trim()))) return;
  must("dnsmasq", [
    "--conf-file=/dev/null",
    `--interface=${pub.bridge}`,
    "--bind-dynamic",
    "--except-interface=lo",
    "--port=0",
    `--dhcp-range=${pub.range[0]},${pub.range[1]},255.255.255.0,12h`,
    `--dhcp-option=option:router,${pub.hostAddress}`,
    `--dhcp-leasefile=${join(workdir, "dnsmasq.leases")}`,
    `--pid-file=${pf}`,
    `--log-facility=${join(workdir, "dnsmasq.log")}`,
    "--log-dhcp",
  ]);
}

/** Stops the DHCP server of a rehearsal (cluster-down). */
export function stopDhcp(workdir: string): void {
  const pf = pidFile(workdir);
  if (!existsSync(pf)) return;
  const pid = Number(readFileSync(pf, "utf8").trim());
  if (pid > 0 && running(pid)) attempt("kill", [String(pid)]);
}

/** Removes every network of the cluster and the bridges under them. */
export function removeNetworks(cluster: string): void {
  const names = must("podman", ["network", "ls", "--filter", `label=${LABEL}=${cluster}`, "--format", "{{.Name}}"]).split("\n").filter(Boolean);
  for (const n of names) {
    const info = JSON.parse(must("podman", ["network", "inspect", n])) as { network_interface: string }[];
    attempt("podman", ["network", "rm", "-f", n]);
    if (info[0]?.network_interface && attempt("ip", ["link", "show", info[0].network_interface]).status === 0) attempt("ip", ["link", "del", info[0].network_interface]);
  }
}

/**
 * Testbed only: kernel settings of this machine that the node containers share and cannot change.
 * - net.netfilter.nf_conntrack_max: kube-proxy sets it to max(32768 × CPUs, 131072) (its
 *   KubeProxyConfiguration defaults, which kubeseed keeps) unless it already holds that value. On a real
 *   node it runs in the machine's own network namespace and can; in a node container the value is the
 *   machine's and read-only, so kube-proxy would exit "permission denied". The machine takes that value.
 * - fs.inotify.max_user_instances / max_user_watches: per user of the machine, and every node's systemd,
 *   kubelet and containerd are root's: five nodes exhaust Debian's 128 instances (the kubelet then exits
 *   "inotify_init: too many open files"). Raised to what one machine per node would have in total.
 */
function wantedSysctls(cpus: number): { key: string; value: number; exact: boolean }[] {
  return [
    { key: "net.netfilter.nf_conntrack_max", value: Math.max(32768 * cpus, 131072), exact: true },
    { key: "fs.inotify.max_user_instances", value: 8192, exact: false },
    { key: "fs.inotify.max_user_watches", value: 524288, exact: false },
  ];
}

const procPath = (key: string) => `/proc/sys/${key.replaceAll(".", "/")}`;

/** Sets the machine's settings the rehearsal needs; returns the values it replaced (cluster-down puts them back). */
export function hostSettings(cpus: number): Record<string, string> {
  const replaced: Record<string, string> = {};
  for (const w of wantedSysctls(cpus)) {
    const now = readFileSync(procPath(w.key), "utf8").trim();
    if (w.exact ? Number(now) === w.value : Number(now) >= w.value) continue;
    must("sysctl", ["-q", "-w", `${w.key}=${w.value}`]);
    replaced[w.key] = now;
  }
  return replaced;
}

/** Puts back the machine's settings when no other rehearsal runs. */
export function restoreHostSettings(replaced: Record<string, string> | undefined): void {
  if (!replaced || !Object.keys(replaced).length) return;
  const others = must("podman", ["ps", "--filter", `label=${LABEL}`, "--format", "{{.Names}}"]).trim();
  if (others) return;
  for (const [key, value] of Object.entries(replaced)) attempt("sysctl", ["-q", "-w", `${key}=${value}`]);
}
