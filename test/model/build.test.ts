import { describe, expect, it } from "vitest";
import { buildModel } from "../../generator/model/build.js";
import { kubeadmRules, parseVersion } from "../../generator/model/kubeadm-rules.js";
import { topology } from "../helpers/profiles.js";

describe("buildModel", () => {
  it("applies every default in one place", () => {
    const m = buildModel(topology(1, 1));
    expect(m.kubernetes).toMatchObject({ clusterName: "kubernetes", dnsDomain: "cluster.local", podCIDR: "10.244.0.0/16", serviceCIDR: "10.96.0.0/12" });
    expect(m.network.interface).toBe("eth1");
    expect(m.pki).toMatchObject({ keyAlgorithm: "ecdsa-p256", caValidityHours: 87600, certValidityHours: 8760, workerKubelet: "bootstrap-token", bootstrapTokenTTLHours: 24 });
    expect(m.bindPort).toBe(6443);
  });

  it.each([
    { cidr: "10.96.0.0/12", api: "10.96.0.1", dns: "10.96.0.10" },
    { cidr: "172.20.0.0/16", api: "172.20.0.1", dns: "172.20.0.10" },
    { cidr: "10.100.8.0/22", api: "10.100.8.1", dns: "10.100.8.10" },
  ])("derives the service IPs of $cidr", ({ cidr, api, dns }) => {
    const m = buildModel(topology(1, 0, { kubernetes: { version: "v1.31.4", serviceCIDR: cidr } }));
    expect(m.kubernetes.apiServiceIP).toBe(api);
    expect(m.kubernetes.dnsServiceIP).toBe(dns);
  });

  it.each([
    { name: "single control plane → its own address", cps: 1, endpoint: undefined, url: "https://192.168.1.11:6443" },
    { name: "DNS name wins over the VIP", cps: 3, endpoint: { host: "api.x.internal", vip: "192.168.1.5" }, url: "https://api.x.internal:8443" },
    { name: "VIP only", cps: 3, endpoint: { vip: "192.168.1.5", port: 8443 }, url: "https://192.168.1.5:8443" },
  ])("decides the endpoint: $name", ({ cps, endpoint, url }) => {
    const m = buildModel(topology(cps, 0, endpoint ? { controlPlane: { endpoint } } : {}));
    expect(m.endpoint.url).toBe(url);
    expect(m.endpoint.controlPlaneEndpoint).toBe(url.replace("https://", ""));
  });

  it.each([
    { name: "HA with a VIP → host-services on 8443", cps: 3, cp: { endpoint: { vip: "192.168.1.5" } }, lb: "host-services", port: 8443 },
    { name: "static pods when asked", cps: 3, cp: { endpoint: { vip: "192.168.1.5" }, loadBalancer: "static-pods" as const }, lb: "static-pods", port: 8443 },
    { name: "external balancer keeps the apiserver port", cps: 3, cp: { endpoint: { vip: "192.168.1.5" }, loadBalancer: "none" as const }, lb: "none", port: 6443 },
    { name: "DNS name only → no balancer", cps: 3, cp: { endpoint: { host: "api.x.internal" } }, lb: "none", port: 6443 },
    { name: "one control plane → no balancer even with a VIP", cps: 1, cp: { endpoint: { vip: "192.168.1.5" } }, lb: "none", port: 6443 },
  ])("decides the VIP balancer: $name", ({ cps, cp, lb, port }) => {
    const m = buildModel(topology(cps, 1, { controlPlane: cp }));
    expect(m.loadBalancer).toBe(lb);
    expect(m.endpoint.port).toBe(port);
    expect(m.bindPort).toBe(6443);
    expect(m.virtualRouterId).toBe(51);
  });

  it("makes the first control plane in profile order the init node, even after workers", () => {
    const p = topology(2, 1);
    p.spec.nodes = [p.spec.nodes[2], p.spec.nodes[1], p.spec.nodes[0]];
    const m = buildModel(p);
    expect(m.nodes.filter((n) => n.init).map((n) => n.name)).toEqual(["cp-2"]);
  });

  it("converts durations in days and hours", () => {
    const m = buildModel(topology(1, 0, { pki: { caValidity: "3650d", certValidity: "720h" } }));
    expect(m.pki.caValidityHours).toBe(87600);
    expect(m.pki.certValidityHours).toBe(720);
  });
});

