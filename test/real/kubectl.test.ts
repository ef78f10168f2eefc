/**
 * The real kubectl against a Node https server that stands in for kube-apiserver's TLS side (until the
 * real apiserver is built): it serves cp-1's generated apiserver certificate, demands client
 * certificates from the cluster CA, answers /version, and records who connected (CN and O).
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { freePort, makeCluster, runAsync, type Cluster } from "./support.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Seen {
  cn?: string;
  o: string[];
  authorization?: string;
}

let cluster: Cluster;
let strictUrl = "";
let tokenUrl = "";
const servers: Server[] = [];
const seen: Seen[] = [];

function startServer(rejectUnauthorized: boolean): Promise<string> {
  const pki = (f: string) => readFileSync(cluster.node("cp-1", `etc/kubernetes/pki/${f}`));
  const server = createServer({ key: pki("apiserver.key"), cert: pki("apiserver.crt"), ca: pki("ca.crt"), requestCert: true, rejectUnauthorized }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const o = peer?.subject?.O;
    const cn = peer?.subject?.CN;
    seen.push({ cn: Array.isArray(cn) ? cn.join(",") : cn, o: o === undefined ? [] : Array.isArray(o) ? o : [o], authorization: req.headers.authorization });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ major: "1", minor: "34", gitVersion: "v1.34.10", platform: "linux/amd64" }));
  });
  servers.push(server);
  return freePort().then((port) => new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(`https://127.0.0.1:${port}`))));
}

function kubectl(kubeconfig: string, server: string, ...extra: string[]) {
  return runAsync("kubectl", ["--kubeconfig", kubeconfig, "--server", server, ...extra, "get", "--raw", "/version"], 20_000);
}

beforeAll(async () => {
  cluster = await makeCluster({ pki: { workerKubelet: "pre-issued" } });
  strictUrl = await startServer(true);
  tokenUrl = await startServer(false);
}, 60_000);

afterAll(() => {
  for (const s of servers) s.close();
});

const admin = "kubeadm:cluster-admins";
describe("kubectl with the generated kubeconfigs", () => {
  it.each([
    ["cp-1 admin.conf", "nodes/cp-1/files/etc/kubernetes/admin.conf", "kubernetes-admin", [admin]],
    ["cp-1 super-admin.conf", "nodes/cp-1/files/etc/kubernetes/super-admin.conf", "kubernetes-super-admin", ["system:masters"]],
    ["cp-2 controller-manager.conf", "nodes/cp-2/files/etc/kubernetes/controller-manager.conf", "system:kube-controller-manager", []],
    ["cp-3 scheduler.conf", "nodes/cp-3/files/etc/kubernetes/scheduler.conf", "system:kube-scheduler", []],
    ["cp-1 kubelet.conf", "nodes/cp-1/files/etc/kubernetes/kubelet.conf", "system:node:cp-1", ["system:nodes"]],
    ["worker-2 pre-issued kubelet.conf", "nodes/worker-2/files/etc/kubernetes/kubelet.conf", "system:node:worker-2", ["system:nodes"]],
    ["operator admin.conf", "kubeconfigs/admin.conf", "kubernetes-admin", [admin]],
    ["RBAC user dev", "kubeconfigs/users/dev.conf", "dev", ["developers"]],
  ])("%s reaches the server, which sees its CN and O", async (_, file, cn, o) => {
    const before = seen.length;
    const r = await kubectl(join(cluster.out, file), strictUrl);
    expect(r.status, r.out).toBe(0);
    expect(JSON.parse(r.out).gitVersion).toBe("v1.34.10");
    expect(seen.slice(before).at(-1)).toEqual({ cn, o, authorization: undefined });
  });

  it("is refused with a client certificate from another CA", async () => {
    const pki = (f: string) => readFileSync(cluster.node("cp-1", `etc/kubernetes/pki/${f}`));
    const doc = parse(readFileSync(join(cluster.out, "kubeconfigs/admin.conf"), "utf8"));
    doc.users[0].user["client-certificate-data"] = pki("front-proxy-client.crt").toString("base64");
    doc.users[0].user["client-key-data"] = pki("front-proxy-client.key").toString("base64");
    const file = join(mkdtempSync(join(tmpdir(), "ks-kc-")), "foreign.conf");
    writeFileSync(file, stringify(doc));
    const before = seen.length;
    const r = await kubectl(file, strictUrl);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/certificate|tls|EOF|connection reset/i);
    expect(seen.length).toBe(before);
  });

  it("verifies the server against the cluster CA: a server name outside the SANs fails", async () => {
    const r = await kubectl(join(cluster.out, "kubeconfigs/admin.conf"), strictUrl, "--tls-server-name", "not-a-san.example");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/certificate is valid for|x509/);
  });

  it("sends the bootstrap token from a worker's bootstrap-kubelet.conf", async () => {
    const c = await makeCluster();
    const token = c.g.issue.secrets.bootstrapToken;
    const before = seen.length;
    const r = await kubectl(c.node("worker-1", "etc/kubernetes/bootstrap-kubelet.conf"), tokenUrl);
    // the stand-in server has another cluster's certificate; trust comes from this cluster's CA, so point kubectl at the right CA
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/x509|certificate signed by unknown authority/);
    const same = await kubectl(cluster.node("cp-1", "etc/kubernetes/admin.conf"), tokenUrl);
    expect(same.status, same.out).toBe(0);
    const doc = parse(readFileSync(c.node("worker-1", "etc/kubernetes/bootstrap-kubelet.conf"), "utf8"));
    doc.clusters[0].cluster["certificate-authority-data"] = readFileSync(cluster.node("cp-1", "etc/kubernetes/pki/ca.crt")).toString("base64");
    const file = join(mkdtempSync(join(tmpdir(), "ks-kc-")), "bootstrap.conf");
    writeFileSync(file, stringify(doc));
    const t = await kubectl(file, tokenUrl);
    expect(t.status, t.out).toBe(0);
    expect(seen.slice(before).at(-1)).toEqual({ cn: undefined, o: [], authorization: `Bearer ${token}` });
  }, 60_000);
});
