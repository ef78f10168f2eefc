/**
 * A real 3-member etcd 3.4 cluster on 127.0.0.1, each member started with its own node's generated
 * etcd/server and etcd/peer certificates and etcd/ca.crt, client-certificate auth on both the client
 * and the peer side. Forming the cluster proves the peer certificates (etcd also checks a peer's
 * certificate SANs against its address). The real etcdctl then proves the apiserver-etcd-client and
 * healthcheck-client certificates of every control plane, a write on one member read on another, and
 * that client certificates of the kubernetes and front-proxy CAs (or none) are refused by TLS.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTROL_PLANES, writeCluster, type WrittenCluster } from "./support/cluster.js";
import { Daemons, freePorts, run, waitFor, type Ran } from "./support/proc.js";

let c: WrittenCluster;
const daemons = new Daemons();
let clientUrls: string[] = [];

const pki = (node: string, rel: string) => c.etc(node, `pki/${rel}`);

/** etcdctl v3 against ENDPOINTS with the client pair BASE (.crt/.key), trusting cp-1's etcd CA copy. */
function etcdctl(endpoints: string[], base: string | undefined, ...args: string[]): Ran {
  const auth = base ? ["--cert", `${base}.crt`, "--key", `${base}.key`] : [];
  return run("etcdctl", ["--endpoints", endpoints.join(","), "--cacert", pki("cp-1", "etcd/ca.crt"), ...auth, "--dial-timeout=3s", "--command-timeout=5s", ...args], {
    env: { ...process.env, ETCDCTL_API: "3" },
    timeoutMs: 60_000,
  });
}

const healthyLines = (r: Ran) => r.out.split("\n").filter((l) => / is healthy: successfully committed proposal/.test(l));

function logs(): string {
  return CONTROL_PLANES.map((m) => `--- ${m}\n${daemons.log(m).split("\n").slice(-15).join("\n")}`).join("\n");
}

/** Starts the three members on `ports` (client, peer per member) and waits until the cluster is healthy. */
async function startMembers(ports: number[], attempt: number): Promise<void> {
  clientUrls = CONTROL_PLANES.map((_, i) => `https://127.0.0.1:${ports[2 * i]}`);
  const peerUrl = (i: number) => `https://127.0.0.1:${ports[2 * i + 1]}`;
  const initial = CONTROL_PLANES.map((m, i) => `${m}=${peerUrl(i)}`).join(",");
  CONTROL_PLANES.forEach((m, i) => {
    const data = join(c.root, `etcd-${attempt}`, m);
    mkdirSync(data, { recursive: true, mode: 0o700 });
    daemons.start(
      m,
      "/usr/bin/etcd",
      [
        `--name=${m}`,
        `--data-dir=${data}`,
        `--listen-client-urls=${clientUrls[i]}`,
        `--advertise-client-urls=${clientUrls[i]}`,
        `--listen-peer-urls=${peerUrl(i)}`,
        `--initial-advertise-peer-urls=${peerUrl(i)}`,
        `--initial-cluster=${initial}`,
        "--initial-cluster-state=new",
        "--initial-cluster-token=kubeseed-consumers",
        "--client-cert-auth",
        `--trusted-ca-file=${pki(m, "etcd/ca.crt")}`,
        `--cert-file=${pki(m, "etcd/server.crt")}`,
        `--key-file=${pki(m, "etcd/server.key")}`,
        "--peer-client-cert-auth",
        `--peer-trusted-ca-file=${pki(m, "etcd/ca.crt")}`,
        `--peer-cert-file=${pki(m, "etcd/peer.crt")}`,
        `--peer-key-file=${pki(m, "etcd/peer.key")}`,
      ],
      join(c.root, `etcd-${m}-${attempt}.log`),
    );
  });
  let last: Ran | undefined;
  await waitFor(
    "etcd cluster healthy",
    () => {
      const dead = daemons.exited();
      if (dead.length) throw new Error(dead.join("\n"));
      last = etcdctl(clientUrls, pki("cp-1", "apiserver-etcd-client"), "endpoint", "health", "--cluster");
      return last.status === 0 ? true : undefined;
    },
    120_000,
    () => `${last?.out ?? ""}\n${logs()}`,
  );
}