describe("kubeadm version rules", () => {
  it.each([
    { v: "v1.28.15", api: "kubeadm.k8s.io/v1beta3", superAdmin: false, admin: "system:masters", etcd: "system:masters" },
    { v: "v1.29.0", api: "kubeadm.k8s.io/v1beta3", superAdmin: true, admin: "kubeadm:cluster-admins", etcd: undefined },
    { v: "v1.30.14", api: "kubeadm.k8s.io/v1beta3", superAdmin: true, admin: "kubeadm:cluster-admins", etcd: undefined },
    { v: "v1.31.0", api: "kubeadm.k8s.io/v1beta4", superAdmin: true, admin: "kubeadm:cluster-admins", etcd: undefined },
    { v: "v1.34.10", api: "kubeadm.k8s.io/v1beta4", superAdmin: true, admin: "kubeadm:cluster-admins", etcd: undefined },
  ])("$v", ({ v, api, superAdmin, admin, etcd }) => {
    const r = kubeadmRules(parseVersion(v));
    expect(r.configApiVersion).toBe(api);
    expect(r.superAdmin).toBe(superAdmin);
    expect(r.adminGroup).toBe(admin);
    expect(r.etcdClientGroup).toBe(etcd);
  });

  it.each([
    ["v1.28.15", "system:masters"],
    ["v1.32.13", "kubeadm:cluster-admins"],
    ["v1.33.11", "kubeadm:cluster-admins"],
    ["v1.33.12", undefined],
    ["v1.34.7", "kubeadm:cluster-admins"],
    ["v1.34.8", undefined],
    ["v1.34.10", undefined],
  ])("apiserver-kubelet-client's group at %s is %s (kubeadm's certlist.go of that patch)", (v, group) => {
    expect(kubeadmRules(parseVersion(v)).apiserverKubeletClientGroup).toBe(group);
  });
});

describe("buildModel: the seed options", () => {
  const withEtcd = (n: number) => {
    const p = topology(3, 1, {}, "v1.34.1");
    return { ...p, spec: { ...p.spec, nodes: [...p.spec.nodes, ...Array.from({ length: n }, (_, i) => ({ name: `etcd-${i + 1}`, role: "etcd" as const, address: `192.168.1.${31 + i}` }))] } };
  };

  it("tells taints not given (undefined) from taints: [] (untainted)", () => {
    const p = topology(2, 0);
    const m = buildModel({ ...p, spec: { ...p.spec, nodes: [{ ...p.spec.nodes[0], taints: [] }, p.spec.nodes[1]] } });
    expect(m.nodes.map((n) => n.taints)).toEqual([[], undefined]);
  });

  it.each([
    ["Debian, apt (default)", {}, undefined, true],
    ["Debian, preinstalled", { kubernetesPackages: "preinstalled" as const }, undefined, false],
    ["Debian, apt, upgrade: false", { upgrade: false }, undefined, false],
    ["Flatcar (no apt)", { os: "flatcar" as const }, undefined, false],
  ])("upgrade on first boot: %s", (_, host, __, upgrade) => {
    expect(buildModel(topology(1, 0, { host })).nodes[0].upgrade).toBe(upgrade);
  });

  it("vim is the editor with the base list; the metadata block is on where a cloud is set", () => {
    expect(buildModel(topology(1, 0)).host).toMatchObject({ editor: "unchanged", blockMetadata: false });
    expect(buildModel(topology(1, 0, { host: { basePackages: true }, cloud: "aws" })).host).toMatchObject({ editor: "vim", blockMetadata: true });
    expect(buildModel(topology(1, 0, { host: { blockMetadata: false }, cloud: "aws" })).host.blockMetadata).toBe(false);
  });

  it("ingress NodePorts: 30080/30443 when the range holds them, else the range's first two; its images are mirrored", () => {
    expect(buildModel(topology(1, 1, { ingress: {} })).ingress).toEqual({ controller: "ingress-nginx", httpNodePort: 30080, httpsNodePort: 30443, replicas: 2 });
    const seed000 = buildModel(topology(1, 1, { ingress: {}, kubernetes: { version: "v1.31.4", nodePortRange: "30001-30099" } }));
    expect(seed000.ingress).toMatchObject({ httpNodePort: 30080, httpsNodePort: 30002 });
    expect(buildModel(topology(1, 1, { kubernetes: { version: "v1.31.4", nodePortRange: "31000-31010" }, ingress: {} })).ingress).toMatchObject({ httpNodePort: 31000, httpsNodePort: 31001 });
    expect(seed000.registry.addons).toEqual(["ingress-nginx"]);
    expect(buildModel(topology(1, 1)).ingress).toBeUndefined();
  });

  it("etcd nodes make the topology external, with their client URLs in profile order", () => {
    expect(buildModel(topology(3, 1)).etcd).toEqual({ topology: "stacked", members: [], endpoints: [] });
    expect(buildModel(withEtcd(3)).etcd).toEqual({
      topology: "external",
      members: ["etcd-1", "etcd-2", "etcd-3"],
      endpoints: ["https://192.168.1.31:2379", "https://192.168.1.32:2379", "https://192.168.1.33:2379"],
    });
  });

  it("external-CA mode makes workers pre-issued by default; the audit defaults", () => {
    expect(buildModel(topology(1, 1, { pki: { externalCA: true } })).pki).toMatchObject({ externalCA: true, workerKubelet: "pre-issued" });
    expect(buildModel(topology(1, 1, { audit: {} })).audit).toEqual({ policy: { source: "default" }, maxAgeDays: 30, maxBackups: 10, maxSizeMB: 100 });
    expect(() => buildModel(topology(1, 1, { audit: { policyFile: "p.yaml" } }))).toThrow(/was not read/);
  });
});
