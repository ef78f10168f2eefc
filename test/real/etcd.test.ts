/**
 * A real 3-member etcd cluster (Debian's etcd 3.4) on 127.0.0.1, run with each control plane's
 * generated etcd server and peer certificates and client-certificate auth on both sides, then queried
 * by the real etcdctl with the apiserver-etcd-client and healthcheck-client certificates.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, makeCluster, run, type Cluster } from "./support.js";

const MEMBERS = ["cp-1", "cp-2", "cp-3"];
let cluster: Cluster;
const procs: ChildProcess[] = [];
let clientUrls: string[] = [];

const pki = (node: string, f: string) => cluster.node(node, `etc/kubernetes/pki/${f}`);

function etcdctl(cert: string, key: string, ...args: string[]) {
  return run("etcdctl", ["--endpoints", clientUrls.join(","), "--cacert", pki("cp-1", "etcd/ca.crt"), "--cert", cert, "--key", key, "--dial-timeout=5s", "--command-timeout=10s", ...args], {
    env: { ...process.env, ETCDCTL_API: "3" },
  });
}

async function waitHealthy(deadlineMs: number): Promise<string> {
  let last = "";
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const r = etcdctl(pki("cp-1", "apiserver-etcd-client.crt"), pki("cp-1", "apiserver-etcd-client.key"), "endpoint", "health", "--cluster");
    last = r.out;
    if (r.status === 0) return last;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`etcd cluster not healthy in time:\n${last}`);
}

beforeAll(async () => {
  cluster = await makeCluster();
  const ports = await Promise.all(MEMBERS.flatMap(() => [freePort(), freePort()]));
  const peer = (i: number) => `https://127.0.0.1:${ports[2 * i + 1]}`;
  clientUrls = MEMBERS.map((_, i) => `https://127.0.0.1:${ports[2 * i]}`);
  const initial = MEMBERS.map((m, i) => `${m}=${peer(i)}`).join(",");
  MEMBERS.forEach((m, i) => {
    const data = join(cluster.out, "etcd-data", m);
    mkdirSync(data, { recursive: true });
    const p = spawn("etcd", [
      `--name=${m}`, `--data-dir=${data}`,
      `--listen-client-urls=${clientUrls[i]}`, `--advertise-client-urls=${clientUrls[i]}`,
      `--listen-peer-urls=${peer(i)}`, `--initial-advertise-peer-urls=${peer(i)}`,
      `--initial-cluster=${initial}`, "--initial-cluster-state=new", "--initial-cluster-token=kubeseed-test",
      "--client-cert-auth", `--trusted-ca-file=${pki(m, "etcd/ca.crt")}`, `--cert-file=${pki(m, "etcd/server.crt")}`, `--key-file=${pki(m, "etcd/server.key")}`,
      "--peer-client-cert-auth", `--peer-trusted-ca-file=${pki(m, "etcd/ca.crt")}`, `--peer-cert-file=${pki(m, "etcd/peer.crt")}`, `--peer-key-file=${pki(m, "etcd/peer.key")}`,
    ], { stdio: "ignore" });
    procs.push(p);
  });
  await waitHealthy(40_000);
}, 90_000);

afterAll(() => {
  for (const p of procs) p.kill("SIGKILL");
});

describe("generated etcd PKI in a real 3-member etcd cluster", () => {
  it("reports every member healthy to etcdctl with apiserver-etcd-client", () => {
    const r = etcdctl(pki("cp-2", "apiserver-etcd-client.crt"), pki("cp-2", "apiserver-etcd-client.key"), "endpoint", "health", "--cluster");
    expect(r.status, r.out).toBe(0);
    expect(r.out.match(/is healthy/g)).toHaveLength(3);
  });

  it("lists the three members by node name (peer certs accepted across members)", () => {
    const r = etcdctl(pki("cp-1", "etcd/healthcheck-client.crt"), pki("cp-1", "etcd/healthcheck-client.key"), "member", "list");
    expect(r.status, r.out).toBe(0);
    for (const m of MEMBERS) expect(r.out).toContain(m);
    expect(r.out.match(/started/g)).toHaveLength(3);
  });

  it("writes and reads a key with the healthcheck client", () => {
    const c = [pki("cp-3", "etcd/healthcheck-client.crt"), pki("cp-3", "etcd/healthcheck-client.key")] as const;
    expect(etcdctl(...c, "put", "/kubeseed/probe", "ok").status).toBe(0);
    const r = etcdctl(...c, "get", "/kubeseed/probe", "--print-value-only");
    expect(r.out.trim()).toBe("ok");
  });

  it.each([
    ["the cluster CA", "apiserver-kubelet-client"],
    ["the front-proxy CA", "front-proxy-client"],
  ])("refuses a client certificate from %s", (_, name) => {
    const r = etcdctl(pki("cp-1", `${name}.crt`), pki("cp-1", `${name}.key`), "endpoint", "health");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/unhealthy|bad certificate|certificate|deadline|timed out/i);
  });
});
