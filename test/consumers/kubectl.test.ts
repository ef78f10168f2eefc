/**
 * The real kubectl with every generated kubeconfig against a TLS server that stands in for
 * kube-apiserver (the control plane's generated apiserver.crt/key, client certificates required and
 * checked against ca.crt). kubectl connects to 127.0.0.1 but verifies the server certificate for the
 * host its kubeconfig names (--tls-server-name), so each kubeconfig's server URL is proven too.
 * Two clusters: ECDSA with pre-issued worker kubelet certificates, RSA with the default bootstrap token.
 * Proves: each kubeconfig authenticates with kubeadm's CN and O (docs/sources.md#kubeconfigs-per-user); a client
 * certificate of another CA, or of another cluster's CA, is refused in the TLS handshake; cp-2's local
 * kubeconfig does not accept cp-1's certificate; bootstrap-kubelet.conf sends its token as a bearer
 * header and no client certificate.
 */
import { DEFAULTS } from "../../generator/model/defaults.js";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeApiserver, VERSION_BODY, type FakeApiserver } from "./support/apiserver.js";
import { ADDRESS, ENDPOINT_DNS, writeCluster, type WrittenCluster } from "./support/cluster.js";
import { runAsync, waitFor, type Ran } from "./support/proc.js";
import { readKubeconfig, writeKubeconfig } from "./support/x509.js";

type ClusterName = "pre-issued" | "bootstrap";
const clusters = {} as Record<ClusterName, WrittenCluster>;
const servers = {} as Record<ClusterName, FakeApiserver>;
let tokenServer: FakeApiserver;

beforeAll(async () => {
  clusters["pre-issued"] = await writeCluster({ workerKubelet: "pre-issued" }, "ks-kubectl-pre-");
  clusters.bootstrap = await writeCluster({ keyAlgorithm: "rsa-2048" }, "ks-kubectl-boot-");
  for (const name of ["pre-issued", "bootstrap"] as const) {
    const c = clusters[name];
    servers[name] = await startFakeApiserver({ cert: c.etc("cp-1", "pki/apiserver.crt"), key: c.etc("cp-1", "pki/apiserver.key"), ca: c.etc("cp-1", "pki/ca.crt"), clientCerts: "required" });
  }
  const b = clusters.bootstrap;
  tokenServer = await startFakeApiserver({ cert: b.etc("cp-1", "pki/apiserver.crt"), key: b.etc("cp-1", "pki/apiserver.key"), ca: b.etc("cp-1", "pki/ca.crt"), clientCerts: "none" });
});

afterAll(async () => {
  await Promise.all([...Object.values(servers), tokenServer].filter(Boolean).map((s) => s.close()));
  for (const c of Object.values(clusters)) c.dispose();
});

/** kubectl get --raw /version with KUBECONFIG, dialing SERVER but verifying the kubeconfig's own host. */
function kubectlVersion(c: WrittenCluster, kubeconfig: string, server: FakeApiserver, tlsServerName = new URL(readKubeconfig(kubeconfig).server).hostname): Promise<Ran> {
  const home = join(c.root, "home");
  mkdirSync(home, { recursive: true });
  return runAsync(
    "kubectl",
    ["--kubeconfig", kubeconfig, "--server", server.url, "--tls-server-name", tlsServerName, "--request-timeout=10s", "--cache-dir", join(home, "cache"), "get", "--raw", "/version"],
    { env: { PATH: process.env.PATH, HOME: home, NO_PROXY: "127.0.0.1", no_proxy: "127.0.0.1" }, timeoutMs: 60_000 },
  );
}

/** the server records a failed handshake (bounded wait: its event may trail kubectl's exit) */
const handshakeRefused = (server: FakeApiserver, before: number) =>
  waitFor("a refused TLS handshake on the server", () => (server.refused.length > before ? true : undefined), 3_000, () => server.refused.join("\n"), 50);

const text = (path: string) => readFileSync(path, "utf8");
// HA with a VIP: haproxy serves the endpoint on the balancer port, each apiserver binds its own port
const ENDPOINT_URL = `https://${ENDPOINT_DNS}:${DEFAULTS.balancerPort}`;
const LOCAL_URL = `https://${ADDRESS["cp-1"]}:${DEFAULTS.apiPort}`;

/** [cluster, file, server URL the kubeconfig must name, CN, O] — docs/sources.md#kubeconfigs-per-user, v1.31 */
const ACCEPTED: [ClusterName, string, string, string, string[]][] = [];
for (const cluster of ["pre-issued", "bootstrap"] as const) {
  ACCEPTED.push(
    [cluster, "nodes/cp-1/files/etc/kubernetes/admin.conf", ENDPOINT_URL, "kubernetes-admin", ["kubeadm:cluster-admins"]],
    [cluster, "nodes/cp-1/files/etc/kubernetes/super-admin.conf", ENDPOINT_URL, "kubernetes-super-admin", ["system:masters"]],
    [cluster, "nodes/cp-1/files/etc/kubernetes/controller-manager.conf", LOCAL_URL, "system:kube-controller-manager", []],
    [cluster, "nodes/cp-1/files/etc/kubernetes/scheduler.conf", LOCAL_URL, "system:kube-scheduler", []],
    [cluster, "nodes/cp-1/files/etc/kubernetes/kubelet.conf", ENDPOINT_URL, "system:node:cp-1", ["system:nodes"]],
    [cluster, "kubeconfigs/admin.conf", ENDPOINT_URL, "kubernetes-admin", ["kubeadm:cluster-admins"]],
    [cluster, "kubeconfigs/users/dev.conf", ENDPOINT_URL, "dev", ["developers"]],
  );
}
ACCEPTED.push(["pre-issued", "nodes/worker-1/files/etc/kubernetes/kubelet.conf", ENDPOINT_URL, "system:node:worker-1", ["system:nodes"]]);