/** Etcd needs every member's peer URL before any member starts, so ports are picked first; another
 * process may take one in between: a member that exits on "address already in use" makes the whole
 * cluster start again on new ports (never more than three attempts). */
const MAX_ATTEMPTS = 3;

beforeAll(async () => {
  c = await writeCluster({ workerKubelet: "pre-issued" }, "ks-etcd-");
  for (let attempt = 1; ; attempt++) {
    try {
      return await startMembers(await freePorts(2 * CONTROL_PLANES.length), attempt);
    } catch (e) {
      if (attempt === MAX_ATTEMPTS || !/address already in use/.test(String(e))) throw e;
      for (const m of CONTROL_PLANES) await daemons.stop(m);
    }
  }
}, 480_000);

afterAll(async () => {
  await daemons.stopAll();
  c?.dispose();
});

describe("etcd 3.4 with the generated etcd PKI", () => {
  it.each(CONTROL_PLANES)("reports all three members healthy to %s's apiserver-etcd-client and healthcheck-client", (node) => {
    for (const client of ["apiserver-etcd-client", "etcd/healthcheck-client"]) {
      const r = etcdctl([clientUrls[0]], pki(node, client), "endpoint", "health", "--cluster");
      expect(r.status, `${node} ${client}: ${r.out}`).toBe(0);
      const lines = healthyLines(r);
      expect(lines.length, r.out).toBe(3);
      for (const url of clientUrls) expect(lines.some((l) => l.startsWith(`${url} is healthy`)), `${url} in ${r.out}`).toBe(true);
    }
  });

  it("lists the three members by node name with https peer URLs", () => {
    const r = etcdctl(clientUrls, pki("cp-1", "apiserver-etcd-client"), "member", "list", "-w", "json");
    expect(r.status, r.out).toBe(0);
    const members = JSON.parse(r.stdout).members as { name: string; peerURLs: string[]; clientURLs: string[] }[];
    expect(members.map((m) => m.name).sort()).toEqual([...CONTROL_PLANES]);
    for (const m of members) expect(m.peerURLs[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("stores a value through cp-1 and reads it back through cp-3 with cp-3's client certificate", () => {
    const value = `written-${process.pid}-${Date.now()}`;
    const put = etcdctl([clientUrls[0]], pki("cp-1", "apiserver-etcd-client"), "put", "/kubeseed/consumer-test", value);
    expect(put.status, put.out).toBe(0);
    expect(put.stdout.trim()).toBe("OK");
    const get = etcdctl([clientUrls[2]], pki("cp-3", "apiserver-etcd-client"), "get", "/kubeseed/consumer-test", "--print-value-only", "--consistency=l");
    expect(get.status, get.out).toBe(0);
    expect(get.stdout.trim()).toBe(value);
  });

  it.each([
    ["the kubernetes CA's apiserver-kubelet-client", "apiserver-kubelet-client"],
    ["the front-proxy CA's front-proxy-client", "front-proxy-client"],
  ])("refuses a client certificate of another CA: %s", (_, rel) => {
    const before = daemons.log("cp-2").length;
    const r = etcdctl([clientUrls[1]], pki("cp-2", rel), "get", "/kubeseed/consumer-test");
    expect(r.status, r.out).not.toBe(0);
    expect(r.stdout).not.toMatch(/consumer-test/);
    const serverSide = daemons.log("cp-2").slice(before);
    expect(serverSide, `cp-2's log after the attempt:\n${serverSide}\netcdctl: ${r.out}`).toMatch(/rejected connection from "127\.0\.0\.1:\d+".*(unknown authority|bad certificate)/);
  });

  it("refuses a client without a certificate", () => {
    const before = daemons.log("cp-1").length;
    const r = etcdctl([clientUrls[0]], undefined, "get", "/kubeseed/consumer-test");
    expect(r.status, r.out).not.toBe(0);
    expect(r.stdout).not.toMatch(/consumer-test/);
    expect(daemons.log("cp-1").slice(before)).toMatch(/rejected connection from "127\.0\.0\.1:\d+".*(didn't provide a certificate|certificate required|bad certificate)/);
  });
});
