import { describe, expect, it } from "vitest";
import { keyAlgorithms } from "../../../generator/profile/schema.js";
import { ENCRYPTION_ALGORITHMS as RENDERED_ALGORITHMS } from "../../../generator/render/kubeadm/cluster.js";
import { kubeletMaySetLabel } from "../../../generator/render/kubeadm/common.js";
import { GENERATED_HEADER } from "../../../generator/core/generated.js";
import { checkFields, ENCRYPTION_ALGORITHMS } from "./kubeadm-fields.js";
import { byKind, CASES, documents, JOIN, render } from "./support.js";

const KINDS = {
  init: ["InitConfiguration", "ClusterConfiguration", "KubeletConfiguration", "KubeProxyConfiguration"],
  join: ["JoinConfiguration"],
};

/** kubeletExtraArgs / extraArgs as a plain map, whichever shape the version uses. */
function argMap(args: unknown): Record<string, string> {
  return Array.isArray(args) ? Object.fromEntries(args.map((a) => [a.name, a.value])) : (args as Record<string, string>);
}

describe.each(CASES)("kubeadm config, $name", ({ name, model }) => {
  const v4 = model.kubernetes.version.minor >= 31;
  const apiVersion = v4 ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3";

  it.each(model.nodes.map((n) => [n.name, n] as const))("%s matches its golden file", async (nodeName, node) => {
    await expect(render(model, node)).toMatchFileSnapshot(`golden/${name}/${nodeName}.yaml`);
  });

  it.each(model.nodes.map((n) => [n.name, n] as const))("%s: header, kinds, apiVersion, node facts", (_, node) => {
    const text = render(model, node);
    expect(text.startsWith(GENERATED_HEADER + "apiVersion: ")).toBe(true);
    const docs = documents(text);
    expect(docs.map((d) => d.kind)).toEqual(node.init ? KINDS.init : KINDS.join);
    for (const d of docs.filter((d) => String(d.apiVersion).startsWith("kubeadm.k8s.io/"))) {
      expect(d.apiVersion).toBe(apiVersion);
      expect(Object.keys(d).slice(0, 2)).toEqual(["apiVersion", "kind"]);
    }
    const main = docs[0];
    expect(main.nodeRegistration.name).toBe(node.name);
    expect(main.nodeRegistration.criSocket).toBe("unix:///run/containerd/containerd.sock");
    expect(argMap(main.nodeRegistration.kubeletExtraArgs)["node-ip"]).toBe(node.address);
    expect(Array.isArray(main.nodeRegistration.kubeletExtraArgs)).toBe(v4);
    const local = node.init ? main.localAPIEndpoint : main.controlPlane?.localAPIEndpoint;
    if (node.role === "control-plane") {
      expect(local).toEqual({ advertiseAddress: node.address, bindPort: model.bindPort });
      if (node.taints === undefined) expect(main.nodeRegistration.taints).toContainEqual({ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" });
      else expect(main.nodeRegistration.taints).toEqual(node.taints);
    } else {
      expect(main.controlPlane).toBeUndefined();
    }
    if (!node.init) {
      expect(main.discovery).toEqual({
        bootstrapToken: { token: JOIN.token, apiServerEndpoint: model.endpoint.controlPlaneEndpoint, caCertHashes: [JOIN.caCertHash] },
        tlsBootstrapToken: JOIN.token,
      });
      expect(main.controlPlane?.certificateKey).toBeUndefined();
    }
  });

  it("the init node creates the join token and describes the cluster from the model", () => {
    const init = model.nodes.find((n) => n.init)!;
    const docs = documents(render(model, init));
    expect(byKind(docs, "InitConfiguration").bootstrapTokens).toEqual([
      { token: JOIN.token, ttl: `${model.pki.bootstrapTokenTTLHours}h`, usages: ["signing", "authentication"], groups: ["system:bootstrappers:kubeadm:default-node-token"] },
    ]);
    const cc = byKind(docs, "ClusterConfiguration");
    expect(cc).toMatchObject({
      clusterName: model.kubernetes.clusterName,
      kubernetesVersion: model.kubernetes.version.full,
      controlPlaneEndpoint: model.endpoint.controlPlaneEndpoint,
      certificatesDir: "/etc/kubernetes/pki",
      imageRepository: "registry.k8s.io",
      networking: { podSubnet: model.kubernetes.podCIDR, serviceSubnet: model.kubernetes.serviceCIDR, dnsDomain: model.kubernetes.dnsDomain },
    });
    expect(Array.isArray(cc.apiServer.extraArgs)).toBe(v4);
    expect(argMap(cc.apiServer.extraArgs)).toEqual({
      "encryption-provider-config": "/etc/kubernetes/pki/encryption-config.yaml",
      "service-node-port-range": `${model.kubernetes.nodePortRange.from}-${model.kubernetes.nodePortRange.to}`,
    });
    expect(argMap(cc.apiServer.extraArgs)["bind-address"]).toBeUndefined();
    if (v4) {
      expect(cc.certificateValidityPeriod).toBe(`${model.pki.certValidityHours}h`);
      expect(cc.caCertificateValidityPeriod).toBe(`${model.pki.caValidityHours}h`);
      expect(cc.encryptionAlgorithm).toBe(model.pki.keyAlgorithm.toUpperCase());
      expect(cc.featureGates).toBeUndefined();
    } else {
      expect(cc.encryptionAlgorithm).toBeUndefined();
      expect(cc.featureGates).toEqual(model.pki.keyAlgorithm.startsWith("ecdsa-") ? { PublicKeysECDSA: true } : undefined);
    }
    expect(byKind(docs, "KubeletConfiguration")).toMatchObject({
      cgroupDriver: "systemd",
      clusterDNS: [model.kubernetes.dnsServiceIP],
      clusterDomain: model.kubernetes.dnsDomain,
      rotateCertificates: true,
      serverTLSBootstrap: false,
    });
    expect(byKind(docs, "KubeProxyConfiguration")).toMatchObject({ clusterCIDR: model.kubernetes.podCIDR, mode: "iptables" });
  });
});

describe("kubeadm config, node labels and taints", () => {
  const { model } = CASES.find((c) => c.name === "v1.30-1cp-1w")!;
  const worker = model.nodes.find((n) => n.role === "worker")!;
  const reg = documents(render(model, worker))[0].nodeRegistration;

  it("passes only labels the kubelet may set on itself (no node-role.kubernetes.io/*)", () => {
    expect(reg.kubeletExtraArgs["node-labels"]).toBe("example.com/tier=web,node.kubernetes.io/pool=general");
  });

  it("uses the node's own taints instead of a default", () => {
    expect(reg.taints).toEqual([{ key: "example.com/dedicated", value: "web", effect: "NoSchedule" }]);
  });

  it.each([true, false])("a control plane with `taints: []` is untainted, one without taints keeps kubeadm's (init node: %s)", (init) => {
    const cp = { ...model.nodes.find((n) => n.init)!, init, taints: [] };
    const text = render(model, cp);
    expect(text).toMatch(/^ {2}taints: \[\]$/m);
    expect(documents(text)[0].nodeRegistration.taints).toEqual([]);
    const tainted = documents(render(model, { ...cp, taints: undefined }))[0].nodeRegistration.taints;
    expect(tainted).toEqual([{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]);
  });
});

it.each([
  ["node-role.kubernetes.io/worker", false],
  ["kubernetes.io/role", false],
  ["k8s.io/anything", false],
  ["node.kubernetes.io/pool", true],
  ["sub.kubelet.kubernetes.io/x", true],
  ["topology.kubernetes.io/zone", true],
  ["example.com/tier", true],
  ["tier", true],
] as const)("kubelet --node-labels accepts %s: %s", (key, ok) => {
  expect(kubeletMaySetLabel(key)).toBe(ok);
});

it.each(keyAlgorithms)("key algorithm %s maps to a v1beta4 encryptionAlgorithm value", (alg) => {
  expect(ENCRYPTION_ALGORITHMS).toContain(RENDERED_ALGORITHMS[alg]);
});

/**
 * Structural check: every rendered document uses only fields that exist in kubeadm's types.go for its
 * apiVersion (allow-list in kubeadm-fields.ts), so an invented or misplaced field fails here before a
 * real `kubeadm config validate` run (not part of this suite yet).
 */
describe("kubeadm config fields exist in kubeadm's types.go", () => {
  for (const { name, model } of CASES) {
    it.each(model.nodes.map((n) => [n.name, n] as const))(`${name} %s`, (_, node) => {
      const docs = documents(render(model, node));
      expect(docs.flatMap(checkFields)).toEqual([]);
      for (const d of docs.filter((d) => d.encryptionAlgorithm !== undefined)) expect(ENCRYPTION_ALGORITHMS).toContain(d.encryptionAlgorithm);
    });
  }

  it("the check rejects invented fields, fields of the other version and unknown kinds", () => {
    const v3 = { apiVersion: "kubeadm.k8s.io/v1beta3", kind: "ClusterConfiguration", apiServer: { certSANs: ["x"], bindAddress: "1.2.3.4" } };
    expect(checkFields(v3)).toEqual(["ClusterConfiguration.apiServer.bindAddress: unknown field"]);
    const v3WithV4Field = { apiVersion: "kubeadm.k8s.io/v1beta3", kind: "ClusterConfiguration", encryptionAlgorithm: "RSA-2048" };
    expect(checkFields(v3WithV4Field)).toEqual(["ClusterConfiguration.encryptionAlgorithm: unknown field"]);
    const v4Timeout = { apiVersion: "kubeadm.k8s.io/v1beta4", kind: "JoinConfiguration", discovery: { timeout: "5m" } };
    expect(checkFields(v4Timeout)).toEqual(["JoinConfiguration.discovery.timeout: unknown field"]);
    const v4ArgMap = { apiVersion: "kubeadm.k8s.io/v1beta4", kind: "InitConfiguration", nodeRegistration: { kubeletExtraArgs: [{ name: "a", value: "b", extra: 1 }] } };
    expect(checkFields(v4ArgMap)).toEqual(["InitConfiguration.nodeRegistration.kubeletExtraArgs[0].extra: unknown field"]);
    expect(checkFields({ apiVersion: "kubeadm.k8s.io/v1beta5", kind: "InitConfiguration" })).toHaveLength(1);
  });
});
