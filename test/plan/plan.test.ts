import { describe, expect, it } from "vitest";
import { buildModel } from "../../generator/model/build.js";
import { planCluster } from "../../generator/plan/plan.js";
import { topology } from "../helpers/profiles.js";

const paths = (plan: ReturnType<typeof planCluster>, node: string) =>
  plan.nodes.find((n) => n.node.name === node)!.files.map((f) => f.path);

describe("planCluster over topologies", () => {
  it.each([
    { name: "1 node", cps: 1, workers: 0, certs: 7 + 2 + 3 },
    { name: "1+1", cps: 1, workers: 1, certs: 7 + 2 + 3 },
    { name: "3+3 HA", cps: 3, workers: 3, certs: 3 * 7 + 2 + 3 * 2 + 1 },
  ])("$name: certificate count and one init node", ({ cps, workers, certs }) => {
    const plan = planCluster(buildModel(topology(cps, workers)));
    expect(plan.nodes).toHaveLength(cps + workers);
    expect(plan.nodes.filter((n) => n.node.init).map((n) => n.node.name)).toEqual(["cp-1"]);
    expect(plan.certs).toHaveLength(certs);
    expect(new Set(plan.certs.map((c) => c.id)).size).toBe(plan.certs.length);
  });

  it("gives a token-joined worker no PKI file at all: kubeadm join writes ca.crt and bootstrap-kubelet.conf itself", () => {
    const plan = planCluster(buildModel(topology(3, 2)));
    const worker = plan.nodes.find((n) => n.node.name === "worker-1")!;
    expect(worker.files.filter((f) => f.path.startsWith("/etc/kubernetes/pki/") || f.path.endsWith(".conf") && f.path.startsWith("/etc/kubernetes/"))).toEqual([]);
    expect(worker.files.filter((f) => f.sensitive).map((f) => f.path)).toEqual(["/etc/kubernetes/kubeadm/config.yaml"]);
    expect(plan.operator.map((f) => f.path)).toContain("kubeconfigs/bootstrap-kubelet.conf");
  });

  it("gives a worker a pre-issued kubelet.conf when the profile asks, and still no key but its own", () => {
    const plan = planCluster(buildModel(topology(1, 2, { pki: { workerKubelet: "pre-issued" } })));
    expect(paths(plan, "worker-2").filter((p) => p.startsWith("/etc/kubernetes/") && !p.includes("/kubeadm/"))).toEqual([
      "/etc/kubernetes/kubelet.conf",
      "/etc/kubernetes/pki/ca.crt",
    ]);
    const kubelet = plan.certs.find((c) => c.id === "node/worker-2/kubelet")!;
    expect(kubelet.commonName).toBe("system:node:worker-2");
    expect(kubelet.organizations).toEqual(["system:nodes"]);
  });

  it("puts super-admin.conf on the init node only (1.29+) and none before 1.29", () => {
    const plan = planCluster(buildModel(topology(3, 0)));
    expect(paths(plan, "cp-1")).toContain("/etc/kubernetes/super-admin.conf");
    expect(paths(plan, "cp-2")).not.toContain("/etc/kubernetes/super-admin.conf");
    const old = planCluster(buildModel(topology(1, 0, {}, "v1.28.15")));
    expect(paths(old, "cp-1")).not.toContain("/etc/kubernetes/super-admin.conf");
    expect(old.certs.find((c) => c.id === "cluster/admin")!.organizations).toEqual(["system:masters"]);
  });

  it("gives every control plane the shared CA pairs, the sa pair and its own leaves", () => {
    const plan = planCluster(buildModel(topology(3, 0)));
    for (const cp of ["cp-1", "cp-2", "cp-3"]) {
      expect(paths(plan, cp)).toEqual(
        expect.arrayContaining([
          "/etc/kubernetes/pki/ca.key",
          "/etc/kubernetes/pki/sa.key",
          "/etc/kubernetes/pki/etcd/ca.key",
          "/etc/kubernetes/pki/front-proxy-ca.key",
          "/etc/kubernetes/pki/apiserver.crt",
          "/etc/kubernetes/pki/etcd/peer.key",
          "/etc/kubernetes/admin.conf",
          "/etc/kubernetes/pki/encryption-config.yaml",
        ]),
      );
    }
    // kubeadm join refuses an existing kubelet.conf: only the init node has one
    expect(paths(plan, "cp-1")).toContain("/etc/kubernetes/kubelet.conf");
    expect(paths(plan, "cp-2")).not.toContain("/etc/kubernetes/kubelet.conf");
  });

  it("derives apiserver SANs from the endpoint, the service CIDR and the node", () => {
    const plan = planCluster(buildModel(topology(3, 0, { pki: { apiServerExtraSANs: ["api.example.com", "203.0.113.7"] } })));
    const api = plan.certs.find((c) => c.id === "node/cp-2/apiserver")!;
    expect(api.dnsNames).toEqual(expect.arrayContaining(["cp-2", "kubernetes.default.svc.cluster.local", "api.test.internal", "api.example.com"]));
    expect(api.ipAddresses).toEqual(expect.arrayContaining(["10.96.0.1", "192.168.1.12", "192.168.1.5", "203.0.113.7"]));
    expect(api.ipAddresses).not.toContain("192.168.1.11");
  });

  it("points controller-manager and scheduler at the local apiserver, the rest at the endpoint", () => {
    const plan = planCluster(buildModel(topology(3, 1)));
    const server = (id: string) => plan.kubeconfigs.find((k) => k.id === id)!.server;
    expect(server("node/cp-2/controller-manager.conf")).toBe("https://192.168.1.12:6443");
    expect(server("node/cp-2/scheduler.conf")).toBe("https://192.168.1.12:6443");
    expect(server("node/cp-1/kubelet.conf")).toBe("https://api.test.internal:8443");
    expect(server("cluster/bootstrap-kubelet.conf")).toBe("https://api.test.internal:8443");
  });

  it.each([
    ["v1.32.9", "https://api.test.internal:8443"],
    ["v1.33.5", "https://192.168.1.11:6443"],
    ["v1.34.2", "https://192.168.1.11:6443"],
  ])("%s: the init node's kubelet.conf follows kubeadm's ControlPlaneKubeletLocalMode; pre-issued workers use the endpoint", (version, url) => {
    const plan = planCluster(buildModel(topology(3, 1, { pki: { workerKubelet: "pre-issued" } }, version)));
    const server = (id: string) => plan.kubeconfigs.find((k) => k.id === id)!.server;
    expect(server("node/cp-1/kubelet.conf")).toBe(url);
    expect(server("node/worker-1/kubelet.conf")).toBe("https://api.test.internal:8443");
  });

  it("gives every RBAC user a kubeconfig with its groups as O", () => {
    const plan = planCluster(buildModel(topology(1, 0, { users: [{ name: "dev", groups: ["developers", "viewers"] }] })));
    expect(plan.certs.find((c) => c.id === "user/dev")!.organizations).toEqual(["developers", "viewers"]);
    expect(plan.operator.map((f) => f.path)).toContain("kubeconfigs/users/dev.conf");
  });
});

