import { describe, expect, it } from "vitest";
import { endpointAddress, renderHosts } from "../../../generator/render/host/hosts.js";
import { topology } from "../../helpers/profiles.js";
import { DEV, HA, model, on, run, tempFiles } from "./topologies.js";

/** Entries of a hosts file as [address, ...names], comments and blank lines dropped. */
const entries = (text: string) =>
  text
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean)
    .map((l) => l.split(/\s+/));

describe("renderHosts", () => {
  it("renders the dev node's hosts file", async () => {
    await expect(renderHosts(on(DEV, "cp-1"))).toMatchFileSnapshot("golden/hosts.dev.cp-1");
  });

  it("renders an HA worker's hosts file with the endpoint name on the VIP", async () => {
    await expect(renderHosts(on(HA, "worker-2"))).toMatchFileSnapshot("golden/hosts.ha.worker-2");
  });

  it.each([
    ["dev", DEV],
    ["ha", HA],
  ] as const)("%s: loopback lines of seed 000, 127.0.1.1 → the node itself, a worker's own address, then the control planes in profile order", (_, m) => {
    for (const node of m.nodes) {
      const e = entries(renderHosts(on(m, node.name)));
      expect(e.slice(0, 5)).toEqual([
        ["127.0.0.1", "localhost"],
        ["127.0.1.1", node.name],
        ["::1", "localhost", "ip6-localhost", "ip6-loopback"],
        ["ff02::1", "ip6-allnodes"],
        ["ff02::2", "ip6-allrouters"],
      ]);
      const own = node.role === "worker" ? [[node.address, node.name]] : [];
      const listed = m.nodes.filter((n) => n.role !== "worker").map((n) => [n.address, n.name]);
      expect(e.slice(5, 5 + own.length + listed.length)).toEqual([...own, ...listed]);
    }
  });

  it("lists no other worker: the file's size does not grow with the number of workers", () => {
    const small = model(topology(3, 2));
    const large = model(topology(3, 200));
    const last = large.nodes[large.nodes.length - 1];
    const names = entries(renderHosts(on(large, last.name))).filter((e) => e[0] !== "127.0.1.1").map((e) => e[1]);
    expect(names.filter((n) => large.nodes.some((x) => x.role === "worker" && x.name === n))).toEqual([last.name]);
    expect(renderHosts(on(large, last.name)).length - renderHosts(on(small, small.nodes[4].name)).length).toBe(2 * (last.name.length - small.nodes[4].name.length) + last.address.length - small.nodes[4].address.length);
  });

  it.each([
    ["HA: DNS name and VIP → the VIP", HA, "192.168.1.5"],
    ["one control plane, DNS name, no VIP → that node", model(topology(1, 2, { controlPlane: { endpoint: { host: "api.one.internal" } } })), "192.168.1.11"],
    ["several control planes, DNS name, no VIP → left to DNS", model(topology(3, 0, { controlPlane: { endpoint: { host: "api.lb.internal" } } })), undefined],
    ["no DNS name → nothing to map", DEV, undefined],
  ] as const)("endpoint: %s", (_, m, want) => {
    expect(endpointAddress(m)).toBe(want);
    const line = entries(renderHosts(on(m, m.nodes[0].name))).find((e) => e[1] === m.endpoint.dnsName);
    expect(line?.[0]).toBe(want);
  });

  it("glibc resolves the node names and the endpoint from the file (getent in a private mount namespace)", () => {
    const dir = tempFiles({ hosts: renderHosts(on(HA, "worker-1")) });
    const script = `mount --bind ${dir}/hosts /etc/hosts && getent hosts api.test.internal cp-2 worker-1 && getent ahostsv4 localhost`;
    const r = run("unshare", ["-m", "sh", "-c", script], "util-linux");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/^192\.168\.1\.5\s+api\.test\.internal$/m);
    expect(r.out).toMatch(/^192\.168\.1\.12\s+cp-2$/m);
    // seed 000 requirement 7: the node's own name resolves to 127.0.1.1 first
    expect(r.out).toMatch(/^127\.0\.1\.1\s+worker-1$/m);
  });
});