describe("kubectl against a client-certificate TLS apiserver", () => {
  it.each(ACCEPTED)("%s: %s authenticates as kubeadm's user", async (cluster, file, url, cn, o) => {
    const c = clusters[cluster];
    const path = join(c.out, file);
    expect(readKubeconfig(path).server).toBe(url);
    const server = servers[cluster];
    const before = server.seen.length;
    const r = await kubectlVersion(c, path, server);
    expect(r.status, r.out).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(VERSION_BODY);
    const seen = server.seen.slice(before);
    expect(seen.length, JSON.stringify(seen)).toBeGreaterThan(0);
    for (const s of seen) expect(s).toEqual({ path: "/version", cn, o, authorization: undefined });
  });

  it("refuses cp-1's server certificate for cp-2's local kubeconfig", async () => {
    const c = clusters["pre-issued"];
    const path = c.etc("cp-2", "controller-manager.conf");
    expect(readKubeconfig(path).server).toBe(`https://${ADDRESS["cp-2"]}:${DEFAULTS.apiPort}`);
    const before = servers["pre-issued"].seen.length;
    const r = await kubectlVersion(c, path, servers["pre-issued"]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(new RegExp(`x509: certificate is valid for .*not ${ADDRESS["cp-2"].replaceAll(".", "\\.")}`));
    expect(servers["pre-issued"].seen.length).toBe(before);
  });

  describe("hand-built kubeconfigs from cp-1's leaf certificates", () => {
    /** a kubeconfig for the endpoint with cp-1's PKI file BASE (.crt/.key) of cluster FROM as its user */
    function leafKubeconfig(c: WrittenCluster, from: WrittenCluster, base: string): string {
      const path = join(c.root, `leaf-${base.replaceAll("/", "_")}-${from === c ? "own" : "foreign"}.conf`);
      const read = (ext: string) => text(from.etc("cp-1", `pki/${base}.${ext}`));
      writeKubeconfig(path, { server: ENDPOINT_URL, caPem: text(c.etc("cp-1", "pki/ca.crt")), certPem: read("crt"), keyPem: read("key") });
      return path;
    }

    it("accepts the kubernetes CA's apiserver-kubelet-client (the control for the refusals below)", async () => {
      const c = clusters["pre-issued"];
      const before = servers["pre-issued"].seen.length;
      const r = await kubectlVersion(c, leafKubeconfig(c, c, "apiserver-kubelet-client"), servers["pre-issued"]);
      expect(r.status, r.out).toBe(0);
      expect(servers["pre-issued"].seen.slice(before).map((s) => s.cn)).toContain("kube-apiserver-kubelet-client");
    });

    it.each([
      ["the front-proxy CA's front-proxy-client", "front-proxy-client", "pre-issued"],
      ["the etcd CA's apiserver-etcd-client", "apiserver-etcd-client", "pre-issued"],
      ["another cluster's kubernetes CA (apiserver-kubelet-client)", "apiserver-kubelet-client", "bootstrap"],
    ] as const)("refuses a client certificate of %s in the TLS handshake", async (_, base, source) => {
      const c = clusters["pre-issued"];
      const server = servers["pre-issued"];
      const before = { seen: server.seen.length, refused: server.refused.length };
      const r = await kubectlVersion(c, leafKubeconfig(c, clusters[source], base), server);
      expect(r.status, r.out).not.toBe(0);
      expect(r.out).toMatch(/Unable to connect to the server/);
      expect(server.seen.length, JSON.stringify(server.seen.slice(before.seen))).toBe(before.seen);
      // node:https reports a refused client certificate only as a failed handshake ("socket hang up")
      await handshakeRefused(server, before.refused);
    });
  });

  describe("bootstrap-kubelet.conf (bootstrap-token cluster)", () => {
    it("the operator's copy sends the bootstrap token as a bearer header and no client certificate", async () => {
      const c = clusters.bootstrap;
      const path = c.op("kubeconfigs/bootstrap-kubelet.conf");
      const k = readKubeconfig(path);
      expect(k.server).toBe(ENDPOINT_URL);
      expect(k.certPem).toBeUndefined();
      expect(k.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      const before = tokenServer.seen.length;
      const r = await kubectlVersion(c, path, tokenServer);
      expect(r.status, r.out).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(VERSION_BODY);
      const seen = tokenServer.seen.slice(before);
      expect(seen.length).toBeGreaterThan(0);
      for (const s of seen) expect(s).toEqual({ path: "/version", cn: undefined, o: [], authorization: `Bearer ${k.token}` });
    });

    it("is refused by a server that requires client certificates", async () => {
      const c = clusters.bootstrap;
      const before = { seen: servers.bootstrap.seen.length, refused: servers.bootstrap.refused.length };
      const r = await kubectlVersion(c, c.op("kubeconfigs/bootstrap-kubelet.conf"), servers.bootstrap);
      expect(r.status).not.toBe(0);
      expect(r.out).toMatch(/Unable to connect to the server/);
      expect(servers.bootstrap.seen.length).toBe(before.seen);
      await handshakeRefused(servers.bootstrap, before.refused);
    });

    it("is on no node: kubeadm join writes it and refuses a pre-placed one", () => {
      for (const c of [clusters.bootstrap, clusters["pre-issued"]]) {
        for (const node of ["worker-1", "worker-2"]) expect(() => readKubeconfig(c.etc(node, "bootstrap-kubelet.conf"))).toThrow(/ENOENT/);
      }
    });
  });
});
