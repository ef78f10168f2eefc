/**
 * The cloud metadata block of the node firewall table, proven with the real nft and the kernel's
 * forwarding in network namespaces (run as root):
 * - "pod": a veth with a pod address (10.244.1.5, inside the profile's pod CIDR), default route via
 *   the node, as flannel's cni0 gives a pod;
 * - "node": the node's side of the pod veth and an uplink veth, IPv4 forwarding on, and the node's
 *   generated /etc/kubeseed/nftables.nft loaded with `nft -f` (as kubeseed-firewall.service does);
 * - "cloud": the far end of the uplink holding 169.254.169.254 (the metadata service) and 203.0.113.10
 *   (any other service), each served by Python's http.server.
 * Then the pod reaches 203.0.113.10 but not 169.254.169.254, while the node itself reaches both; before
 * the ruleset is loaded the pod reaches the metadata address too (so the test can fail). Checked for
 * prod on a cloud (seed 000's table plus the block) and for a profile without firewall (the block alone).
 * What this does not show: a pod of a real cluster (the rehearsal cluster checks that).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifact, exampleProfile, generate } from "../helpers/generate.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { Daemons, run, waitFor } from "./support/proc.js";

const tag = `${process.pid % 100000}`;
const NS = { pod: `kspod${tag}`, node: `ksnode${tag}`, cloud: `kscloud${tag}` };
const METADATA = "169.254.169.254";
const OTHER = "203.0.113.10";
const daemons = new Daemons();
let work: string;

const inNs = (ns: string, cmd: string, ...args: string[]) => run("ip", ["netns", "exec", ns, cmd, ...args], { timeoutMs: 20_000 });
const sh = (ns: string, script: string) => {
  const r = inNs(ns, "sh", "-euc", script);
  if (r.status !== 0) throw new Error(`${ns}: ${script}\n${r.out}`);
};
/** an HTTP GET from a namespace, bounded to 3 s: the exit status (0 = answered, 28 = timed out) */
const get = (ns: string, address: string) => inNs(ns, "curl", "--silent", "--output", "/dev/null", "--max-time", "3", `http://${address}:8000/`).status;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "ks-metadata-"));
  for (const ns of Object.values(NS)) expect(run("ip", ["netns", "add", ns]).status).toBe(0);
  const link = (a: string, aNs: string, b: string, bNs: string) =>
    expect(run("ip", ["link", "add", a, "netns", aNs, "type", "veth", "peer", "name", b, "netns", bNs]).status).toBe(0);
  link("eth0", NS.pod, "vpod", NS.node);
  link("uplink", NS.node, "eth0", NS.cloud);
  sh(NS.pod, "ip link set lo up; ip addr add 10.244.1.5/24 dev eth0; ip link set eth0 up; ip route add default via 10.244.1.1");
  sh(NS.node, "ip link set lo up; ip addr add 10.244.1.1/24 dev vpod; ip link set vpod up; ip addr add 169.254.169.1/16 dev uplink; ip addr add 203.0.113.1/24 dev uplink; ip link set uplink up; sysctl -q -w net.ipv4.ip_forward=1");
  sh(NS.cloud, `ip link set lo up; ip addr add ${METADATA}/16 dev eth0; ip addr add ${OTHER}/24 dev eth0; ip link set eth0 up; ip route add 10.244.0.0/16 via 203.0.113.1`);
  daemons.start("http", "ip", ["netns", "exec", NS.cloud, "python3", "-m", "http.server", "8000", "--bind", "0.0.0.0", "--directory", work], join(work, "http.log"));
  await waitFor("the cloud's web server", () => (get(NS.node, OTHER) === 0 ? true : undefined), 20_000, () => daemons.exited().join("\n"));
}, 60_000);

afterAll(async () => {
  await daemons.stopAll();
  for (const ns of Object.values(NS)) run("ip", ["netns", "del", ns]);
});

async function ruleset(p: ProfileInput): Promise<string> {
  const g = await generate(p);
  const file = join(work, `${p.metadata.name}-${Date.now()}.nft`);
  writeFileSync(file, artifact(g, `nodes/${g.model.nodes[0].name}/files/etc/kubeseed/nftables.nft`));
  return file;
}

const prodOnCloud = (): ProfileInput => {
  const p = exampleProfile("prod");
  return { ...p, spec: { ...p.spec, cloud: "hetzner" } };
};
const devOnCloud = (): ProfileInput => {
  const p = exampleProfile("dev");
  return { ...p, spec: { ...p.spec, cloud: "openstack" } };
};

describe("pods cannot reach the cloud metadata service; the node can", () => {
  it("without the ruleset the pod reaches both addresses (the set-up forwards)", () => {
    inNs(NS.node, "nft", "delete", "table", "inet", "kubeseed");
    expect(get(NS.pod, OTHER)).toBe(0);
    expect(get(NS.pod, METADATA)).toBe(0);
  });

  it.each([
    ["prod on a cloud (seed 000's table and the block)", prodOnCloud],
    ["dev on a cloud without firewall (the block alone)", devOnCloud],
  ])("%s", async (_, profile) => {
    const file = await ruleset(profile());
    const loaded = inNs(NS.node, "nft", "-f", file);
    expect(loaded.status, loaded.out).toBe(0);
    const listed = inNs(NS.node, "nft", "list", "chain", "inet", "kubeseed", "forward").stdout;
    expect(listed).toContain(`ip saddr 10.244.0.0/16 ip daddr ${METADATA} drop`);
    expect(get(NS.pod, OTHER), "pod → another address").toBe(0);
    expect(get(NS.pod, METADATA), "pod → metadata").not.toBe(0);
    expect(get(NS.node, METADATA), "node → metadata").toBe(0);
    expect(get(NS.node, OTHER), "node → another address").toBe(0);
    inNs(NS.node, "nft", "delete", "table", "inet", "kubeseed");
  }, 60_000);

  it("a profile with spec.cloud: none has no block by default, and blockMetadata: false removes it on a cloud", async () => {
    const p = prodOnCloud();
    const off = await generate({ ...p, spec: { ...p.spec, host: { ...p.spec.host, blockMetadata: false } } });
    expect(artifact(off, "nodes/kube-cp-1/files/etc/kubeseed/nftables.nft")).not.toMatch(/hook forward/);
    const none = await generate(exampleProfile("dev"));
    expect(none.bundle.artifacts.some((a) => a.path.endsWith("/etc/kubeseed/nftables.nft"))).toBe(false);
  });
});
