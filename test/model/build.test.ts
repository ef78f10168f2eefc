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
});