describe("planCluster: external CA and external etcd", () => {
  it("external-CA mode: CA certificates on the control planes, no CA key anywhere, every kubelet pre-issued", () => {
    const plan = planCluster(buildModel(topology(3, 2, { pki: { externalCA: true } }, "v1.34.1")));
    const all = [...plan.nodes.flatMap((n) => n.files), ...plan.operator];
    expect(all.filter((f) => f.source.kind === "ca-key")).toEqual([]);
    expect(paths(plan, "cp-2")).toEqual(expect.arrayContaining(["/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/pki/front-proxy-ca.crt", "/etc/kubernetes/pki/etcd/ca.crt", "/etc/kubernetes/kubelet.conf"]));
    expect(paths(plan, "worker-1")).toEqual(expect.arrayContaining(["/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/kubelet.conf"]));
  });

  it("external etcd: members get only etcd files; control planes the etcd CA certificate and their client pair", () => {
    const p = topology(3, 1, {}, "v1.34.1");
    const nodes = [...p.spec.nodes, ...[1, 2, 3].map((i) => ({ name: `etcd-${i}`, role: "etcd" as const, address: `192.168.1.${30 + i}` }))];
    const plan = planCluster(buildModel({ ...p, spec: { ...p.spec, nodes } }));
    const pki = (n: string) => paths(plan, n).filter((x) => x.startsWith("/etc/kubernetes/pki/")).sort();
    expect(pki("etcd-1")).toEqual(["ca.crt", "healthcheck-client.crt", "healthcheck-client.key", "peer.crt", "peer.key", "server.crt", "server.key"].map((f) => `/etc/kubernetes/pki/etcd/${f}`));
    expect(pki("cp-2").filter((x) => x.includes("etcd"))).toEqual(["/etc/kubernetes/pki/apiserver-etcd-client.crt", "/etc/kubernetes/pki/apiserver-etcd-client.key", "/etc/kubernetes/pki/etcd/ca.crt"]);
    expect(paths(plan, "etcd-1")).toEqual(expect.arrayContaining(["/etc/kubernetes/kubelet-etcd.yaml", "/etc/systemd/system/kubelet.service.d/20-kubeseed-etcd.conf", "/etc/kubernetes/kubeadm/config.yaml"]));
    expect(paths(plan, "etcd-1")).not.toContain("/etc/kubernetes/kubelet.conf");
    const server = plan.certs.find((c) => c.id === "node/etcd-2/etcd-server")!;
    expect(server.ipAddresses).toEqual(["192.168.1.32", "127.0.0.1", "::1"]);
  });
});
